// The forwarding secret: its store (0600 in a 0700 folder, per profile, minted once, hostile files
// refused, reset), `listen --print-secret` / `--reset-secret` from the CLI with no API behind it,
// the secret precedence of the commands that sign (--secret-file, ANCHOR_WEBHOOK_SECRET, then
// the forwarding secret) against a receiver that verifies, and their missing-secret messages.
import { afterEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  existingForwardingSecret,
  forwardingSecret,
  forwardingSecretPath,
  resetForwardingSecret,
} from '../../../../src/local/forwarding-secret.js';
import { checkReplay } from '../../../../src/mcp/replay-guard.js';
import { runCli } from '../../../helpers/io.js';
import { parserTable, usage } from '../../../helpers/parser-table.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../../../helpers/reference-receivers.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A state folder of its own, with the env that points at it. */
function freshState(): { env: Record<string, string>; state: string } {
  const state = join(mkdtempSync(join(tmpdir(), 'anchor-fwd-')), 'state');
  return { env: { ANCHOR_STATE_DIR: state }, state };
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the forwarding secret store', () => {
  it('mints a secret in the format of Anchor webhook secrets, 0600 in a 0700 folder, and keeps it', () => {
    const { env, state } = freshState();
    expect(existingForwardingSecret(env, 'default')).toBeUndefined();
    const first = forwardingSecret(env, 'default');
    expect(first.minted).toBe(true);
    expect(first.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.path).toBe(join(state, 'forwarding-secrets', 'default'));
    expect(readFileSync(first.path, 'utf8')).toBe(`${first.secret}\n`);
    expect(mode(first.path)).toBe(0o600);
    expect(mode(join(state, 'forwarding-secrets'))).toBe(0o700);
    const again = forwardingSecret(env, 'default');
    expect(again).toEqual({ ...first, minted: false });
    expect(existingForwardingSecret(env, 'default')?.secret).toBe(first.secret);
  });

  it('keeps one secret per profile', () => {
    const { env } = freshState();
    const a = forwardingSecret(env, 'default');
    const b = forwardingSecret(env, 'ci');
    expect(b.secret).not.toBe(a.secret);
    expect(b.path).toBe(forwardingSecretPath(env, 'ci'));
    expect(forwardingSecret(env, 'default').secret).toBe(a.secret);
    expect(() => forwardingSecretPath(env, '../x')).toThrow();
  });

  it('reset mints a new one in place, 0600', () => {
    const { env } = freshState();
    const old = forwardingSecret(env, 'default');
    const fresh = resetForwardingSecret(env, 'default');
    expect(fresh.secret).not.toBe(old.secret);
    expect(fresh.path).toBe(old.path);
    expect(forwardingSecret(env, 'default').secret).toBe(fresh.secret);
    expect(mode(fresh.path)).toBe(0o600);
  });

  it('refuses a file that is not one anchor wrote, and reset replaces it', () => {
    const { env } = freshState();
    const path = forwardingSecret(env, 'default').path;
    writeFileSync(path, 'hello\u001b[31m not a secret\n', { mode: 0o600 });
    expect(() => forwardingSecret(env, 'default')).toThrow(/does not hold a secret anchor wrote/);
    writeFileSync(path, 'a'.repeat(5000), { mode: 0o600 });
    expect(() => existingForwardingSecret(env, 'default')).toThrow(/over 1024 bytes/);
    const fresh = resetForwardingSecret(env, 'default');
    expect(existingForwardingSecret(env, 'default')?.secret).toBe(fresh.secret);
  });

  it('refuses a file others may read, with the reset as the fix', () => {
    const { env } = freshState();
    const { path } = forwardingSecret(env, 'default');
    chmodSync(path, 0o644);
    let message = '';
    try {
      existingForwardingSecret(env, 'default');
    } catch (e) {
      message = `${(e as Error).message} ${(e as { hint?: string }).hint}`;
    }
    expect(message).toContain('can be read or written by other users (mode 644)');
    expect(message).toContain('anchor webhooks listen --reset-secret');
  });

  it('refuses a link planted under its name (never follows it); reset replaces the link, not its target', () => {
    const { env, state } = freshState();
    mkdirSync(join(state, 'forwarding-secrets'), { recursive: true, mode: 0o700 });
    const target = join(state, 'elsewhere');
    writeFileSync(target, `${'b'.repeat(64)}\n`, { mode: 0o600 });
    symlinkSync(target, forwardingSecretPath(env, 'default'));
    expect(() => forwardingSecret(env, 'default')).toThrow(/is a symbolic link/);
    const fresh = resetForwardingSecret(env, 'default');
    expect(readFileSync(target, 'utf8')).toBe(`${'b'.repeat(64)}\n`);
    expect(forwardingSecret(env, 'default').secret).toBe(fresh.secret);
  });

  it('refuses a folder others can write', () => {
    const { env, state } = freshState();
    forwardingSecret(env, 'default');
    chmodSync(join(state, 'forwarding-secrets'), 0o777);
    expect(() => forwardingSecret(env, 'default')).toThrow(/can be written by other users \(mode 777\)/);
    expect(() => resetForwardingSecret(env, 'default')).toThrow(/can be written by other users/);
  });

  it.skipIf(process.getuid?.() !== 0)("refuses a file another user owns (as root, it can be made another's)", () => {
    const { env } = freshState();
    const { path } = forwardingSecret(env, 'default');
    chownSync(path, 4242, 4242);
    expect(() => forwardingSecret(env, 'default')).toThrow(/belongs to another user \(uid 4242\)/);
  });
});

