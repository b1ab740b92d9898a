// doctor's decisions that need no server: the clock's bounds (the signature freshness window,
// either way), when a missing or mismatched listener is a failure rather than a skip, how stale
// state files are named, and who answers at a webhook's URL.
import { describe, expect, it } from 'vitest';
import { clockCheck } from '../../../src/commands/doctor/checks-api.js';
import {
  listenerCheck,
  serverOf,
  tunnelCheck,
  type ProbedListener,
} from '../../../src/commands/doctor/checks-listener.js';
import { REPLAY_WINDOW_SECONDS } from '../../../src/core/signature.js';

const API_NOW = Date.parse('2026-05-01T12:00:00Z');
const at = (offsetS: number) => API_NOW + offsetS * 1000;
const DATE = new Date(API_NOW).toUTCString();

describe('clock', () => {
  it('passes within the freshness window, both ways, and says the offset', () => {
    for (const off of [0, REPLAY_WINDOW_SECONDS, -REPLAY_WINDOW_SECONDS]) {
      const c = clockCheck(DATE, at(off), at(off));
      expect(c, String(off)).toMatchObject({ id: 'clock', ok: true });
      expect(c.detail).toContain(`${off > 0 ? '+' : ''}${off} s`);
    }
  });
  it('fails past it, with the direction and the fix', () => {
    const ahead = clockCheck(DATE, at(REPLAY_WINDOW_SECONDS + 1), at(REPLAY_WINDOW_SECONDS + 1));
    expect(ahead).toMatchObject({ ok: false });
    expect(ahead.detail).toContain(`+${REPLAY_WINDOW_SECONDS + 1} s`);
    expect(ahead.fix).toContain('ahead of');
    const behind = clockCheck(DATE, at(-600), at(-600));
    expect(behind.fix).toContain('behind');
    expect(behind.fix).toContain('timedatectl set-ntp true');
  });
  it('takes the middle of a slow exchange as the moment of the Date header', () => {
    // Sent 200 s before the API's time, received 200 s after it: no offset at all.
    expect(clockCheck(DATE, at(-200), at(200))).toMatchObject({ ok: true, detail: expect.stringMatching(/^0 s/) });
  });
  it('is skipped without a readable Date header', () => {
    expect(clockCheck(undefined, at(0), at(0))).toMatchObject({ ok: true, skipped: true });
    expect(clockCheck('yesterday', at(0), at(0))).toMatchObject({ skipped: true });
  });
});

const healthy = { ok: true as const, status: 200, body: Buffer.from('{"ok":true}') };
function listener(pid: number, o: Partial<ProbedListener> & { public_url?: string | null } = {}): ProbedListener {
  const public_url = o.public_url ?? null;
  return {
    path: `/state/listeners/${pid}.json`,
    alive: o.alive ?? true,
    state: {
      v: 1,
      pid,
      url: `http://127.0.0.1:${4000 + pid}/`,
      port: 4000 + pid,
      public_url,
      tunnel: public_url ? 'cloudflared' : null,
      forward_to: null,
      probe: 'a'.repeat(32),
      started_at: '2026-05-01T12:00:00Z',
    },
    ...((o.alive ?? true) ? { local: o.local ?? healthy } : {}),
    ...(public_url && (o.alive ?? true) ? { public: o.public ?? healthy } : {}),
  };
}
const PUBLIC = 'https://abc.trycloudflare.com/';

describe('listener and tunnel', () => {
  it('none running and no webhook: skipped, naming a stale state file', () => {
    expect(listenerCheck([])).toMatchObject({ skipped: true, detail: 'no listen running' });
    const c = listenerCheck([listener(7, { alive: false })]);
    expect(c).toMatchObject({ skipped: true });
    expect(c.detail).toContain('/state/listeners/7.json (pid 7)');
  });
  it('the webhook delivers to a gone listener: failed', () => {
    const c = listenerCheck([listener(7, { alive: false, public_url: PUBLIC })], { id: 'wh_1', url: PUBLIC });
    expect(c).toMatchObject({ ok: false });
    expect(c.detail).toContain('listen (pid 7) served, and it no longer runs');
  });
  it('a tunnelled listener while the webhook delivers elsewhere: failed, with the update command', () => {
    const c = listenerCheck([listener(8, { public_url: PUBLIC })], {
      id: 'wh_1',
      url: 'https://old.trycloudflare.com/',
    });
    expect(c).toMatchObject({ ok: false });
    expect(c.fix).toContain(`anchor webhooks update wh_1 --url ${PUBLIC}`);
  });
  it('a local listener while the webhook delivers to your own server: passes, saying so', () => {
    const c = listenerCheck([listener(8)], { id: 'wh_1', url: 'https://example.com/hooks' });
    expect(c).toMatchObject({ ok: true });
    expect(c.skipped).toBeUndefined();
    expect(c.detail).toContain('delivers elsewhere');
  });
  it('a listener that runs but does not answer: failed', () => {
    const c = listenerCheck([listener(9, { local: { ok: false, why: 'connection refused', kind: 'refused' } })]);
    expect(c).toMatchObject({ ok: false });
    expect(c.detail).toContain('connection refused');
  });
  it('tunnel: skipped without a public URL, failed when it reaches something else', () => {
    expect(tunnelCheck([listener(1)])).toMatchObject({ skipped: true });
    expect(tunnelCheck([listener(1, { public_url: PUBLIC })])).toMatchObject({ ok: true });
    const c = tunnelCheck([
      listener(1, { public_url: PUBLIC, public: { ok: true, status: 404, body: Buffer.from('') } }),
    ]);
    expect(c).toMatchObject({ ok: false });
    expect(c.detail).toContain('answered 404');
  });
});

describe('stale state files and who answers at a URL', () => {
  it('names removed stale files as removed, and ones it could not remove with the fix', () => {
    const gone = { ...listener(7, { alive: false }), removed: true as const };
    const removed = listenerCheck([gone]);
    expect(removed).toMatchObject({ skipped: true });
    expect(removed.detail).toContain('removed the stale state file of a listen that no longer runs');
    expect(removed.detail).toContain('/state/listeners/7.json (pid 7)');
    const left = listenerCheck([listener(8, { alive: false })]);
    expect(left.detail).toContain('stale state file of a listen that no longer runs (remove it)');
    expect(left.detail).not.toContain('removed');
  });
  it('a URL a running listen serves is listen\'s; one a gone listen served is "gone listen"; else unknown', () => {
    expect(serverOf([listener(1, { public_url: PUBLIC })], PUBLIC)).toBe('listen');
    expect(serverOf([listener(1, { alive: false, public_url: PUBLIC })], PUBLIC)).toBe('gone listen');
    expect(serverOf([listener(1, { public_url: PUBLIC })], 'https://example.com/hooks')).toBeUndefined();
  });
});
