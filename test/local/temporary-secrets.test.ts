// The secrets of recent `listen --register` runs: kept 0600 for a day, at most 20, and a file that
// is not what anchor wrote is ignored (never a reason for listen to fail).
import { chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forwardingSecretPath } from '../../src/local/forwarding-secret.js';
import { KEEP_MS, keepTemporarySecret, recentTemporarySecrets } from '../../src/local/temporary-secrets.js';

const secret = (n: number) => n.toString(16).padStart(64, '0');
const envOf = () => ({ ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-tmp-secrets-')) });
const T0 = Date.UTC(2026, 11, 5);

describe('the secrets of recent temporary webhooks', () => {
  it('are kept 0600 per profile, for a day, the newest 20', () => {
    const env = envOf();
    expect(recentTemporarySecrets(env, 'default', T0)).toEqual([]);
    expect(keepTemporarySecret(env, 'default', secret(1), T0)).toBe(true);
    expect(keepTemporarySecret(env, 'default', secret(2), T0 + 1000)).toBe(true);
    expect(recentTemporarySecrets(env, 'default', T0 + 2000)).toEqual([secret(1), secret(2)]);
    expect(recentTemporarySecrets(env, 'other', T0 + 2000)).toEqual([]);
    const path = `${forwardingSecretPath(env, 'default')}.previous-temporary`;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // A day later, the first is gone; the second a second after that.
    expect(recentTemporarySecrets(env, 'default', T0 + KEEP_MS)).toEqual([secret(2)]);
    expect(recentTemporarySecrets(env, 'default', T0 + KEEP_MS + 1000)).toEqual([]);
    for (let i = 3; i < 40; i++) keepTemporarySecret(env, 'default', secret(i), T0 + i * 1000);
    const kept = recentTemporarySecrets(env, 'default', T0 + 40_000);
    expect(kept).toHaveLength(20);
    expect(kept.at(-1)).toBe(secret(39));
  });

  it('a file others can read, a link, or one anchor did not write is ignored, and replaced on the next write', () => {
    const env = envOf();
    keepTemporarySecret(env, 'default', secret(1), T0);
    const path = `${forwardingSecretPath(env, 'default')}.previous-temporary`;
    chmodSync(path, 0o644);
    expect(recentTemporarySecrets(env, 'default', T0)).toEqual([]);
    unlinkSync(path);
    const elsewhere = join(env.ANCHOR_STATE_DIR, 'planted');
    writeFileSync(elsewhere, `${T0 + KEEP_MS} ${secret(7)}\n`, { mode: 0o600 });
    symlinkSync(elsewhere, path);
    expect(recentTemporarySecrets(env, 'default', T0)).toEqual([]);
    expect(keepTemporarySecret(env, 'default', secret(2), T0)).toBe(true);
    expect(readFileSync(elsewhere, 'utf8')).toBe(`${T0 + KEEP_MS} ${secret(7)}\n`); // the link's target untouched
    expect(recentTemporarySecrets(env, 'default', T0)).toEqual([secret(2)]);
    writeFileSync(path, 'not a line anchor writes\n', { mode: 0o600 });
    expect(recentTemporarySecrets(env, 'default', T0)).toEqual([]);
  });
});
