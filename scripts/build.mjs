// Bundles src/ into dist/ with esbuild: one small entry, and a chunk per lazily imported command,
// so `anchor --help` loads commander and the declarations, and nothing else.
import { build, transform } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { domainToASCII, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { zodEnglishOnly } from './zod-english-only.mjs';
import { whenExitOnExitOnly } from './when-exit-on-exit.mjs';
import { bundledPackages, licenseNotices } from './third-party-licenses.mjs';

// Every path is the project's, not the working directory's: `node scripts/build.mjs` works from
// anywhere. `--outdir <dir>` builds elsewhere than dist/ (a test builds into a scratch folder while
// other tests run dist/); `--metafile <file>` writes esbuild's metafile of the main bundle there,
// its output paths relative to the outdir, for the test that asserts the start chunk's modules.
const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { outdir: { type: 'string' }, metafile: { type: 'string' } } });
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
// Build beside dist/ and swap it in at the end, so a running anchor never sees a half-built dist/.
const finalDir = resolve(args.outdir ?? resolve(root, 'dist'));
const outdir = `${finalDir}.building-${process.pid}/`;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// A build that fails leaves no half-built folder behind (after the swap, outdir no longer exists).
process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));

// commander requires node:child_process at load, for executable subcommands, which anchor does not
// declare: Node's child_process (and the dgram, net and socket modules it pulls in) cost every
// start ~3 ms on Node 20. Inside commander it resolves to a stand-in that loads the real one the
// first time commander would spawn.
const commanderLazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/commander/`)
        ? { path: 'child_process', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "module.exports = { spawn: (...a) => require('node:child_process').spawn(...a) };",
      loader: 'js',
    }));
  },
};

// IANA's root-zone TLD list (tlds/index.json, ~1,400 names) goes into the bundle as its JSON text,
// parsed on the first host check (src/core/root-zone.ts): as an array literal, V8 parsed and built
// it (~0.7 ms) in every command that loads the URL rules, and most of those never judge a host.
// Its internationalised names are written as the URL parser gives them (`рф` → `xn--p1ai`), so
// the first check does not convert ~150 of them (~1.5 ms).
const tldsAsText = {
  name: 'tlds-as-text',
  setup(b) {
    b.onLoad({ filter: /\/node_modules\/tlds\/index\.json$/ }, (args) => ({
      contents: `export default ${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')).map(domainToASCII)))};`,
      loader: 'js',
    }));
  },
};

const { names: bundled, note } = bundledPackages();

// The main entry and a chunk per lazily imported module. esbuild puts a module shared by the entry
// and some lazy chunks in a chunk keyed by exactly that set of users, so the modules loaded at
// start were spread over seven small files, and each ESM file costs Node 20 about 0.7 ms to
// resolve, read and link. A first pass finds the modules the entry loads at start; the second makes
// every lazily loaded module of src/ import them too (they are already loaded when it runs, so the
// import does nothing at run time), which puts them all in one shared chunk.
const mainOptions = {
  absWorkingDir: root,
  metafile: true,
  plugins: [zodEnglishOnly, whenExitOnExitOnly, commanderLazyChildProcess, tldsAsText],
  entryPoints: { cli: 'src/cli.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Whitespace and syntax only: identifiers stay readable in --debug stack traces. (Full
  // minification measured no faster start.)
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  define: { __ANCHOR_VERSION__: JSON.stringify(pkg.version) },
  // CommonJS packages inside the bundle (ajv, via conf) call require() for Node built-ins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
};

const firstPass = await build({ ...mainOptions, write: false });
const startClosure = new Set();
const lazy = new Set();
{
  const inputs = firstPass.metafile.inputs;
  const visit = (file) => {
    if (startClosure.has(file) || !inputs[file]) return;
    startClosure.add(file);
    for (const i of inputs[file].imports) if (!i.external && i.kind !== 'dynamic-import') visit(i.path);
  };
  visit('src/cli.ts');
  for (const input of Object.values(inputs))
    for (const i of input.imports) if (!i.external && i.kind === 'dynamic-import') lazy.add(i.path);
  for (const file of startClosure) lazy.delete(file);
}
const startShared = [...startClosure].filter((f) => f.startsWith('src/') && f !== 'src/cli.ts');
const oneStartChunk = {
  name: 'one-start-chunk',
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
      const file = relative(root, args.path);
      if (!lazy.has(file)) return undefined;
      const imports = startShared.map((f) => `import ${JSON.stringify(resolve(root, f))};`).join('\n');
      return { contents: `${readFileSync(args.path, 'utf8')}\n${imports}\n`, loader: 'ts' };
    });
  },
};

