// An esbuild plugin, shared by the CLI's build (scripts/build.mjs) and the action's
// (action/build.mjs): zod re-exports all of its ~40 locales as a namespace
// (`export * as locales`), which tree-shaking cannot drop: half a megabyte parsed by every command
// that validates, and carried by the action's committed bundle. anchor speaks English only, so the
// locale index resolves to English alone.
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/zod/`)
        ? { path: 'zod-locales', namespace: 'zod-locales', pluginData: args.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: new URL('../locales/', `file://${args.pluginData}/`).pathname,
    }));
  },
};
