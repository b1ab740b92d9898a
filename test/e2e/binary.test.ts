// The built binary, run as a user would type it, with an isolated config folder.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runBin } from '../helpers/bin.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('anchor binary', () => {
  it('--version (the shim fast path) and -v print the version', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await runBin([flag]);
      expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  it('without a build: one line that names what is missing and what to run, exit 1', () => {
    const project = mkdtempSync(join(tmpdir(), 'anchor-unbuilt-'));
    cpSync(join(ROOT, 'bin'), join(project, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(project, 'package.json'));
    mkdirSync(join(project, 'dist'));
    const r = spawnSync(process.execPath, [join(project, 'bin', 'anchor.cjs'), 'events', 'list'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "anchor is not built or is damaged: Cannot find module '../dist/cli.cjs'\nRun `npm run build` and try again.\n",
    );
  });

  it('--help prints usage with commands and examples', async () => {
    const r = await runBin(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: anchor/);
    expect(r.stdout).toContain('emulator');
    expect(r.stdout).toContain('Examples:');
  });

  it('nosuchcommand: exit 2 with a hint, nothing on stdout', async () => {
    const r = await runBin(['nosuchcommand']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown command 'nosuchcommand'");
    expect(r.stderr).toContain('Run `anchor --help`');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a near miss gets a suggestion', async () => {
    const r = await runBin(['emulater']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean emulator?');
  });

  it('nosuchcommand --json: one JSON error on stderr, empty stdout', async () => {
    const r = await runBin(['nosuchcommand', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'usage',
        message: "unknown command 'nosuchcommand'",
        hint: 'Run `anchor --help` to see what is available.',
      },
    });
  });
  it('the help fast path prints exactly what the full path prints, for every command', async () => {
    for (const argv of [
      [],
      ['--help'],
      ['webhooks', '--help'],
      ['webhooks', 'create', '--help'],
      ['auth', 'login', '-h'],
      ['emulator', '--help'],
      ['config', 'set', '--help'],
    ]) {
      const fast = await runBin(argv);
      // A global flag takes the request off the fast path, through main().
      const full = await runBin(['--no-color', ...(argv.length ? argv : ['--help'])]);
      expect(fast.code).toBe(0);
      expect(full.code).toBe(0);
      expect(fast.stdout).toBe(full.stdout);
      expect(fast.stdout).toMatch(/^Usage: anchor/);
    }
  });

  it('a group without a subcommand shows its help (exit 0)', async () => {
    const r = await runBin(['webhooks']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: anchor webhooks');
    expect(r.stdout).toContain('rotate-secret');
  });

  it('a mistyped command with --help is a usage error with a suggestion, on both paths', async () => {
    for (const argv of [
      ['webhoks', '--help'],
      ['--no-color', 'webhoks', '--help'],
    ]) {
      const r = await runBin(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Did you mean "webhooks"?');
    }
    const sub = await runBin(['webhooks', 'lst', '--help']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('"list"');
    expect(sub.stderr).toContain('anchor webhooks --help');
  });
});
