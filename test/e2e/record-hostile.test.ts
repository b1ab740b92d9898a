// The delivery record against a stranger and a shared folder, from the built binary: a flood of
// unsigned requests through `listen` leaves every verified delivery for `received` and `replay
// --last`, and says how many refusals it did not keep; a state folder others can write is refused
// by the readers, and `listen` does not record into it.
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { startReceiver } from '../helpers/receiver.js';
import { sign, post } from '../../scripts/attack.mjs';

interface Listed {
  id: string;
  event_id: string | null;
  verdict: string;
}

describe('a stranger flooding the tunnel', () => {
  it('1,300 unsigned POSTs after 5 deliveries: received and replay --last still find all 5', async () => {
    const env = isolatedEnv();
    const secret = 'whsec_flood_0123456789abcdef';
    const listen = await startBinListen(['--port', '0', '--json'], { ...env, ANCHOR_WEBHOOK_SECRET: secret });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    try {
      for (let i = 0; i < 5; i++) {
        const body = JSON.stringify({ id: `evt_mine_${i}`, type: 'task.completed', text: 'x', data: {} });
        expect(await post(agent, listen.url, body, sign(secret, body))).toBe(200);
      }
      const forged = JSON.stringify({ id: 'evt_forged', type: 'task.completed', text: 'x', data: {} });
      let next = 0;
      const statuses: number[] = [];
      const sender = async () => {
        while (next < 1300) {
          next++;
          statuses.push(await post(agent, listen.url, forged, { 'content-type': 'application/json' }));
        }
      };
      await Promise.all(Array.from({ length: 50 }, sender));
      expect(statuses).toHaveLength(1300);
      expect(new Set(statuses.map((s) => Math.floor(s / 100)))).toEqual(new Set([4]));
    } finally {
      agent.destroy();
      // SIGINT: the count of refusals not recorded is written as the run ends.
      await listen.stop();
    }

    const r = await runBin(['webhooks', 'received', '--json', '--limit', '1000'], { env });
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as Listed[];
    const mine = listed.filter((x) => x.verdict === 'ok').map((x) => x.event_id);
    expect(mine).toEqual(['evt_mine_4', 'evt_mine_3', 'evt_mine_2', 'evt_mine_1', 'evt_mine_0']);
    const refused = listed.filter((x) => x.verdict === 'refused').length;
    expect(refused).toBeGreaterThanOrEqual(50);
    expect(refused).toBeLessThanOrEqual(200);
    expect(r.stderr).toContain(`Note: ${1300 - refused} refused requests were not recorded since `);
    expect(r.stderr).toContain('(rate limit: 50 at once, then 10 a second)');

    const app = await startReceiver();
    try {
      const replayed = await runBin(['webhooks', 'replay', '--last', '--to', app.url, '--json'], {
        env: { ...env, ANCHOR_WEBHOOK_SECRET: secret },
      });
      expect(replayed.code).toBe(0);
      expect(JSON.parse(app.requests[0]!.body.toString()).id).toBe('evt_mine_4');
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe('a state folder others can write', () => {
  it('received, received show and replay refuse it, naming the folder and the fix; listen records nothing there', async () => {
    const env = isolatedEnv();
    const secret = 'whsec_shared_0123456789abcdef';
    const state = join(env.XDG_STATE_HOME!, 'anchor');
    mkdirSync(join(state, 'record'), { recursive: true, mode: 0o700 });
    chmodSync(join(state, 'record'), 0o777);
    for (const args of [
      ['webhooks', 'received'],
      ['webhooks', 'received', 'show', 'rec_x'],
      ['webhooks', 'replay', '--last', '--to', 'http://127.0.0.1:9/'],
    ]) {
      const r = await runBin(args, { env: { ...env, ANCHOR_WEBHOOK_SECRET: secret } });
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`the delivery record folder ${join(state, 'record')} can be written by other users`);
      expect(r.stderr).toContain(`chmod 700 ${join(state, 'record')}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const listen = await startBinListen(['--port', '0'], { ...env, ANCHOR_WEBHOOK_SECRET: secret });
    await listen.stop();
    expect(listen.stderr()).toContain(`not recording (the delivery record folder ${join(state, 'record')}`);
  }, 30_000);
});
