// The official MCP Inspector, for the test that drives `anchor mcp` with its command-line mode.
// It needs Node 22.19 or later, so .ci/run installs it outside the project's dependencies (which
// must install on Node 20), with the newest Node line from scripts/node-lines.mjs.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { nodeLines } from './node-lines.mjs';

export const INSPECTOR = '@modelcontextprotocol/inspector@2.12.0';

export function inspectorDir(env = process.env) {
  return env.ANCHOR_MCP_INSPECTOR_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'anchor-mcp-inspector');
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === 'install') {
  const newest = nodeLines().sort((a, b) => b.major - a.major)[0];
  if (newest.major < 24) throw new Error('install the Node lines first: node scripts/node-lines.mjs install');
  const dir = inspectorDir();
  mkdirSync(dir, { recursive: true });
  execFileSync(
    'npm',
    ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', INSPECTOR],
    {
      cwd: dir,
      env: { ...process.env, PATH: `${dirname(newest.bin)}:${process.env.PATH}` },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  process.stdout.write(`${dir}\n`);
}