const main = await build({ ...mainOptions, write: false, plugins: [...mainOptions.plugins, oneStartChunk] });
note(main);

// Node's ES module loader costs the first ES module of a process ~12 ms on Node 20 (a CommonJS
// file: ~1 ms), and esbuild splits code into chunks only as ES modules. So each output is turned
// into CommonJS once bundled: its imports of other outputs become require() (import() a require()
// in a promise), and the files end in .cjs (the package is "type": "module").
const outputNames = new Set(main.outputFiles.map((f) => relative(outdir, f.path)));
const BANNER = mainOptions.banner.js;
for (const file of main.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  if (!file.path.endsWith('.js')) {
    writeFileSync(file.path, file.contents);
    continue;
  }
  const from = dirname(file.path);
  const esm = file.text.replace(BANNER, '').replace(/(["'])(\.\/[\w./-]+)\.js\1/g, (whole, quote, spec) => {
    const target = relative(outdir, resolve(from, `${spec}.js`));
    return outputNames.has(target) ? `${quote}${spec}.cjs${quote}` : whole;
  });
  const cjs = await transform(esm, {
    format: 'cjs',
    loader: 'js',
    target: 'node20',
    supported: { 'dynamic-import': false },
    minifyWhitespace: true,
    legalComments: 'inline',
    logLevel: 'warning',
  });
  writeFileSync(file.path.replace(/\.js$/, '.cjs'), cjs.code);
}
if (args.metafile) {
  const fromOutdir = (path) => relative(finalDir, resolve(root, path).replace(outdir.replace(/\/$/, ''), finalDir));
  const outputs = Object.fromEntries(
    Object.entries(main.metafile.outputs).map(([path, out]) => [
      fromOutdir(path),
      { ...out, imports: out.imports.map((i) => (i.external ? i : { ...i, path: fromOutdir(i.path) })) },
    ]),
  );
  mkdirSync(dirname(resolve(args.metafile)), { recursive: true });
  writeFileSync(resolve(args.metafile), JSON.stringify({ ...main.metafile, outputs }));
}

// The CommonJS fast paths: plain help (src/help.ts: commander and the declarations only) and the
// shell-completion query (src/completion/entry.ts: the shell waits for it on every Tab).
for (const [entry, out] of [
  ['src/help.ts', 'help.cjs'],
  ['src/completion/entry.ts', 'complete.cjs'],
]) {
  note(
    await build({
      absWorkingDir: root,
      metafile: true,
      plugins: [commanderLazyChildProcess],
      entryPoints: [entry],
      outfile: `${outdir}${out}`,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      minify: true,
      legalComments: 'linked',
      define: { __ANCHOR_VERSION__: JSON.stringify(pkg.version) },
      logLevel: 'warning',
    }),
  );
}

// The JSON Schema of the apply file, shipped for editors: made from the same constants as the checks.
{
  const schemaModule = await build({
    absWorkingDir: root,
    entryPoints: ['src/commands/webhooks/apply/schema.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const url = `data:text/javascript;base64,${Buffer.from(schemaModule.outputFiles[0].text).toString('base64')}`;
  const { applyFileSchema, SCHEMA_FILE } = await import(url);
  writeFileSync(`${outdir}${SCHEMA_FILE}`, `${JSON.stringify(applyFileSchema(), null, 2)}\n`);
}

// The bundle carries other people's code: ship their licenses with it.
const notices = licenseNotices(root, bundled);
writeFileSync(`${outdir}THIRD_PARTY_LICENSES.txt`, `anchor bundles the following packages.\n\n${notices.join('\n')}`);

const oldDir = `${finalDir.replace(/\/$/, '')}.old-${process.pid}`;
if (existsSync(finalDir)) renameSync(finalDir, oldDir);
renameSync(outdir, finalDir);
rmSync(oldDir, { recursive: true, force: true });
