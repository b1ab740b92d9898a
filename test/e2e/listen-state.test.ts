// While `listen` runs it keeps a 0600 state file that says where it listens, and its health path
// answers a request carrying the file's probe token (and nothing else): from the built binary,
// the file is there while it runs, the probe is answered and not recorded, a stranger's request
// to the health path is an unknown path, and the file is gone after Ctrl-C.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen, waitFor, type BinListen } from '../helpers/listener.js';
import { findListeners, healthUrl, HEALTH_PATH } from '../../src/local/listen-state.js';

const SECRET = 'whsec_listen_state_secret_0123456789abcdef';

let running: BinListen | undefined;
afterEach(() => running?.kill());

describe('listen state file and health path', () => {
  it('is written 0600 while listen runs, answers its own probe only, and is removed on exit', async () => {
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    running = await startBinListen(['--forward-to', 'http://127.0.0.1:9/hooks'], env);
    const dir = join(env.XDG_STATE_HOME!, 'anchor', 'listeners');
    const [found] = await waitFor('the state file', () => {
      const l = findListeners(env);
      return l.length > 0 ? l : undefined;
    });
    expect(found!.alive).toBe(true);
    expect(found!.state).toMatchObject({
      pid: running.child.pid,
      port: running.port,
      url: running.url,
      public_url: null,
      forward_to: 'http://127.0.0.1:9/hooks',
    });
    expect(statSync(found!.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const own = await fetch(healthUrl(running.url, found!.state.probe));
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ ok: true });
    // A stranger's guess, no token, or the right token by POST: an unknown path, as anywhere else.
    for (const [url, method] of [
      [healthUrl(running.url, 'f'.repeat(32)), 'GET'],
      [new URL(HEALTH_PATH, running.url).toString(), 'GET'],
      [healthUrl(running.url, found!.state.probe), 'POST'],
    ] as const) {
      const r = await fetch(url, { method });
      expect(r.status, `${method} ${url}`).toBe(404);
      expect(await r.text()).not.toContain(found!.state.probe);
    }

    expect(await running.stop()).toBe(0);
    expect(existsSync(found!.path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);

    // The record has the three strangers' requests, not the owner's probe.
    const received = await runBin(['webhooks', 'received', '--refused', '--json'], { env });
    expect(received.code).toBe(0);
    const rows = JSON.parse(received.stdout) as { id: string; status: number }[];
    expect(rows.map((r) => r.status)).toEqual([404, 404, 404]);
    const shown = await Promise.all(rows.map((r) => runBin(['webhooks', 'received', 'show', r.id, '--json'], { env })));
    expect(shown.map((s) => s.code)).toEqual([0, 0, 0]);
    // The owner's token is never among what strangers sent (one came with the right token, by POST).
    expect(shown.filter((s) => s.stdout.includes(found!.state.probe))).toHaveLength(1);
  });
});
