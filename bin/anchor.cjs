#!/usr/bin/env node
// The `anchor` binary: the only place the process exits. CommonJS on purpose, as is all of dist/:
// Node starts a CommonJS file without its ES module loader. `--version` is answered here, plain
// help and shell-completion queries from small bundles of their own; everything else goes through
// main() (dist/cli.cjs), which returns the exit code. bin/ reads no argv beyond that: which words
// are options is the bundles' argv scanner's job.
'use strict';
// Node 22.1+ can keep the compiled bundles on disk (in the OS temp folder), so later starts skip
// compiling them; NODE_DISABLE_COMPILE_CACHE=1 turns it off. Node 20 lacks it, and loading
// node:module only to learn that costs it ~1 ms (the ES module loader comes with it): there, a
// cache of our own (compile-cache-node20.cjs) does the same for dist/.
const argv = process.argv.slice(2);
const asksVersion = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v');
if (Number(process.versions.node.split('.')[0]) >= 22) {
  try {
    require('node:module').enableCompileCache?.();
  } catch {
    // A cache folder we cannot write is no reason not to start.
  }
} else if (!asksVersion) {
  // Node 20: a code cache of our own for dist/'s bundles (--version loads none of them).
  try {
    require('./compile-cache-node20.cjs').cacheDistCompiles(process.env);
  } catch {
    // Without a cache the bundles are compiled as usual.
  }
}

/**
 * Writes `text` to stdout synchronously through its file descriptor, without making Node's
 * process.stdout stream (~5 ms on Node 20: help on a pipe costs less than the stream it would be
 * written to). False when it could not (a descriptor in non-blocking mode): write it the usual way.
 */
function writeStdoutSync(text) {
  const fs = require('node:fs');
  let buf = Buffer.from(text);
  try {
    while (buf.length > 0) buf = buf.subarray(fs.writeSync(1, buf));
    return true;
  } catch (e) {
    if (e.code === 'EAGAIN') {
      process.stdout.write(buf);
      return false;
    }
    return true; // EPIPE and the like: nobody reads any more, as with a closed pipe
  }
}

function exit(code) {
  // Let both streams drain before leaving, so piped output is never cut short. Node calls an empty
  // write back once everything before it is written; Bun (the single executable) calls it back at
  // once, with the rest of a large output still queued for a slow reader (`| jq`), so there stdout
  // is ended, whose callback waits for the last byte (a late write after it is dropped, not thrown).
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  if (process.versions.bun) {
    process.stdout.on('error', () => {});
    process.stdout.end(done);
  } else {
    process.stdout.write('', done);
  }
  process.stderr.write('', done);
}

function viaMain() {
  return Promise.resolve()
    .then(() => require('../dist/cli.cjs'))
    .then(
      ({ main }) => main(argv),
      (err) => {
        process.stderr.write(
          `anchor is not built or is damaged: ${String(err.message).split('\n')[0]}\nRun \`npm run build\` and try again.\n`,
        );
        return 1;
      },
    );
}

/**
 * Plain help skips main()'s bundle and its chunks. The help bundle's argv scanner decides what is
 * plain help (help flags, command words, global options); anything else (a command's own option,
 * a typo) goes through main().
 */
function viaHelp() {
  try {
    // A terminal's width wraps the help; elsewhere it is 80 columns, and process.stdout is not made
    // (nor node:tty loaded, ~4 ms): only a character device may be a terminal, and Linux's memory
    // devices (major 1: /dev/null, /dev/zero, /dev/full), where scripts send help, never are.
    const out = require('node:fs').fstatSync(1);
    const memoryDevice = process.platform === 'linux' && ((out.rdev >> 8) & 0xfff) === 1;
    const columns = out.isCharacterDevice() && !memoryDevice ? process.stdout.columns : undefined;
    let text = '';
    const code = require('../dist/help.cjs').printHelp(argv, (s) => (text += s), columns);
    if (code === undefined) return viaMain();
    return Promise.resolve(writeStdoutSync(text) ? { code, written: true } : code);
  } catch {
    return viaMain();
  }
}

let run;
if (asksVersion) {
  run = Promise.resolve(writeStdoutSync(`${require('../package.json').version}\n`) ? { code: 0, written: true } : 0);
} else if (argv[0] === '__complete') {
  // The shell asks on every Tab; a failure completes nothing rather than printing an error.
  run = Promise.resolve()
    .then(() => require('../dist/complete.cjs').runComplete(argv.slice(1), process.env, (s) => process.stdout.write(s)))
    .catch(() => 0);
} else if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
  run = viaHelp();
} else {
  run = viaMain();
}
// Output written synchronously has nothing to drain: the process ends with its exit code.
run.then((r) => (typeof r === 'object' ? (process.exitCode = r.code) : exit(r)));
