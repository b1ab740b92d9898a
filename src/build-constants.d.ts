// Replaced at build time (esbuild `define`, vitest `define`) with the package version.
declare global {
  const __ANCHOR_VERSION__: string;
}
export {};
