// `listen --forward-to` routes by event type, from the built binary: three apps on loopback (one
// for task.*, one for session.*, one default), each gets its types and only them; the JSON lines,
// the record, the inspector's API and page name the route. Without a default, a type no route
// takes is acknowledged and said, not forwarded. --print-response shows the app's answer; an app
// that holds its answer past --forward-timeout gets Anchor a 504 and the slow-app warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { launchChromium } from '../helpers/browser.js';
import { startBinListen, waitFor, type BinListen } from '../helpers/listener.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { lacks } from '../helpers/tools.js';
import { post, sign } from '../../scripts/attack.mjs';

const SECRET = 'whsec_listen_routes_secret_0123456789abcdef';

let tasks: Receiver;
let sessions: Receiver;
let other: Receiver;
beforeAll(async () => {
  [tasks, sessions, other] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([tasks.close(), sessions.close(), other.close()]);
});

/** A signed delivery of `type`, as Anchor sends it; resolves with listen's status. */
async function deliver(listenUrl: string, type: string, id: string): Promise<number> {
  const body = JSON.stringify({ id, type, created: new Date().toISOString(), text: `a ${type}`, data: {} });
  return (await post(false, listenUrl, body, {
    ...sign(SECRET, body),
    'anchor-event': type,
    'anchor-delivery-id': `dlv_${id}`,
  })) as number;
}

interface Line {
  id: string;
  type: string;
  record_id?: string;
  not_forwarded?: string;
  forward?: {
    url: string;
    route?: string;
    status?: number;
    latency_ms?: number;
    response_body?: string;
    error?: string;
    slow?: boolean;
    timed_out?: boolean;
  };
}
const jsonLines = (l: BinListen): Line[] => l.lines.filter((s) => s.startsWith('{')).map((s) => JSON.parse(s) as Line);
const lineOf = (l: BinListen, id: string) => waitFor(`no line for ${id}`, () => jsonLines(l).find((x) => x.id === id));

describe('listen --forward-to by event type', () => {
  const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
  let listen: BinListen;
  beforeAll(async () => {
    listen = await startBinListen(
      [
        '--forward-to',
        `task.*=${tasks.url}`,
        '--forward-to',
        `session.*=${sessions.url}`,
        '--forward-to',
        other.url,
        '--inspect',
        '0',
        '--json',
        '--print-response',
      ],
      env,
    );
  }, 30_000);
  afterAll(() => listen?.kill());

  it('sends each type to its app and only there, and names the route in the JSON, the record and the inspector', async () => {
    expect(listen.stderr()).toContain(
      `forwarding to task.* → ${tasks.url}, session.* → ${sessions.url}, otherwise → ${other.url}`,
    );
    expect(await deliver(listen.url, 'task.completed', 'evt_route_task')).toBe(200);
    expect(await deliver(listen.url, 'session.recording.ready', 'evt_route_session')).toBe(200);
    expect(await deliver(listen.url, 'batch.completed', 'evt_route_batch')).toBe(200);

    const typesAt = (r: Receiver) => r.requests.map((q) => (JSON.parse(q.body.toString()) as { type: string }).type);
    expect(typesAt(tasks)).toEqual(['task.completed']);
    expect(typesAt(sessions)).toEqual(['session.recording.ready']);
    expect(typesAt(other)).toEqual(['batch.completed']);

    const task = await lineOf(listen, 'evt_route_task');
    expect(task.forward).toMatchObject({ url: tasks.url, route: 'task.*', status: 200, response_body: 'ok' });
    expect(typeof task.forward!.latency_ms).toBe('number');
    expect((await lineOf(listen, 'evt_route_session')).forward).toMatchObject({
      url: sessions.url,
      route: 'session.*',
    });
    const batch = await lineOf(listen, 'evt_route_batch');
    // The default route has no pattern to name.
    expect(batch.forward).toMatchObject({ url: other.url, status: 200 });
    expect(batch.forward!.route).toBeUndefined();

    const received = await runBin(['webhooks', 'received', '--json'], { env });
    expect(received.code, received.stderr).toBe(0);
    const rows = JSON.parse(received.stdout) as Array<{
      id: string;
      event_id: string;
      forward?: { url: string; route?: string };
    }>;
    expect(rows.find((r) => r.event_id === 'evt_route_task')?.forward).toMatchObject({
      url: tasks.url,
      route: 'task.*',
    });
    expect(rows.find((r) => r.event_id === 'evt_route_session')?.forward).toMatchObject({ route: 'session.*' });
    const shown = await runBin(['webhooks', 'received', 'show', task.record_id!, '--json'], { env });
    expect(JSON.parse(shown.stdout)).toMatchObject({ forward: { url: tasks.url, route: 'task.*', status: 200 } });
    const shownText = await runBin(['webhooks', 'received', 'show', task.record_id!], { env });
    expect(shownText.stdout).toContain(`Forwarded to ${tasks.url} (route task.*): 200`);

    const api = (path: string, method = 'GET') => {
      const u = new URL(path, listen.inspectorUrl);
      u.searchParams.set('token', new URL(listen.inspectorUrl!).searchParams.get('token')!);
      return fetch(u, { method }).then((r) => r.json() as Promise<unknown>);
    };
    const listed = (await api('/api/records')) as Array<{ event_id: string; forward?: { route?: string } }>;
    expect(listed.find((r) => r.event_id === 'evt_route_session')?.forward?.route).toBe('session.*');
    // A replay from the inspector goes to the route of its type.
    const replayed = (await api(`/api/replay/${task.record_id}?mode=resigned`, 'POST')) as {
      url: string;
      status: number;
    };
    expect(replayed).toMatchObject({ url: tasks.url, status: 200 });
    expect(typesAt(tasks)).toEqual(['task.completed', 'task.completed']);
    expect(typesAt(other)).toEqual(['batch.completed']);
  });

  it.skipIf(lacks('chromium'))('the inspector page shows the route in the detail', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(listen.inspectorUrl!);
      const row = page.locator('#list button', { hasText: 'evt_route_session' }).first();
      await row.waitFor();
      await row.click();
      await expect
        .poll(() => page.locator('#forward-target').textContent())
        .toMatch(new RegExp(`^route session\\.\\* → ${sessions.url.replace(/[./]/g, '\\$&')} · 200 in `));
    } finally {
      await browser.close();
    }
  });
});

