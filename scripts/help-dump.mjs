// `node scripts/help-dump.mjs [checkout]`: prints `--help` of every command of a built checkout
// (default: this one), walking the tree from each group's help, so two checkouts can be diffed:
//   diff <(node scripts/help-dump.mjs /path/to/old) <(node scripts/help-dump.mjs)
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(process.argv[2] ?? new URL('..', import.meta.url).pathname);
const bin = resolve(root, 'bin/anchor.cjs');
const env = { ...process.env, NO_COLOR: '1' };
for (const k of Object.keys(env)) if (k.startsWith('ANCHOR')) delete env[k];

const help = (words) => execFileSync(process.execPath, [bin, ...words, '--help'], { env, encoding: 'utf8' });

// Lines under a heading that lists commands ("Commands:" or a section's), indented two spaces.
const NOT_COMMANDS = new Set(['Usage:', 'Options:', 'Global Options:', 'Arguments:', 'Examples:']);
function subcommands(text) {
  const names = [];
  let listing = false;
  for (const line of text.split('\n')) {
    if (/^\S.*:$/.test(line)) listing = !NOT_COMMANDS.has(line);
    else if (listing && /^ {2}\S/.test(line)) names.push(line.trim().split(/[\s|]/)[0]);
  }
  return names;
}

function walk(words) {
  const text = help(words);
  process.stdout.write(`===== anchor ${[...words, '--help'].join(' ')}\n${text}`);
  for (const name of subcommands(text).sort()) walk([...words, name]);
}
walk([]);
