// Packaging: `npm pack` holds only what users need, and the tarball installs into an empty prefix
// and runs from there.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, isolatedEnv } from '../helpers/bin.js';

function du(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? du(p) : statSync(p).size;
  }
  return total;
}

describe('npm pack', () => {
  it('contains bin/, the built code, completions/, README, the guides and LICENSE, and installs and runs', () => {
    const out = mkdtempSync(join(tmpdir(), 'anchor-pack-'));
    const env = isolatedEnv({
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    });
    // --ignore-scripts: `npm test` has just built dist/; prepack would rebuild it under the other tests' feet.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{
      filename: string;
      size: number;
      unpackedSize: number;
      files: Array<{ path: string }>;
    }>;
    const files = packed[0]!.files.map((f) => f.path).sort();
    const tops = new Set(files.map((f) => f.split('/')[0]));
    expect([...tops].sort()).toEqual([
      'ARCHITECTURE.md',
      'CONTRIBUTING.md',
      'LICENSE',
      'README.md',
      'bin',
      'completions',
      'dist',
      'docs',
      'package.json',
    ]);
    // Every page the README links to ships as Markdown, so its links work in an installed package
    // too (the generated command reference, docs/commands/, once it is in the tree); the
    // inspector's picture (127 KB) stays in the repository.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    const linked = [...readme.matchAll(/\]\(([^)#\s:]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    expect(linked).toContain('docs/local-loop.md');
    const present = linked.filter((l) => existsSync(join(ROOT, l)));
    expect(files).toEqual(expect.arrayContaining(present));
    expect(files.filter((f) => f.startsWith('docs/') && !f.endsWith('.md'))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/anchor.cjs',
        'dist/cli.cjs',
        'dist/help.cjs',
        'dist/complete.cjs',
        'completions/anchor.bash',
        'completions/_anchor',
        'completions/anchor.fish',
      ]),
    );
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map'))).toBe(false);
    // The bundled packages' licenses ship with them.
    expect(files).toContain('dist/THIRD_PARTY_LICENSES.txt');
    const notices = readFileSync(join(ROOT, 'dist', 'THIRD_PARTY_LICENSES.txt'), 'utf8');
    for (const dep of ['commander@', 'zod@', '@inquirer/core@', 'ora@', 'chalk@', 'conf@', 'ajv@', 'ulid@'])
      expect(notices).toContain(dep);

    const prefix = mkdtempSync(join(tmpdir(), 'anchor-prefix-'));
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', join(out, packed[0]!.filename)], {
      env,
      stdio: 'ignore',
    });
    const anchor = join(prefix, 'bin', 'anchor');
    const run = (...args: string[]) => execFileSync(anchor, args, { env, encoding: 'utf8' });
    expect(run('--version').trim()).toBe(
      JSON.parse(execFileSync('npm', ['pkg', 'get', 'version'], { cwd: ROOT, encoding: 'utf8' })),
    );
    expect(JSON.parse(run('events', 'list', '--json'))).toHaveLength(14);
    expect(run('completion', 'bash')).toContain('complete -F _anchor anchor');
    const installed = du(join(prefix, 'lib', 'node_modules'));
    // Reported in the closing note; printed here so a CI log shows them.
    console.log(
      `tarball ${packed[0]!.size} bytes, unpacked ${packed[0]!.unpackedSize} bytes, installed ${installed} bytes`,
    );
    expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['anchor-webhooks-cli']);
  }, 120_000);
});