describe('listen --print-secret and --reset-secret (no API behind them)', () => {
  parserTable([
    { argv: ['webhooks', 'listen', '--print-secret'], code: 0, stdout: /^[0-9a-f]{64}\n$/ },
    { argv: ['webhooks', 'listen', '--reset-secret'], code: 0, stdout: /^$/, stderr: "Your app's .env must get it" },
    { argv: ['webhooks', 'listen', '--reset-secret', '--print-secret'], code: 0, stdout: /^[0-9a-f]{64}\n$/ },
    usage(
      ['webhooks', 'listen', '--print-secret', '--register', 'https://example.com/'],
      '--print-secret manages the forwarding secret and exits without listening; it cannot be combined with --register',
    ),
    usage(
      ['webhooks', 'listen', '--reset-secret', '--forward-to', 'http://127.0.0.1:9/'],
      'cannot be combined with --forward-to',
    ),
    usage(['webhooks', 'listen', '--print-secret', '--port', '0'], 'cannot be combined with --port'),
    usage(['webhooks', 'listen', '--print-secret', '--no-dedupe'], 'cannot be combined with --no-dedupe'),
  ]);

  it('prints the same secret each time, per profile, even when it is also the ANCHOR_WEBHOOK_SECRET (not redacted)', async () => {
    const { env } = freshState();
    const first = await runCli(['webhooks', 'listen', '--print-secret'], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('Minted a forwarding secret for profile "default"');
    const secret = first.stdout.trim();
    const again = await runCli(['webhooks', 'listen', '--print-secret'], {
      env: { ...env, ANCHOR_WEBHOOK_SECRET: secret },
    });
    expect(again).toEqual({ code: 0, stdout: `${secret}\n`, stderr: '' });
    const ci = await runCli(['--profile', 'ci', 'webhooks', 'listen', '--print-secret'], { env });
    expect(ci.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(ci.stdout.trim()).not.toBe(secret);
    const reset = await runCli(['webhooks', 'listen', '--reset-secret', '--print-secret'], { env });
    expect(reset.code).toBe(0);
    expect(reset.stdout.trim()).not.toBe(secret);
    expect((await runCli(['webhooks', 'listen', '--print-secret'], { env })).stdout).toBe(reset.stdout);
  });

  it('a hostile secret file is a clear error naming the fix, exit 1, no stack', async () => {
    const { env } = freshState();
    const { path } = forwardingSecret(env, 'default');
    writeFileSync(path, 'nope\n', { mode: 0o600 });
    const r = await runCli(['webhooks', 'listen', '--print-secret'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('does not hold a secret anchor wrote');
    expect(r.stderr).toContain('anchor webhooks listen --reset-secret');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('which secret the local loop signs with', () => {
  async function receiver(secret: string): Promise<ReferenceReceiver> {
    const r = await startReferenceReceiver('correct', secret);
    cleanup.push(() => r.close());
    return r;
  }

  it('events trigger and check-receiver: --secret-file, then ANCHOR_WEBHOOK_SECRET, then the forwarding secret', async () => {
    const { env, state } = freshState();
    const forwarding = forwardingSecret(env, 'default').secret;
    const app = await receiver(forwarding);
    const byForwarding = await runCli(['events', 'trigger', 'task.completed', '--forward-to', app.url, '--json'], {
      env,
    });
    expect(byForwarding.code, byForwarding.stderr).toBe(0);
    expect(byForwarding.stderr).toContain('Signing with the forwarding secret of profile "default"');
    expect(byForwarding.stdout + byForwarding.stderr).not.toContain(forwarding);
    expect(app.accepted).toHaveLength(1);

    // Another secret in the environment wins over the forwarding secret: the app refuses it.
    const byEnv = await runCli(['events', 'trigger', 'task.completed', '--forward-to', app.url, '--json'], {
      env: { ...env, ANCHOR_WEBHOOK_SECRET: 'another-secret-0123456789' },
    });
    expect(byEnv.code).toBe(6);
    expect(JSON.parse(byEnv.stdout)).toMatchObject({ status: 401 });

    // And a --secret-file wins over the environment.
    const file = join(state, '..', 'app-secret');
    writeFileSync(file, `${forwarding}\n`, { mode: 0o600 });
    const byFile = await runCli(
      ['events', 'trigger', 'task.completed', '--forward-to', app.url, '--secret-file', file, '--json'],
      { env: { ...env, ANCHOR_WEBHOOK_SECRET: 'another-secret-0123456789' } },
    );
    expect(byFile.code, byFile.stderr).toBe(0);

    const checked = await runCli(['webhooks', 'check-receiver', app.url, '--json'], { env });
    expect(checked.code, checked.stdout).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ passed: true });
  });

  it('with no secret anywhere, each command says where its secret comes from, and never to rotate it', async () => {
    const { env } = freshState();
    const cases: Array<[string[], string]> = [
      [['events', 'trigger', 'task.completed', '--forward-to', 'http://127.0.0.1:9/'], 'anchor events trigger'],
      [['webhooks', 'check-receiver', 'http://127.0.0.1:9/'], 'anchor webhooks check-receiver'],
    ];
    for (const [argv, named] of cases) {
      const r = await runCli(argv, { env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('no webhook signing secret');
      expect(r.stderr).toContain(`\`${named}\` signs with --secret-file`);
      expect(r.stderr).toContain('anchor webhooks listen --print-secret');
      expect(r.stderr).not.toContain('rotate-secret');
    }
    const listen = await runCli(['webhooks', 'listen', '--port', '0'], { env });
    expect(listen.code).toBe(2);
    expect(listen.stderr).toContain('--register <public-url>');
    expect(listen.stderr).not.toContain('rotate-secret');
    // verify checks a real delivery: only the webhook's own secret will do.
    const verify = await runCli(['webhooks', 'verify', '--signature', 't=1,v1=00', '--payload', '-'], {
      env,
      stdin: '{}',
    });
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain('It was shown once when the webhook was created');
  });
});

describe("the MCP replay tool's secret", () => {
  it('without ANCHOR_WEBHOOK_SECRET or a forwarding secret, refuses in tool words; with either, goes on', () => {
    const { env } = freshState();
    const ctx = { env, nowMs: Date.now() };
    const refusal = checkReplay({ last: 1 }, ctx);
    expect(refusal).toEqual(expect.stringContaining('no secret to re-sign the replay with'));
    expect(refusal).toEqual(expect.stringContaining('anchor webhooks listen --print-secret'));
    expect(refusal).toEqual(expect.stringContaining('as_received: true'));
    expect(refusal).not.toEqual(expect.stringContaining('--secret-file'));
    expect(checkReplay({ last: 1, as_received: true }, ctx)).toEqual({ last: 1, as_received: true });
    expect(checkReplay({ last: 1 }, { ...ctx, env: { ...env, ANCHOR_WEBHOOK_SECRET: 'x'.repeat(20) } })).toEqual({
      last: 1,
    });
    forwardingSecret(env, 'default');
    expect(checkReplay({ last: 1 }, ctx)).toEqual({ last: 1 });
  });
});
