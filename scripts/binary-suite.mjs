// The test files that CI runs against the single executable (.ci/run): those that run anchor from
// outside, through test/helpers/bin.ts's spawning helpers (runBin, startBinEmulator, anchorCommand…),
// which spawn ANCHOR_TEST_BINARY when it is set, directly or through another helper that uses them
// (the listener's, the MCP client's). With `--in-process-reliability`: the reliability suite's other
// files (the fuzzer, faults, bounded reads…), which test the code in process and so run under Bun
// itself. Found from the imports, so a new test file is in the right list without being named here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN_HELPER = join(root, 'test', 'helpers', 'bin.ts');
const SPAWNING = new Set([
  'runBin',
  'startBinEmulator',
  'anchorCommand',
  'anchorCommandParams',
  'anchorShellWords',
  'ANCHOR_EXECUTABLE',
]);

const walk = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

/** Each relative import of a file: the module's path and the names taken from it. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)'/g)].map((m) => ({
    path: resolve(dirname(file), m[2]).replace(/\.js$/, '.ts'),
    names: m[1].split(',').map(
      (n) =>
        n
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0],
    ),
  }));
}

const memo = new Map();
/** Whether a module spawns anchor through bin.ts (itself or through the helpers it imports). */
function spawns(file, seen = new Set()) {
  if (memo.has(file)) return memo.get(file);
  if (seen.has(file)) return false;
  seen.add(file);
  let result = false;
  try {
    result = importsOf(file).some(({ path, names }) =>
      path === BIN_HELPER ? names.some((n) => SPAWNING.has(n)) : path !== file && spawns(path, seen),
    );
  } catch {
    result = false;
  }
  memo.set(file, result);
  return result;
}

const tests = walk(join(root, 'test'))
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const inProcessReliability = process.argv.includes('--in-process-reliability');
for (const file of tests) {
  const outside = spawns(file);
  const reliability = file.startsWith(join(root, 'test', 'reliability') + '/');
  if (inProcessReliability ? reliability && !outside : outside) console.log(relative(root, file));
}
