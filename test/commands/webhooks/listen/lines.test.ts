// What `listen` says of each event: the record id in its line and in --json (the one `received`
// shows), duplicates forwarded and marked under --no-dedupe (dropped by default), the ready line
// saying which, and a --until that runs out as the JSON error code "timeout".
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../helpers/io.js';
import { startListen } from '../../../helpers/listener.js';
import { signatureHeader } from '../../../../src/core/signature.js';

const SECRET = 'listen-lines-secret-0123456789';
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const envelope = (id: string) => JSON.stringify({ id, type: 'task.completed', text: `event ${id}`, data: {} });
function deliver(url: string, body: string) {
  const t = Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'anchor-timestamp': String(t),
      'anchor-signature': signatureHeader([SECRET], t, body),
    },
  });
}

/** An app that counts what it gets and answers with the count. */
async function countingApp(): Promise<{ url: string; got: string[] }> {
  const got: string[] = [];
  const app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push((JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id);
      res.end(`app got ${got.length}`);
    });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => app.close(r)));
  return { url: `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`, got };
}

async function listen(args: string[], env: Record<string, string> = {}) {
  const l = await startListen(args, { env: { ANCHOR_WEBHOOK_SECRET: SECRET, ...env } });
  cleanup.push(async () => {
    expect(await l.stop()).toBe(0);
  });
  return l;
}

const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('listen --no-dedupe', () => {
  it('forwards a duplicate to the app, marked in --json, and says so in the ready line', async () => {
    const app = await countingApp();
    const l = await listen(['--forward-to', app.url, '--no-dedupe', '--json']);
    expect(l.io.stderr.text).toContain('duplicates: forwarded to the app too (marked)');
    expect((await deliver(l.url, envelope('evt_twice'))).status).toBe(200);
    const again = await deliver(l.url, envelope('evt_twice'));
    expect(again.status).toBe(200);
    expect(await again.text()).toBe('app got 2');
    expect(app.got).toEqual(['evt_twice', 'evt_twice']);
    const [first, second] = jsonLines(l.io.stdout.text);
    expect(first).not.toHaveProperty('duplicate');
    expect(second).toMatchObject({ id: 'evt_twice', duplicate: true, forward: { status: 200 } });
  });

  it('by default drops the duplicate before the app, and the ready line says so', async () => {
    const app = await countingApp();
    const l = await listen(['--forward-to', app.url]);
    expect(l.io.stderr.text).toContain('duplicates: dropped before the app');
    await deliver(l.url, envelope('evt_once'));
    expect(await (await deliver(l.url, envelope('evt_once'))).json()).toEqual({ ok: true, duplicate: true });
    expect(app.got).toEqual(['evt_once']);
  });

  it('without an app, prints the duplicate again with a mark', async () => {
    const l = await listen(['--no-dedupe']);
    await deliver(l.url, envelope('evt_shown'));
    await deliver(l.url, envelope('evt_shown'));
    const lines = l.io.stdout.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain('duplicate');
    expect(lines[1]).toContain('↺ duplicate');
  });
});

describe('listen: record ids', () => {
  it('--json lines carry the record id that `received` shows; the human line shows it too', async () => {
    const state = mkdtempSync(join(tmpdir(), 'anchor-lines-'));
    const l = await listen(['--json'], { ANCHOR_STATE_DIR: state });
    await deliver(l.url, envelope('evt_json'));
    const [line] = jsonLines(l.io.stdout.text);
    expect(line!.record_id).toMatch(/^rec_/);
    const received = await runCli(['webhooks', 'received', '--json'], { env: { ANCHOR_STATE_DIR: state } });
    const records = JSON.parse(received.stdout) as Array<{ id: string; event_id: string }>;
    expect(records.find((r) => r.event_id === 'evt_json')?.id).toBe(line!.record_id);

    const human = await listen([], { ANCHOR_STATE_DIR: state });
    await deliver(human.url, envelope('evt_human'));
    const after = JSON.parse(
      (await runCli(['webhooks', 'received', '--json'], { env: { ANCHOR_STATE_DIR: state } })).stdout,
    ) as Array<{ id: string; event_id: string }>;
    const id = after.find((r) => r.event_id === 'evt_human')!.id;
    expect(human.io.stdout.text).toMatch(new RegExp(`evt_human .*${id}\\n$`));
  });

  it('--no-record: no record id', async () => {
    const l = await listen(['--json', '--no-record']);
    await deliver(l.url, envelope('evt_norec'));
    expect(jsonLines(l.io.stdout.text)[0]).not.toHaveProperty('record_id');
  });
});

describe('listen --until', () => {
  it('a wait that runs out is exit 1 with the JSON error code "timeout"', async () => {
    const r = await runCli(
      ['webhooks', 'listen', '--port', '0', '--until', 'task.completed', '--wait-timeout', '1', '--json'],
      { env: { ANCHOR_WEBHOOK_SECRET: SECRET } },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const { error } = JSON.parse(r.stderr.trim().split('\n').pop()!) as { error: { code: string; message: string } };
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('waited 1s for task.completed');
  });
});
