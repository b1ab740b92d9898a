// The single executable's main script (scripts/build-binary.mjs): a module loader for the files
// embedded as SEA assets, then bin/anchor.cjs itself, run from its asset. The assets are named by
// their paths in the package (`bin/anchor.cjs`, `dist/cli.cjs`, `dist/chunks/…`, `package.json`),
// so the shim and the bundles run unchanged and stay as lazy as in the npm package: a chunk is read
// and compiled only when something requires it.
//
// Inside a SEA, the main script's `require` knows only Node's built-ins, and `import()` of a file
// fails (node#62678): a relative require is answered here from the assets, anything else from the
// built-ins. The bundles require nothing else (scripts/build.mjs inlines every package).
'use strict';
const sea = require('node:sea');
const vm = require('node:vm');
const { wrap } = require('node:module');
const { posix } = require('node:path');

const builtin = require;
/** Loaded assets by name: a module that requires itself gets its exports so far, as in Node. */
const loaded = new Map();
// Stack traces (under --debug) name a file inside the binary, as `<binary>/dist/chunks/x.cjs`.
const root = process.execPath;

/** A V8 code cache made for this binary when it was built (`<name>.cache`), when there is one. */
function cachedDataOf(name) {
  try {
    return new Uint8Array(sea.getRawAsset(`${name}.cache`));
  } catch {
    return undefined;
  }
}

function load(name) {
  const known = loaded.get(name);
  if (known) return known.exports;
  // A shebang line is a comment to Node's loader, not to V8 inside a function wrapper.
  const source = sea.getAsset(name, 'utf8').replace(/^#!.*/, '');
  const module = { exports: {}, id: name, filename: `${root}/${name}`, loaded: false };
  loaded.set(name, module);
  if (name.endsWith('.json')) {
    module.exports = JSON.parse(source);
  } else {
    const script = new vm.Script(wrap(source), { filename: module.filename, cachedData: cachedDataOf(name) });
    const dir = posix.dirname(name);
    script
      .runInThisContext({ displayErrors: true })
      .call(module.exports, module.exports, requireFrom(dir), module, module.filename, `${root}/${dir}`);
  }
  module.loaded = true;
  return module.exports;
}

function requireFrom(dir) {
  return (id) => (id.startsWith('./') || id.startsWith('../') ? load(posix.join(dir, id)) : builtin(id));
}

load('bin/anchor.cjs');
