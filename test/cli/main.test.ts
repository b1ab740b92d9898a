// In-process runs of main() with fake streams: help, version, errors, JSON errors, colour rules.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trim()).toBe(__ANCHOR_VERSION__);
  });

  it('--help lists the commands, global options and examples on stdout', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: anchor');
    expect(r.stdout).toContain('emulator');
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('Examples:');
    expect(r.stderr).toBe('');
  });

  it('no arguments shows the help', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: anchor');
  });

  it('a command help shows its flags, the global options and examples', async () => {
    const r = await runCli(['emulator', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--retry-delays <list>');
    expect(r.stdout).toContain('Global Options:');
    expect(r.stdout).toContain('$ anchor emulator --port 0');
  });
});

describe('usage errors', () => {
  it('unknown command: exit 2, message and hint on stderr, nothing on stdout', async () => {
    const r = await runCli(['nosuchcommand']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown command 'nosuchcommand'");
    expect(r.stderr).toContain('anchor --help');
  });

  it('a near miss gets "did you mean"', async () => {
    const r = await runCli(['emulatr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean emulator?');
    const o = await runCli(['emulator', '--alow-local-targets']);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('Did you mean --allow-local-targets?');
  });

  it('with --json every error is one JSON object on stderr and stdout stays empty', async () => {
    for (const argv of [
      ['nosuchcommand', '--json'],
      ['--json', 'emulator', '--port', 'x'],
      ['--json', '--timeout', 'x', 'emulator'],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      const body = JSON.parse(lines[0]!) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('usage');
      expect(typeof body.error.message).toBe('string');
    }
  });

  it("option values are not command words: help past a global option, a group default command's flags", async () => {
    const global = await runCli(['--profile', 'ci', 'webhooks', '--help']);
    expect(global.code).toBe(0);
    expect(global.stdout).toContain('Usage: anchor webhooks');
    const grouped = await runCli(['webhooks', 'received', '--since', '1h', '--help']);
    expect(grouped.code).toBe(0);
    expect(grouped.stdout).toContain('Usage: anchor webhooks received');
    const run = await runCli(['webhooks', 'received', '--since', '1h', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('a typo of a subcommand in a group with a default command is an unknown command, not its argument', async () => {
    const r = await runCli(['webhooks', 'received', 'sho', 'rec_1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command \'sho\'. Did you mean "show"?');
    expect(r.stderr).toContain('Run `anchor webhooks received --help`');
    expect(r.stderr).not.toContain('too many arguments');
  });

  it('never shows a stack trace for a usage error', async () => {
    const r = await runCli(['emulator', '--port', 'abc', '--debug']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('colour', () => {
  const ESC = '\u001b[';
  it('errors are coloured on a terminal', async () => {
    const r = await runCli(['nosuchcommand'], { tty: true });
    expect(r.stderr).toContain(ESC);
  });
  it.each([
    ['not a terminal', { tty: false }, []],
    ['NO_COLOR', { tty: true, env: { NO_COLOR: '1' } }, []],
    ['FORCE_COLOR=0', { tty: true, env: { FORCE_COLOR: '0' } }, []],
    ['--no-color', { tty: true }, ['--no-color']],
    ['TERM=dumb', { tty: true, env: { TERM: 'dumb' } }, []],
  ] as const)('no colour when %s', async (_name, opts, extra) => {
    const r = await runCli(['nosuchcommand', ...extra], opts);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(ESC);
  });
});
