// Test events and the delivery log, in-process against the emulator and local receivers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../../../helpers/checked-emulator.js';
import { fakeIO, runCli } from '../../../helpers/io.js';
import { projectEnv } from '../../../helpers/env.js';
import { startReceiver, type Receiver } from '../../../helpers/receiver.js';
import { main } from '../../../../src/cli.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The receivers are local http:// URLs, as with the emulator in real use. */
const LOCAL = { ANCHOR_ALLOW_LOCAL_TARGETS: '1' };
let emu: CheckedEmulator;
let slow: CheckedEmulator;
const receivers: Receiver[] = [];
beforeAll(async () => {
  emu = await startCheckedEmulator({ retryDelaysMs: [10] });
  slow = await startCheckedEmulator({ retryDelaysMs: [60_000] });
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  expect(slow.violations).toEqual([]);
  await emu.close();
  await slow.close();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(status: number) {
  const r = await startReceiver(() => status);
  receivers.push(r);
  return r;
}

async function webhook(env: Record<string, string>, url: string, events = 'task.completed') {
  const r = await runCli(['webhooks', 'create', '--url', url, '--event', events, '--json'], { env });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).id as string;
}

describe('webhooks test', () => {
  it('without --wait prints the external_event_id', async () => {
    const env = projectEnv(emu.url, LOCAL);
    const id = await webhook(env, (await receiver(200)).url);
    const r = await runCli(['webhooks', 'test', id, '--event', 'task.completed'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^evt_[0-9a-f]{24}\n$/);
    const json = JSON.parse(
      (await runCli(['webhooks', 'test', id, '--event', 'task.failed', '--json'], { env })).stdout,
    );
    expect(json).toEqual({ external_event_id: expect.stringMatching(/^evt_/), event_type: 'task.failed' });
  });

  it('--wait ends 0 when the receiver answers 200', async () => {
    const env = projectEnv(emu.url, LOCAL);
    const rec = await receiver(200);
    const id = await webhook(env, rec.url);
    const r = await runCli(['webhooks', 'test', id, '--event', 'task.completed', '--wait', '--json'], { env });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.delivery).toMatchObject({
      external_event_id: body.external_event_id,
      status: 'succeeded',
      attempt: 1,
      response_status: 200,
    });
    expect(rec.requests).toHaveLength(1);
  });

  it('--wait ends 6 when the receiver answers 500 until the delivery is dead', async () => {
    const env = projectEnv(emu.url, LOCAL);
    const id = await webhook(env, (await receiver(500)).url);
    const r = await runCli(['webhooks', 'test', id, '--event', 'task.failed', '--wait'], { env });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/task\.failed\tevt_[0-9a-f]{24}\tdead\t6\t500\t/);
    expect(r.stderr).toContain('did not succeed: dead after 6 attempts');
  });

  it('--wait ends 6 at once for a non-retryable 4xx (failed)', async () => {
    const env = projectEnv(emu.url, LOCAL);
    const id = await webhook(env, (await receiver(401)).url);
    const r = await runCli(['webhooks', 'test', id, '--event', 'task.failed', '--wait', '--json'], { env });
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).delivery).toMatchObject({ status: 'failed', attempt: 1, response_status: 401 });
  });

  it('--wait ends 1 when the wait times out while Anchor is still retrying', async () => {
    const env = projectEnv(slow.url, LOCAL);
    const id = await webhook(env, (await receiver(503)).url);
    const r = await runCli(
      ['webhooks', 'test', id, '--event', 'task.failed', '--wait', '--wait-timeout', '1', '--json'],
      { env },
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).delivery).toMatchObject({ status: 'pending', attempt: 1, response_status: 503 });
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'timeout' });
    expect(JSON.parse(r.stderr).error.message).toContain('had not ended after 1s');
  });

  it('an unknown --event is exit 2 with a suggestion; --wait-timeout needs --wait', async () => {
    const env = projectEnv(emu.url, LOCAL);
    const id = await webhook(env, (await receiver(200)).url);
    const bad = await runCli(['webhooks', 'test', id, '--event', 'task.complted'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Did you mean "task.completed"');
    expect(
      (await runCli(['webhooks', 'test', id, '--event', 'task.completed', '--wait-timeout', '5'], { env })).code,
    ).toBe(2);
    const noEvent = await runCli(['webhooks', 'test', id], { env });
    expect(noEvent.code).toBe(2);
    expect(noEvent.stderr).toContain('--event');
  });
});

