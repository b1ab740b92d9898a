// A compile cache for Node 20, which lacks module.enableCompileCache (Node 22.1+): the bundles in
// dist/ are compiled with V8's code cache from the last run, so a start skips most of compiling
// them (about a tenth of `anchor webhooks list` on Node 20). Only dist/'s files are cached; the
// cache is written at exit, for the files that had none (or a stale one), after they ran, so it
// holds the functions that ran too. NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's.
//
// A code cache is code: the folder ($XDG_CACHE_HOME/anchor, else ~/.cache/anchor) must be a folder
// of this user that no one else may write, or nothing is read or written; a file is named by its
// bundle's path, size and modification time (V8 checks only the source's length), and is replaced
// by renaming a new file into place. V8 rejects a cache of another V8 or flags, or a damaged one:
// the file is then compiled as usual and its cache written anew.
'use strict';
const fs = require('node:fs');
const vm = require('node:vm');

const Module = module.constructor;
const dist = `${require('node:path').resolve(__dirname, '..', 'dist')}/`;

/** The cache folder of this user for this Node and this install, or undefined when unusable. */
function cacheFolder(env) {
  const home = env.XDG_CACHE_HOME || (env.HOME ? `${env.HOME}/.cache` : undefined);
  if (!home || typeof process.getuid !== 'function') return undefined;
  // One folder per install (its dist path, hashed: FNV-1a) and Node build, so installs never prune each other.
  let h = 0x811c9dc5;
  for (let i = 0; i < dist.length; i++) h = Math.imul(h ^ dist.charCodeAt(i), 0x01000193) >>> 0;
  return `${home}/anchor/compile-cache/${process.version}-${process.arch}-${h.toString(16)}`;
}

/**
 * Whether `dir` and the two folders above it (anchor/compile-cache/<build>) are folders of ours
 * that only we may write; a link is not followed, so none of them can point elsewhere.
 */
function ours(dir) {
  try {
    for (const path of [dir, dir.slice(0, dir.lastIndexOf('/')), dir.slice(0, dir.lastIndexOf('/compile-cache/'))]) {
      const st = fs.lstatSync(path);
      if (!st.isDirectory() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The cache file's name for a bundle file: its path under dist/, size and modification time. */
const entryName = (filename, st) => `${filename.slice(dist.length).replace(/\//g, '+')}~${st.size}~${st.mtimeMs}`;

exports.cacheDistCompiles = function cacheDistCompiles(env) {
  if (env.NODE_DISABLE_COMPILE_CACHE) return;
  const dir = cacheFolder(env);
  if (dir === undefined) return;
  const readable = ours(dir);
  /** Scripts compiled without a usable cache: their cache is written at exit. */
  const toWrite = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (!filename.startsWith(dist)) return compile.call(this, content, filename);
    const st = fs.statSync(filename);
    const name = entryName(filename, st);
    let cachedData;
    if (readable) {
      try {
        cachedData = fs.readFileSync(`${dir}/${name}`);
      } catch {
        // None yet: compiled as usual, and its cache written at exit.
      }
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) toWrite.push({ name, script });
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(
      this.exports,
      this.exports,
      requireFor(this),
      this,
      filename,
      filename.slice(0, filename.lastIndexOf('/')),
    );
  };
  process.once('exit', () => {
    if (toWrite.length > 0) writeEntries(dir, toWrite);
  });
};

/** The `require` a module of the bundle is given, as Node makes it (the bundles use no more of it than this). */
function requireFor(mod) {
  const localRequire = (id) => mod.require(id);
  localRequire.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  localRequire.main = process.mainModule;
  localRequire.cache = Module._cache;
  return localRequire;
}

/** Writes the new entries (each a new 0600 file renamed into place) and removes those of bundles that changed. */
function writeEntries(dir, entries) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ours(dir)) return;
    const fresh = new Set(entries.map((e) => e.name));
    for (const { name, script } of entries) {
      const temporary = `${dir}/.${name}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600, flag: 'wx' });
      fs.renameSync(temporary, `${dir}/${name}`);
    }
    // An entry whose bundle file is gone or changed (a rebuild, an upgrade) is never read again.
    for (const name of fs.readdirSync(dir)) {
      if (fresh.has(name)) continue;
      const [file, size, mtime] = name.split('~');
      let current = false;
      try {
        const st = fs.statSync(dist + file.replace(/\+/g, '/'));
        current = String(st.size) === size && String(st.mtimeMs) === mtime;
      } catch {
        // The bundle file is gone.
      }
      if (!current) fs.rmSync(`${dir}/${name}`, { force: true });
    }
  } catch {
    // A cache that cannot be written only means the next start compiles again.
  }
}
