// `received --failed` is what the app has not taken, from the built binary: the emulator delivers
// through `listen` to a real app that is down (it drops every connection) and then up. An event
// whose 6th attempt got through, and an event replayed after 6 failed attempts, are resolved —
// every failed row of each, `resolved_by` naming the record the app took — in `received --json`,
// the piped and terminal tables, and the inspector's JSON API and live stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { isolatedEnv, runBin, startBinEmulator, type BinEmulator } from '../helpers/bin.js';
import { runCli } from '../helpers/io.js';
import { startBinListen, type BinListen } from '../helpers/listener.js';
import { startTunnel, type Tunnel } from '../helpers/tunnel.js';
import { launchChromium } from '../helpers/browser.js';
import { lacks } from '../helpers/tools.js';

/** An app that is down for its next `down` connections (each dropped unanswered), then answers 200. */
interface App {
  url: string;
  down: number;
  close: () => Promise<void>;
}
async function startApp(): Promise<App> {
  const app: App = { url: '', down: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => void res.writeHead(200).end('stored'));
  });
  // Counted per connection, before any byte is read: the app's process is not there to answer.
  server.on('connection', (socket) => {
    if (app.down > 0) {
      app.down--;
      socket.destroy();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  app.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return app;
}

interface Row {
  id: string;
  event_id: string | null;
  replay_of?: string;
  resolved_by?: string;
  forward?: { status: number };
}

/** The inspector's live stream, as text; `until(re)` resolves once a line that matches has been sent. */
function stream(pageUrl: string): Promise<{ until: (re: RegExp) => Promise<void>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const u = new URL(pageUrl);
    const req = http.get(`${u.origin}/api/events${u.search}`, (res) => {
      let text = '';
      const waiters: Array<{ re: RegExp; done: () => void }> = [];
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
        for (const w of waiters) if (w.re.test(text)) w.done();
      });
      resolve({
        until: (re) =>
          new Promise<void>((done, fail) => {
            if (re.test(text)) return done();
            const t = setTimeout(() => fail(new Error(`the stream never sent ${re}; it sent: ${text}`)), 10_000);
            waiters.push({ re, done: () => (clearTimeout(t), done()) });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

let emu: BinEmulator;
let app: App;
let tunnel: Tunnel;
let listen: BinListen;
let hookId: string;
let env: Record<string, string>;

beforeAll(async () => {
  // Anchor's schedule: 6 attempts, close together here.
  emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '10ms,10ms,10ms,10ms,10ms']);
  env = isolatedEnv({
    ANCHOR_API_URL: emu.url,
    ANCHOR_API_KEY: `res-${randomUUID()}`,
    ANCHOR_ALLOW_LOCAL_TARGETS: '1',
  });
  app = await startApp();
  tunnel = await startTunnel();
  const created = await runBin(['webhooks', 'create', '--url', tunnel.url, '--event', 'task.completed', '--json'], {
    env,
  });
  expect(created.code, created.stderr).toBe(0);
  const { id, secret } = JSON.parse(created.stdout) as { id: string; secret: string };
  hookId = id;
  env = { ...env, ANCHOR_WEBHOOK_SECRET: secret };
  listen = await startBinListen(['--forward-to', app.url, '--inspect', '0', '--json'], env);
  tunnel.to(listen.url);
}, 30_000);
afterAll(async () => {
  listen?.kill();
  await tunnel?.close();
  await app?.close();
  await emu?.stop();
});

const json = async <T>(...args: string[]): Promise<T> => {
  const r = await runBin([...args, '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};
/** Sends a task.completed through the emulator and waits for its delivery's end; its event id. */
async function deliver(expectCode: number): Promise<string> {
  const r = await runBin(['webhooks', 'test', hookId, '--event', 'task.completed', '--wait', '--json'], { env });
  expect(r.code, r.stderr).toBe(expectCode);
  const rows = await json<Row[]>('webhooks', 'received');
  return rows[0]!.event_id!;
}
/** The rows of `evt` the app never answered (`received --json` lists an unreachable app as status 0). */
const failedRows = (rows: Row[], evt: string) => rows.filter((r) => r.event_id === evt && r.forward?.status === 0);

let evtA: string;
let evtB: string;
let evtC: string;
let sixth: Row;
let replayId: string;

describe('received --failed: what the app has not taken', () => {
  it('Anchor’s 6th attempt got through: attempts 1–5 are resolved by it, in --json and in the inspector', async () => {
    const page = await stream(listen.inspectorUrl!);
    try {
      app.down = 5;
      evtA = await deliver(0);
      const rows = await json<Row[]>('webhooks', 'received');
      const ofA = rows.filter((r) => r.event_id === evtA);
      expect(ofA).toHaveLength(6);
      sixth = ofA[0]!;
      expect(sixth.forward).toMatchObject({ status: 200 });
      expect(sixth).not.toHaveProperty('resolved_by');
      const failed = failedRows(rows, evtA);
      expect(failed).toHaveLength(5);
      expect(failed.map((r) => r.resolved_by)).toEqual(Array(5).fill(sixth.id));

      const listed = await json<Row[]>('webhooks', 'received', '--failed');
      expect(listed.map((r) => [r.id, r.resolved_by])).toEqual(failed.map((r) => [r.id, sixth.id]));

      // The inspector says the same: over its JSON API, and to an open page as the 6th got through.
      const u = new URL(listen.inspectorUrl!);
      const api = (await (await fetch(`${u.origin}/api/records${u.search}`)).json()) as Row[];
      expect(failedRows(api, evtA).map((r) => [r.id, r.resolved_by])).toEqual(failed.map((r) => [r.id, sixth.id]));
      for (const r of failed)
        await page.until(new RegExp(`^data: \\{"id":"${r.id}".*"resolved_by":"${sixth.id}"`, 'm'));
    } finally {
      page.close();
    }
  });

  it('six failed attempts, then `replay evt_B` gets through: all six are resolved by the replay', async () => {
    app.down = 6;
    evtB = await deliver(6);
    const before = failedRows(await json<Row[]>('webhooks', 'received', '--failed'), evtB);
    expect(before).toHaveLength(6);
    for (const r of before) expect(r).not.toHaveProperty('resolved_by');

    const [replay] = await json<Array<{ replay_record_id: string; status: number }>>('webhooks', 'replay', evtB);
    expect(replay!.status).toBe(200);
    replayId = replay!.replay_record_id;

    const after = await json<Row[]>('webhooks', 'received', '--failed');
    expect(failedRows(after, evtB).map((r) => [r.id, r.resolved_by])).toEqual(before.map((r) => [r.id, replayId]));
    // evt_A's stay resolved by Anchor's 6th attempt; nothing else carries a resolution.
    expect(failedRows(after, evtA).every((r) => r.resolved_by === sixth.id)).toBe(true);
    expect(after.filter((r) => r.resolved_by)).toHaveLength(11);
  });

  it('an event that never got through stays unresolved', async () => {
    app.down = 6;
    evtC = await deliver(6);
    const rows = failedRows(await json<Row[]>('webhooks', 'received', '--failed'), evtC);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r).not.toHaveProperty('resolved_by');
  });

  it('piped, the last column names the record that got through; in a terminal, how it did', async () => {
    const piped = await runBin(['webhooks', 'received', '--failed'], { env });
    expect(piped.code).toBe(0);
    const lines = piped.stdout.trim().split('\n');
    expect(lines.filter((l) => l.includes(`\t${evtA}\t`)).map((l) => l.split('\t').at(-1))).toEqual(
      Array(5).fill(sixth.id),
    );
    expect(lines.filter((l) => l.includes(`\t${evtB}\t`)).map((l) => l.split('\t').at(-1))).toEqual(
      Array(6).fill(replayId),
    );

    const tty = await runCli(['webhooks', 'received', '--failed'], {
      env: { ...env, ANCHOR_STATE_DIR: join(env.XDG_STATE_HOME!, 'anchor') },
      tty: true,
    });
    expect(tty.code).toBe(0);
    const rows = stripVTControlCharacters(tty.stdout).split('\n');
    expect(rows.filter((l) => l.includes(evtA))).toHaveLength(5);
    for (const l of rows.filter((x) => x.includes(evtA))) expect(l).toContain('app unreachable (retried → 200)');
    for (const l of rows.filter((x) => x.includes(evtB))) expect(l).toContain('app unreachable (replayed → 200)');
  });
});

describe.skipIf(lacks('chromium'))('the inspector page says the same', () => {
  it('marks each resolved failure with how it got through and links its detail to that record; live too', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(listen.inspectorUrl!);
      await page.getByText('live', { exact: true }).waitFor();
      const tagOf = (id: string) => page.locator(`#list button[data-id="${id}"] .tag.resolved`);
      const all = await json<Row[]>('webhooks', 'received');
      for (const r of failedRows(all, evtA)) expect(await tagOf(r.id).textContent()).toBe('retried → 200');
      for (const r of failedRows(all, evtB)) expect(await tagOf(r.id).textContent()).toBe('replayed → 200');
      for (const r of failedRows(all, evtC)) expect(await tagOf(r.id).count()).toBe(0);

      const first = failedRows(all, evtA)[0]!;
      await page.locator(`#list button[data-id="${first.id}"]`).click();
      await expect.poll(() => page.locator('#resolved-by').textContent()).toBe(sixth.id);

      // An event that gets through while the page is open: its failed rows are marked as it does.
      app.down = 2;
      const evtD = await deliver(0);
      const ofD = failedRows(await json<Row[]>('webhooks', 'received'), evtD);
      expect(ofD).toHaveLength(2);
      for (const r of ofD) await expect.poll(() => tagOf(r.id).count()).toBe(1);
      for (const r of ofD) expect(await tagOf(r.id).textContent()).toBe('retried → 200');
    } finally {
      await browser.close();
    }
  });
});
