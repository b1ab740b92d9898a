// `npm run build:binary`: anchor as a single executable (no Node needed) and its .sha256 in
// sha256sum's format. The shipped binary is Bun's (`bun build --compile`, BUN_VERSION in
// scripts/bun.mjs): dist/bin/anchor-linux-x64 by default, `--target <os>-<arch>` for another OS or
// CPU (Bun cross-compiles: darwin-arm64, darwin-x64, linux-arm64, windows-x64), `--all` for every
// target a release carries. `--runtime node` builds the other candidate, a Node SEA
// (scripts/build-binary-sea.mjs), as dist/bin/anchor-linux-x64-node-sea. Why Bun, and what each
// measures and passes: docs/release.md.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BUN_TARGETS, BUN_VERSION, bunBinary, bunRuntimeOf } from './bun.mjs';
import { buildNodeSea, seaNode } from './build-binary-sea.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    runtime: { type: 'string', default: 'bun' },
    target: { type: 'string' },
    all: { type: 'boolean' },
    node: { type: 'string' },
    'no-build': { type: 'boolean' },
  },
});
const say = (line) => process.stderr.write(`build:binary: ${line}\n`);
const fail = (line) => {
  say(line);
  process.exit(2);
};

if (args.runtime !== 'bun' && args.runtime !== 'node') fail(`--runtime is bun or node, not ${args.runtime}`);
const targets = args.all ? Object.keys(BUN_TARGETS) : [args.target ?? 'linux-x64'];
for (const target of targets)
  if (!BUN_TARGETS[target]) fail(`--target is one of ${Object.keys(BUN_TARGETS).join(', ')}, not ${target}`);
if (args.runtime === 'node' && (args.all || (targets[0] !== 'linux-x64' && !args.node)))
  fail('--runtime node builds for this OS only: another needs --node <that OS’s Node 25.5+ binary>, run there');

if (!args['no-build']) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
mkdirSync(join(root, 'dist', 'bin'), { recursive: true });

/** dist/bin/anchor-<target>[-node-sea][.exe] */
const outputOf = (target) =>
  join(
    root,
    'dist',
    'bin',
    `anchor-${target}${args.runtime === 'node' ? '-node-sea' : ''}${target.startsWith('windows-') ? '.exe' : ''}`,
  );

function buildBun(target, output) {
  const bun = bunBinary();
  say(`Bun ${BUN_VERSION} (${bun}), --target=${BUN_TARGETS[target]}`);
  execFileSync(
    bun,
    [
      'build',
      'bin/anchor.cjs',
      '--compile',
      '--minify',
      '--bytecode',
      `--target=${BUN_TARGETS[target]}`,
      // A standalone Bun program reads .env and bunfig.toml (which can preload code) from the
      // folder it runs in unless told not to: anchor runs in users' project folders.
      '--no-compile-autoload-dotenv',
      '--no-compile-autoload-bunfig',
      '--no-compile-autoload-tsconfig',
      '--no-compile-autoload-package-json',
      // Another OS's runtime comes from the registry's package (npm checks its integrity), not
      // from Bun's own download.
      ...(target === 'linux-x64' ? [] : ['--compile-executable-path', bunRuntimeOf(target)]),
      '--outfile',
      output,
    ],
    // Bun reads .env and bunfig.toml of the folder it builds in too: the build must not depend on them.
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  chmodSync(output, 0o755);
}

for (const target of targets) {
  const output = outputOf(target);
  rmSync(output, { force: true });
  if (args.runtime === 'bun') buildBun(target, output);
  else buildNodeSea({ root, node: args.node ? resolve(args.node) : seaNode(say), output, say });
  const bytes = readFileSync(output);
  const sum = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(`${output}.sha256`, `${sum}  ${basename(output)}\n`);
  say(`${output} (${(bytes.length / 1e6).toFixed(1)} MB), sha256 ${sum}`);
}
