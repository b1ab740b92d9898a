// The inspector's token is kept, so an open tab survives a restart: the same token comes back, the
// file is 0600, and a new one comes when the file is deleted, on --reset-token, or when the file
// could be another user's (a link, group or world bits, not a token). A state folder others can
// write is refused with the fix.
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectorToken, inspectorTokenPath } from '../../src/local/inspector-token.js';

const fresh = () => ({ ANCHOR_STATE_DIR: join(mkdtempSync(join(tmpdir(), 'anchor-token-')), 'state') });

describe("the inspector's token", () => {
  it('is kept 0600 and comes back the same; deleting the file or reset gives a new one', () => {
    const env = fresh();
    const first = inspectorToken(env);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const path = inspectorTokenPath(env);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    expect(inspectorToken(env)).toBe(first);
    unlinkSync(path);
    const second = inspectorToken(env);
    expect(second).not.toBe(first);
    const third = inspectorToken(env, true);
    expect(third).not.toBe(second);
    expect(inspectorToken(env)).toBe(third);
  });

  it('is replaced when others could read it, when it is a link, or when it is not a token', () => {
    const env = fresh();
    const path = inspectorTokenPath(env);
    const kept = inspectorToken(env);
    chmodSync(path, 0o644);
    const afterMode = inspectorToken(env);
    expect(afterMode).not.toBe(kept);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // A link to a file holding a token someone knows: never followed, replaced by a file of our own.
    const planted = join(mkdtempSync(join(tmpdir(), 'anchor-planted-')), 'token');
    writeFileSync(planted, 'A'.repeat(32), { mode: 0o600 });
    unlinkSync(path);
    symlinkSync(planted, path);
    const afterLink = inspectorToken(env);
    expect(afterLink).not.toBe('A'.repeat(32));
    expect(statSync(path).isFile()).toBe(true);
    expect(readFileSync(planted, 'utf8')).toBe('A'.repeat(32));

    writeFileSync(path, 'not a token\n', { mode: 0o600 });
    expect(inspectorToken(env)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses a state folder others can write, naming the fix', () => {
    const env = fresh();
    inspectorToken(env);
    chmodSync(env.ANCHOR_STATE_DIR, 0o777);
    const thrown = (() => {
      try {
        inspectorToken(env);
      } catch (e) {
        return e as Error & { hint?: string };
      }
      return undefined;
    })();
    expect(thrown?.message).toMatch(/can be written by other users \(mode 777\).*token/);
    expect(thrown?.hint).toContain(`chmod 700 ${env.ANCHOR_STATE_DIR}`);
  });
});
