// The Bun that builds anchor's single executable (scripts/build-binary.mjs) and runs the
// reliability suite's in-process files in CI (.ci/run): one pinned version, installed from the npm
// registry (its platform package, `@oven/bun-linux-x64`, checked by npm against the registry's
// integrity) outside the project's dependencies, into ~/.cache/anchor-bun/<version>. The runtime
// of another OS, for a cross-compiled binary, is that version's `@oven/bun-<os>-<arch>` package.
// Alone, `node scripts/bun.mjs` installs it when missing and prints its path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Bun inside the shipped binary. A new version is a change of runtime: CI runs the suites on it. */
export const BUN_VERSION = '1.4.5';

/** Bun's `--target` names of the binaries a release carries, by anchor's `<os>-<arch>` name. */
export const BUN_TARGETS = {
  'linux-x64': 'bun-linux-x64',
  'linux-arm64': 'bun-linux-arm64',
  'darwin-x64': 'bun-darwin-x64',
  'darwin-arm64': 'bun-darwin-arm64',
  'windows-x64': 'bun-windows-x64',
};
/** The registry's package holding each target's runtime (arm64 is "aarch64" there). */
const runtimePackage = (target) => `@oven/${BUN_TARGETS[target].replace('arm64', 'aarch64')}`;

export function bunDir(env = process.env) {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'anchor-bun', BUN_VERSION);
}

function npmInstall(prefix, spec, extra = []) {
  mkdirSync(prefix, { recursive: true });
  const flags = ['--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', ...extra];
  execFileSync('npm', ['install', ...flags, spec], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * The Bun runtime of a target (`linux-x64`: the one that builds and runs here), from the registry's
 * `@oven/bun-<os>-<arch>` package, installed when missing. That package is the binary itself: no
 * install script runs (the `bun` package's would only move it).
 */
export function bunRuntimeOf(target, env = process.env) {
  const prefix = join(bunDir(env), target);
  const pkg = runtimePackage(target);
  const bin = join(prefix, 'node_modules', pkg, 'bin', target.startsWith('windows-') ? 'bun.exe' : 'bun');
  if (!existsSync(bin)) {
    process.stderr.write(`installing ${pkg}@${BUN_VERSION} into ${prefix}\n`);
    // --force: npm refuses a package for another OS or CPU otherwise (it is only copied, never run).
    npmInstall(prefix, `${pkg}@${BUN_VERSION}`, target === 'linux-x64' ? [] : ['--force']);
  }
  return bin;
}

/** This machine's Bun (Linux x64), installed when missing. */
export const bunBinary = (env = process.env) => bunRuntimeOf('linux-x64', env);

if (import.meta.url === `file://${process.argv[1]}`) console.log(bunBinary());