describe('listen --forward-to routes without a default, for people', () => {
  it('names the route in each line, prints the app’s answer, and says when no route takes a type', async () => {
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    const listen = await startBinListen(
      ['--forward-to', `task.*=${tasks.url}`, '--print-response', '--no-record'],
      env,
    );
    try {
      const before = { tasks: tasks.requests.length, sessions: sessions.requests.length, other: other.requests.length };
      expect(await deliver(listen.url, 'task.failed', 'evt_human_task')).toBe(200);
      // No route and no default: verified, acknowledged 200, not forwarded.
      expect(await deliver(listen.url, 'session.completed', 'evt_human_session')).toBe(200);
      const line = (id: string) => waitFor(`no line for ${id}`, () => listen.lines.find((l) => l.includes(id)));
      const taskLine = await line('evt_human_task');
      expect(taskLine).toMatch(/ {2}→ task\.\* 200 in [\d.]+ ms$/);
      const answer = await waitFor('no answer line', () => listen.lines[listen.lines.indexOf(taskLine) + 1]);
      expect(answer).toMatch(/^ {4}← 200 in [\d.]+ ms: ok$/);
      expect(await line('evt_human_session')).toMatch(/→ not forwarded: no route for session\.completed$/);
      expect(tasks.requests.length).toBe(before.tasks + 1);
      expect(sessions.requests.length).toBe(before.sessions);
      expect(other.requests.length).toBe(before.other);
    } finally {
      listen.kill();
    }
  });
});

describe('a slow app', () => {
  let app: http.Server;
  let appUrl = '';
  /** Answers the app holds, released by the test (never by a timer). */
  const held: http.ServerResponse[] = [];
  beforeAll(async () => {
    app = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => held.push(res));
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    app.closeAllConnections();
    await new Promise<void>((r) => app.close(() => r()));
  });

  it('an answer held past --forward-timeout: Anchor gets 504, the line says so, slow: true, and the warning names Anchor’s 10 s', async () => {
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    const listen = await startBinListen(['--forward-to', appUrl, '--forward-timeout', '1s', '--json'], env);
    try {
      expect(await deliver(listen.url, 'task.completed', 'evt_slow')).toBe(504);
      const line = await lineOf(listen, 'evt_slow');
      expect(line.forward).toMatchObject({ url: appUrl, slow: true, timed_out: true });
      expect(line.forward!.error).toMatch(/no complete answer within 1s/);
      expect(listen.stderr()).toContain(
        'evt_slow: your app did not answer within 1 s (--forward-timeout), so listen answered Anchor 504; Anchor stops waiting after 10 s and will send this delivery again: answer first, work after',
      );
      const rows = JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as Array<{
        event_id: string;
        status: number;
      }>;
      expect(rows.find((r) => r.event_id === 'evt_slow')?.status).toBe(504);
    } finally {
      listen.kill();
    }
  });

  it('an answer the app releases within the limit is relayed with its body, and no warning', async () => {
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    const listen = await startBinListen(['--forward-to', appUrl, '--json', '--print-response'], env);
    try {
      const heldBefore = held.length;
      const status = deliver(listen.url, 'task.completed', 'evt_released');
      const res = await waitFor('the app never got the delivery', () => held[heldBefore]);
      res.writeHead(202, { 'content-type': 'application/json' }).end(`{"queued":true,"note":"line\\nbreak"}`);
      expect(await status).toBe(202);
      const line = await lineOf(listen, 'evt_released');
      expect(line.forward).toMatchObject({ status: 202, response_body: '{"queued":true,"note":"line\\nbreak"}' });
      expect(line.forward!.slow).toBeUndefined();
      expect(listen.stderr()).not.toContain('answer first, work after');
    } finally {
      listen.kill();
    }
  });
});