describe('webhooks deliveries', () => {
  async function seeded(count: number, types = ['task.completed', 'task.failed']) {
    const env = projectEnv(emu.url, LOCAL);
    const rec = await startReceiver((q) => (JSON.parse(q.body.toString()).type === 'task.failed' ? 410 : 200));
    receivers.push(rec);
    const id = await webhook(env, rec.url, types.join(','));
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${emu.url}/v1/webhooks/${id}/test`, {
        method: 'POST',
        headers: { 'anchor-api-key': env.ANCHOR_API_KEY!, 'content-type': 'application/json' },
        body: JSON.stringify({ event_type: types[i % types.length] }),
      });
      expect(res.status).toBe(202);
    }
    await rec.waitFor(count);
    await emu.dispatcher.idle();
    return { env, id };
  }

  it('TTY: a table with time, event, status, attempt, response and error; piped: tab-separated', async () => {
    const { env, id } = await seeded(2);
    // Relative times against a fixed clock: two hours after the newest delivery was scheduled.
    const newest = (
      JSON.parse((await runCli(['webhooks', 'deliveries', id, '--json'], { env })).stdout) as {
        events: Array<{ scheduled_at: string }>;
      }
    ).events[0]!;
    const tty = await runCli(['webhooks', 'deliveries', id], {
      env,
      tty: true,
      now: () => new Date(Date.parse(newest.scheduled_at) + 2 * 3600_000),
    });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/TIME.*EVENT.*EVENT ID.*STATUS.*ATTEMPT.*RESPONSE.*ERROR/);
    expect(tty.stdout).toContain('2 hours ago');
    expect(tty.stdout).toContain('\u001b[32msucceeded');
    expect(tty.stdout).toContain('\u001b[31mfailed');
    const piped = await runCli(['webhooks', 'deliveries', id], { env });
    const lines = piped.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual([
      expect.stringMatching(/^\d{4}-/),
      'task.failed',
      expect.stringMatching(/^evt_/),
      'failed',
      '1',
      '410',
      'receiver answered 410 Gone',
    ]);
  });

  it('filters by --status, --event, --since/--until, and pages with --limit/--offset', async () => {
    const { env, id } = await seeded(6);
    const json = async (...args: string[]) => {
      const r = await runCli(['webhooks', 'deliveries', id, '--json', ...args], { env });
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as {
        events: Array<{ status: string; event_type: string; id: string }>;
        pagination: { limit: number; offset: number; total: number };
      };
    };
    expect((await json('--status', 'failed')).events.map((e) => e.status)).toEqual(['failed', 'failed', 'failed']);
    expect((await json('--event', 'task.completed')).pagination.total).toBe(3);
    expect((await json('--since', '1h')).pagination.total).toBe(6);
    expect((await json('--until', '1h')).pagination.total).toBe(0);
    expect((await json('--since', new Date(Date.now() + 60_000).toISOString())).pagination.total).toBe(0);
    const all = await json();
    const page = await json('--limit', '2', '--offset', '2');
    expect(page.pagination).toEqual({ limit: 2, offset: 2, total: 6 });
    expect(page.events.map((e) => e.id)).toEqual(all.events.slice(2, 4).map((e) => e.id));
  });

  it.each([
    [['--status', 'in_flight'], /--status "in_flight"/],
    [['--event', 'task.nope'], /--event "task.nope": not an Anchor event type/],
    [['--limit', '101'], /--limit "101": must be a whole number from 1 to 100/],
    [['--offset', '-1'], /--offset "-1"/],
    [['--since', 'last week'], /--since "last week"/],
    [['--follow', '--all'], /--follow cannot be combined/],
  ])('%j is exit 2', async (args, message) => {
    const env = projectEnv(emu.url, LOCAL);
    const id = await webhook(env, 'https://e.example.com/');
    const r = await runCli(['webhooks', 'deliveries', id, ...args], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--all fetches every page (more than 100 rows), with a progress line in a terminal', async () => {
    const { env, id } = await seeded(105, ['task.completed']);
    const r = await runCli(['webhooks', 'deliveries', id, '--all', '--json'], { env });
    const body = JSON.parse(r.stdout);
    expect(body.events).toHaveLength(105);
    expect(new Set(body.events.map((e: { id: string }) => e.id)).size).toBe(105);
    expect(body.pagination).toEqual({ limit: 105, offset: 0, total: 105 });
    const tty = await runCli(['webhooks', 'deliveries', id, '--all', '--limit', '50'], { env, tty: true });
    expect(tty.stderr).toContain('Fetched 100 of 105 deliveries');
    expect(tty.stdout.trim().split('\n')).toHaveLength(106);
    const first = await runCli(['webhooks', 'deliveries', id], { env, tty: true });
    expect(first.stderr).toContain('Showing 1-25 of 105');
  });

  it("--payload shows each delivery's event data", async () => {
    const { env, id } = await seeded(1, ['task.completed']);
    const json = JSON.parse((await runCli(['webhooks', 'deliveries', id, '--payload', '--json'], { env })).stdout);
    expect(json.events[0].payload).toMatchObject({ task_id: expect.any(String), artifacts: expect.any(Array) });
    const piped = await runCli(['webhooks', 'deliveries', id, '--payload'], { env });
    expect(JSON.parse(piped.stdout.trim().split('\t').at(-1)!)).toEqual(json.events[0].payload);
    const tty = await runCli(['webhooks', 'deliveries', id, '--payload'], { env, tty: true });
    expect(tty.stdout).toContain('"task_id"');
    const plain = JSON.parse((await runCli(['webhooks', 'deliveries', id, '--json'], { env })).stdout);
    expect(plain.events[0]).not.toHaveProperty('payload');
  });

  it('--follow prints a row that arrives after it started (NDJSON), and stops cleanly on Ctrl-C', async () => {
    const { env, id } = await seeded(1, ['task.completed']);
    const io = fakeIO({ env });
    const running = main(['webhooks', 'deliveries', id, '--follow', '--json', '--interval', '0.2'], io);
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(pred()).toBe(true);
    };
    await until(() => io.stdout.text.split('\n').filter(Boolean).length === 1);
    const sent = await runCli(['webhooks', 'test', id, '--event', 'task.completed', '--json'], { env });
    const newId = JSON.parse(sent.stdout).external_event_id;
    await until(() => io.stdout.text.includes(newId));
    io.sendSignal('SIGINT');
    expect(await running).toBe(0);
    const rows = io.stdout.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.every((r) => typeof r.id === 'string' && typeof r.status === 'string')).toBe(true);
    expect(rows.some((r) => r.external_event_id === newId)).toBe(true);
  });

  it('--follow survives a network error: it backs off, reconnects and goes on', async () => {
    const { env, id } = await seeded(1, ['task.completed']);
    // A port nothing listens on yet: the API is "down" when following starts.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const io = fakeIO({ env: { ...env, ANCHOR_API_URL: `http://127.0.0.1:${port}` } });
    const running = main(['webhooks', 'deliveries', id, '--follow', '--interval', '0.2'], io);
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(pred()).toBe(true);
    };
    await until(() => io.stderr.text.includes('retrying in'));
    expect(io.stderr.text).toContain('connection refused');
    // The API comes back on that port: a forwarder to the emulator.
    const upstream = new URL(emu.url);
    const forwarder = http.createServer((req, res) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(out);
    });
    await new Promise<void>((r) => forwarder.listen(port, '127.0.0.1', r));
    try {
      await until(() => io.stderr.text.includes('Reconnected.'));
      const sent = await runCli(['webhooks', 'test', id, '--event', 'task.completed', '--json'], { env });
      const newId = JSON.parse(sent.stdout).external_event_id;
      await until(() => io.stdout.text.includes(newId));
      io.sendSignal('SIGINT');
      expect(await running).toBe(0);
    } finally {
      forwarder.closeAllConnections();
      await new Promise<void>((r) => forwarder.close(() => r()));
    }
  });
});
