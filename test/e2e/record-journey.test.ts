// The record as the truth, from the built binary: a real `listen` fed by `events trigger` and a
// deduplicating app. Event and delivery ids name the verified original (a stranger's newer claim
// does not), replays are recorded and linked, `--new-id` gets past the app's deduplication,
// `--failed` finds what the app did not take, `received clear` works while `listen` writes, and
// a `replay` process writing beside `listen` leaves the record whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen, type BinListen } from '../helpers/listener.js';
import { post } from '../../scripts/attack.mjs';

const SECRET = 'whsec_journey_secret_0123456789abcdef';

/** An app that processes each envelope id once (as the docs tell it to), and fails task.failed. */
interface App {
  url: string;
  processed: string[];
  close: () => Promise<void>;
}
async function startDedupingApp(): Promise<App> {
  const app: App = { url: '', processed: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const envelope = JSON.parse(Buffer.concat(chunks).toString()) as { id: string; type: string };
      if (envelope.type === 'task.failed') {
        res.writeHead(500).end('boom');
        return;
      }
      const seen = app.processed.includes(envelope.id);
      if (!seen) app.processed.push(envelope.id);
      res.writeHead(200).end(seen ? 'duplicate, ignored' : 'processed');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  app.close = () => new Promise((r) => server.close(() => r()));
  return app;
}

interface Listed {
  id: string;
  event_type: string | null;
  event_id: string | null;
  delivery_id: string | null;
  verdict: string;
  status: number;
  replay_of?: string;
}

let app: App;
let listen: BinListen;
const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
const anchor = (...args: string[]) => runBin(args, { env });
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await anchor(...args, '--json');
  // No damaged line, ever: two writers share the folder all along.
  expect(r.stderr).not.toMatch(/unreadable record line/);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const trigger = (type: string) =>
  json<{ event_id: string; delivery_id: string }>('events', 'trigger', type, '--forward-to', listen.url);

beforeAll(async () => {
  app = await startDedupingApp();
  listen = await startBinListen(['--forward-to', app.url, '--json'], env);
});
afterAll(async () => {
  listen?.stop();
  await app?.close();
});

describe('the record as the truth', () => {
  let evt: { event_id: string; delivery_id: string };
  let original: string;

  it('ids connect: an event or delivery id names the verified original, not a newer stranger claiming it', async () => {
    evt = await trigger('task.completed');
    // A stranger's request claiming the same ids, with a bad signature, and an escape in the type
    // its body claims (a header cannot carry one).
    const t = String(Math.floor(Date.now() / 1000));
    const status = await post(
      false,
      listen.url,
      JSON.stringify({ id: evt.event_id, type: 'task.\u001b[31mcompleted' }),
      {
        'anchor-delivery-id': evt.delivery_id,
        'anchor-signature': `t=${t},v1=${'0'.repeat(64)}`,
        'anchor-timestamp': t,
        'content-type': 'application/json',
      },
    );
    expect(status).toBe(401);

    const rows = await json<Listed[]>('webhooks', 'received');
    expect(rows.map((r) => r.verdict)).toEqual(['refused', 'ok']);
    original = rows[1]!.id;
    // The refusal shows what it claimed, in the same fields; the verdict says it is refused.
    expect(rows[0]).toMatchObject({
      event_type: 'task.\u001b[31mcompleted',
      event_id: evt.event_id,
      delivery_id: evt.delivery_id,
    });
    const text = await anchor('webhooks', 'received');
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout.split('\n')[0]).toContain(`${evt.event_id}?`);
    expect(text.stdout.split('\n')[1]).toContain(`${evt.event_id}\tok`);

    for (const id of [evt.event_id, evt.delivery_id, original])
      expect((await json<{ id: string }>('webhooks', 'received', 'show', id)).id).toBe(original);
    const refusedShown = await anchor('webhooks', 'received', 'show', rows[0]!.id);
    expect(refusedShown.stdout).toMatch(/Claimed \(unverified\): .*evt_\w+\?/);
  });

  it('an unknown id, or one that only a refusal claims, is not found (exit 5)', async () => {
    const unknown = await anchor('webhooks', 'received', 'show', 'evt_000000000000000000000000');
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/no recorded request evt_0+/);
    const t = String(Math.floor(Date.now() / 1000));
    await post(false, listen.url, '{"id":"evt_claimedonly0000000000000"}', {
      'anchor-signature': `t=${t},v1=${'1'.repeat(64)}`,
      'anchor-timestamp': t,
    });
    const claimed = await anchor('webhooks', 'replay', 'evt_claimedonly0000000000000');
    expect(claimed.code).toBe(5);
    expect(claimed.stderr).toMatch(/Only requests that claim .* Name one by its record id: rec_/);
    expect(app.processed).toEqual([evt.event_id]);
  });

  it('a replay is recorded and linked; --last skips it; --new-id gets past the app that deduplicates', async () => {
    const [plain] = await json<Array<{ record_id: string; replay_record_id: string; response_body: string }>>(
      'webhooks',
      'replay',
      evt.event_id,
    );
    expect(plain).toMatchObject({ record_id: original, response_body: 'duplicate, ignored' });
    expect(app.processed).toEqual([evt.event_id]);

    const rows = await json<Listed[]>('webhooks', 'received');
    expect(rows[0]).toMatchObject({ id: plain!.replay_record_id, replay_of: original, event_id: evt.event_id });
    // The replay is newer and carries the same ids: the ids still name the original.
    const shown = await json<{ id: string; replays: Array<{ id: string }> }>(
      'webhooks',
      'received',
      'show',
      evt.event_id,
    );
    expect(shown.id).toBe(original);
    expect(shown.replays.map((r) => r.id)).toEqual([plain!.replay_record_id]);
    const human = await anchor('webhooks', 'received');
    expect(human.stdout.split('\n')[0]).toContain(`(replay of ${original})`);

    const [last] = await json<Array<{ record_id: string }>>('webhooks', 'replay', '--last', '--type', 'task.completed');
    expect(last!.record_id).toBe(original);

    const [fresh] = await json<Array<{ event_id: string; status: number; response_body: string }>>(
      'webhooks',
      'replay',
      evt.event_id,
      '--new-id',
    );
    expect(fresh!.event_id).toMatch(/^evt_[0-9a-f]{24}$/);
    expect(fresh!.event_id).not.toBe(evt.event_id);
    expect(fresh).toMatchObject({ status: 200, response_body: 'processed' });
    expect(app.processed).toEqual([evt.event_id, fresh!.event_id]);

    const conflict = await anchor('webhooks', 'replay', evt.event_id, '--new-id', '--as-received');
    expect(conflict.code).toBe(2);
    expect(app.processed).toHaveLength(2);
  });

  it('--failed lists what the app did not take', async () => {
    const failed = await anchor('events', 'trigger', 'task.failed', '--forward-to', listen.url);
    expect(failed.code).toBe(6);
    const rows = await json<Listed[]>('webhooks', 'received', '--failed');
    expect(rows.map((r) => [r.event_type, r.status])).toEqual([['task.failed', 500]]);
    expect((await anchor('webhooks', 'received', '--help')).stdout).toMatch(/--failed[\s\S]*--limit/);
  });

  it('replays written beside a running listen leave the record whole', async () => {
    const before = (await json<Listed[]>('webhooks', 'received', '--limit', '1000')).length;
    const runs = await Promise.all([
      ...Array.from({ length: 4 }, () => anchor('webhooks', 'replay', evt.event_id, '--json')),
      ...Array.from({ length: 4 }, () =>
        anchor('events', 'trigger', 'task.completed', '--forward-to', listen.url, '--json'),
      ),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const rows = await json<Listed[]>('webhooks', 'received', '--limit', '1000');
    expect(rows).toHaveLength(before + 8);
    // The first replay, --last's, --new-id's, and these four.
    expect(rows.filter((r) => r.replay_of === original)).toHaveLength(3 + 4);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('received clear: a usage error without a terminal and --yes; removes while listen writes', async () => {
    const refuse = await anchor('webhooks', 'received', 'clear');
    expect(refuse.code).toBe(2);
    expect(refuse.stderr).toMatch(/--yes/);
    const all = await json<Listed[]>('webhooks', 'received', '--limit', '1000');
    const refused = all.filter((r) => r.verdict === 'refused').length;
    expect(refused).toBe(2);
    expect(await json('webhooks', 'received', 'clear', '--refused', '--yes')).toEqual({ removed: refused });
    expect(await json<Listed[]>('webhooks', 'received', '--refused')).toEqual([]);
    expect(await json('webhooks', 'received', 'clear', '--yes')).toEqual({ removed: all.length - refused });
    expect(await json<Listed[]>('webhooks', 'received')).toEqual([]);
    // listen goes on recording into the same folder.
    const next = await trigger('task.completed');
    const rows = await json<Listed[]>('webhooks', 'received');
    expect(rows.map((r) => r.event_id)).toEqual([next.event_id]);
    expect(await json('webhooks', 'received', 'clear', '--yes')).toEqual({ removed: 1 });
  });

  it('a line written by a newer anchor is skipped, with one notice', async () => {
    const dir = join(env.XDG_STATE_HOME!, 'anchor', 'record');
    const seg = readdirSync(dir).find((n) => n.startsWith('seg-'))!;
    const line = (id: string) =>
      `${JSON.stringify({ k: 'req', id, received_at: new Date().toISOString(), v: 99, shape: 'unknown' })}\n`;
    appendFileSync(join(dir, seg), line('rec_future1') + line('rec_future2'));
    const r = await anchor('webhooks', 'received', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr.match(/2 records were written by a newer anchor and skipped/g)).toHaveLength(1);
  });
});
