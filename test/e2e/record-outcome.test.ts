// `received` says outcomes, not verdicts, and which failures a replay resolved: a real `listen`
// (the built binary) in front of an app that fails until it is "fixed", then `replay`. A row the
// app answered 500 is never a green "ok"; a failure a later replay got through stays listed by
// `--failed`, marked, with `"resolved_by"` in --json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/io.js';
import { startBinListen, type BinListen } from '../helpers/listener.js';
import { post } from '../../scripts/attack.mjs';
import { OUTCOME_JS } from '../../src/local/inspector-outcome.js';
import { outcomeOf } from '../../src/commands/webhooks/received/list/outcome.js';

const SECRET = 'whsec_outcome_journey_0123456789abcdef';

/** An app with a bug: it answers 500 while `broken`, and 200 once it is fixed. */
interface App {
  url: string;
  broken: boolean;
  close: () => Promise<void>;
}
async function startApp(): Promise<App> {
  const app: App = { url: '', broken: true, close: async () => {} };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => void res.writeHead(app.broken ? 500 : 200).end(app.broken ? 'TypeError: boom' : 'ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  app.close = () => new Promise((r) => server.close(() => r()));
  return app;
}

interface Row {
  id: string;
  event_id: string | null;
  verdict: string;
  status: number;
  replay_of?: string;
  resolved_by?: string;
  forward?: { url: string; status: number; latency_ms: number };
}
/** Every key `received --json` had before this change, and the one it adds. */
const KEYS = [
  'id',
  'received_at',
  'event_type',
  'event_id',
  'delivery_id',
  'verdict',
  'status',
  'backfilled',
  'replay_of',
  'forward',
  'resolved_by',
];

let app: App;
let listen: BinListen;
const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await runBin([...args, '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
const trigger = async () => {
  const r = await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url, '--json'], { env });
  return (JSON.parse(r.stdout) as { event_id: string }).event_id;
};
const rowOf = (rows: Row[], eventId: string) => rows.find((r) => r.event_id === eventId && !r.replay_of)!;

beforeAll(async () => {
  app = await startApp();
  listen = await startBinListen(['--forward-to', app.url, '--json'], env);
});
afterAll(async () => {
  listen?.stop();
  await app?.close();
});

describe('received: outcomes, and failures a replay resolved', () => {
  let failedEvt: string;
  let okEvt: string;
  let stillFailingEvt: string;
  let replayId: string;

  it('a failure, then the app is fixed and the replay gets through: --failed keeps it, resolved_by the replay', async () => {
    failedEvt = await trigger();
    app.broken = false;
    okEvt = await trigger();
    const t = String(Math.floor(Date.now() / 1000));
    expect(
      await post(false, listen.url, '{"id":"evt_stranger"}', {
        'anchor-signature': `t=${t},v1=${'0'.repeat(64)}`,
        'anchor-timestamp': t,
      }),
    ).toBe(401);

    const before = await json<Row[]>('webhooks', 'received', '--failed');
    expect(before.map((r) => r.event_id)).toEqual([failedEvt]);
    expect(before[0]).not.toHaveProperty('resolved_by');

    const [replay] = await json<Array<{ replay_record_id: string; status: number }>>('webhooks', 'replay', failedEvt);
    expect(replay!.status).toBe(200);
    replayId = replay!.replay_record_id;

    const after = await json<Row[]>('webhooks', 'received', '--failed');
    expect(after.map((r) => [r.event_id, r.resolved_by])).toEqual([[failedEvt, replayId]]);
    expect(after[0]!.forward!.status).toBe(500);

    const all = await json<Row[]>('webhooks', 'received');
    for (const r of all) for (const k of Object.keys(r)) expect(KEYS).toContain(k);
    expect(rowOf(all, failedEvt).resolved_by).toBe(replayId);
    // Only the failure carries it: not the replay, not the delivery the app took, not the refusal.
    expect(all.filter((r) => r.resolved_by).map((r) => r.id)).toEqual([rowOf(all, failedEvt).id]);
  });

  it('a replay that failed too resolves nothing', async () => {
    app.broken = true;
    stillFailingEvt = await trigger();
    const again = await runBin(['webhooks', 'replay', stillFailingEvt, '--json'], { env });
    expect(again.code).toBe(6);
    expect((JSON.parse(again.stdout) as Array<{ status: number }>)[0]!.status).toBe(500);
    const failed = await json<Row[]>('webhooks', 'received', '--failed');
    const original = rowOf(failed, stillFailingEvt);
    expect(original).toBeDefined();
    expect(original).not.toHaveProperty('resolved_by');
    // The failed replay is itself a failure, listed, and resolves nothing either.
    expect(failed.filter((r) => r.replay_of === original.id && r.forward?.status === 500)).toHaveLength(1);
    expect(rowOf(failed, failedEvt).resolved_by).toBe(replayId);
  });

  it('piped: the columns scripts read are kept, the outcome and the resolving replay come after', async () => {
    const r = await runBin(['webhooks', 'received'], { env });
    expect(r.code).toBe(0);
    const line = (evt: string) =>
      r.stdout.split('\n').find((l) => l.includes(`\t${evt}\t`) && !l.includes('replay of'))!;
    expect(line(failedEvt)).toMatch(new RegExp(`\\tok\\t500\\t500\\tapp-failed\\t${replayId}$`));
    expect(line(okEvt)).toMatch(/\tok\t200\t200\tapp-ok\t-$/);
    expect(line(stillFailingEvt)).toMatch(/\tok\t500\t500\tapp-failed\t-$/);
    expect(r.stdout).toMatch(/\trefused\t401\t-\trefused\t-$/m);
  });

  it('in a terminal: worded and coloured by outcome, a 500 never green, the resolved failure marked', async () => {
    const tty = await runCli(['webhooks', 'received'], {
      env: { ...env, ANCHOR_STATE_DIR: join(env.XDG_STATE_HOME!, 'anchor'), FORCE_COLOR: '1' },
      tty: true,
    });
    expect(tty.code).toBe(0);
    const lines = tty.stdout.split('\n');
    expect(lines[0]).toMatch(/ID .*ANSWER +APP +OUTCOME/);
    const row = (evt: string) => lines.find((l) => l.includes(evt) && !l.includes('replay of'))!;
    const red = (t: string) => `\u001b[31m${t}\u001b[39m`;
    const green = (t: string) => `\u001b[32m${t}\u001b[39m`;
    const yellow = (t: string) => `\u001b[33m${t}\u001b[39m`;
    expect(row(failedEvt)).toContain(`${red('app failed')}${green(' (replayed → 200)')}`);
    expect(row(stillFailingEvt)).toContain(red('app failed'));
    expect(row(stillFailingEvt)).not.toContain('replayed');
    expect(row(okEvt)).toContain(green('app ok'));
    expect(lines.find((l) => l.includes('evt_stranger'))).toContain(yellow('refused'));
    for (const l of lines.filter((x) => / 500 /.test(x))) expect(l).not.toContain('\u001b[32mapp ok');
  });
});

describe('the outcome rules are the inspector’s', () => {
  const inspector = new Function(`${OUTCOME_JS}; return outcomeOf;`)() as (r: unknown) => { kind: string };
  const forward = (status: number, error?: string) => ({
    url: 'http://127.0.0.1:1/',
    status,
    latency_ms: 1,
    ...(error ? { error } : {}),
  });
  it.each([
    ['refused', { verdict: 'refused', status: 401 }],
    ['refused, even forwarded as received', { verdict: 'refused', status: 500, forward: forward(500) }],
    ['app ok', { verdict: 'ok', status: 200, forward: forward(204) }],
    ['app failed', { verdict: 'ok', status: 500, forward: forward(500) }],
    ['app failed with a 3xx', { verdict: 'ok', status: 302, forward: forward(302) }],
    ['app unreachable', { verdict: 'ok', status: 502, forward: forward(0, 'ECONNREFUSED') }],
    ['not forwarded', { verdict: 'ok', status: 200 }],
    ['pending', { verdict: 'ok', status: 0 }],
  ] as const)('%s', (_name, r) => {
    expect(outcomeOf(r as Parameters<typeof outcomeOf>[0])).toBe(inspector(r).kind);
  });
});
