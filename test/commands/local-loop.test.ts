// The local loop: sign, verify (and its diagnoses, each from a real mistake), trigger and listen.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { runCli } from '../helpers/io.js';
import { projectEnv } from '../helpers/env.js';
import { startReceiver } from '../helpers/receiver.js';
import { verifyDelivery } from '../helpers/verifier.js';
import { startListen, type InProcessListen } from '../helpers/listener.js';
import { startTunnel } from '../helpers/tunnel.js';

let emu: CheckedEmulator;
const cleanup: Array<() => Promise<void>> = [];
beforeAll(async () => {
  emu = await startCheckedEmulator({ retryDelaysMs: [20] });
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  await emu.close();
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const dir = mkdtempSync(join(tmpdir(), 'anchor-local-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, `${randomBytes(4).toString('hex')}-${name}`);
  writeFileSync(p, content);
  return p;
}
const SECRET = 'a3f1c2e4b5d6978812345678901234567890abcdefabcdefabcdef0123456789';
const now = () => Math.floor(Date.now() / 1000);

/** A real delivery: a webhook on the emulator, a test event, the raw request the receiver got. */
async function realDelivery(type = 'task.completed') {
  const env = projectEnv(emu.url, { ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
  const rec = await startReceiver();
  cleanup.push(() => rec.close());
  const created = JSON.parse(
    (await runCli(['webhooks', 'create', '--url', rec.url, '--event', type, '--json'], { env })).stdout,
  );
  await runCli(['webhooks', 'test', created.id, '--event', type], { env });
  const [req] = await rec.waitFor(1);
  return {
    env,
    rec,
    id: created.id as string,
    secret: created.secret as string,
    body: req!.body,
    sig: req!.headers['anchor-signature'] as string,
    ts: req!.headers['anchor-timestamp'] as string,
  };
}

async function verify(args: string[], secret: string, extraEnv: Record<string, string> = {}) {
  const r = await runCli(['webhooks', 'verify', '--json', ...args], {
    env: { ANCHOR_WEBHOOK_SECRET: secret, ...extraEnv },
  });
  return {
    code: r.code,
    body: JSON.parse(r.stdout) as {
      valid: boolean;
      checks: Array<{ name: string; ok: boolean; detail: string }>;
      diagnosis?: { cause: string; message: string };
    },
    stderr: r.stderr,
  };
}

describe('sign', () => {
  it('gives headers an independent verifier accepts, and verify accepts them', async () => {
    const body = JSON.stringify({ id: 'evt_fixture', type: 'task.failed', data: {} });
    const path = file('fixture.json', body);
    const r = await runCli(['webhooks', 'sign', '--payload', path, '--json'], {
      env: { ANCHOR_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    const { headers, timestamp } = JSON.parse(r.stdout);
    expect(headers).toMatchObject({
      'Anchor-Event': 'task.failed',
      'Content-Type': 'application/json',
      'User-Agent': 'Anchor-Webhooks/1.0',
      'Anchor-Timestamp': String(timestamp),
    });
    expect(
      verifyDelivery({
        secret: SECRET,
        timestampHeader: headers['Anchor-Timestamp'],
        signatureHeader: headers['Anchor-Signature'],
        rawBody: body,
      }),
    ).toBe(true);
    const v = await verify(
      ['--signature', headers['Anchor-Signature'], '--timestamp', headers['Anchor-Timestamp'], '--payload', path],
      SECRET,
    );
    expect(v.code).toBe(0);
    expect(v.body.valid).toBe(true);
    expect(v.body.checks.map((c) => c.name)).toEqual(['headers', 'timestamp_match', 'freshness', 'signature']);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('--timestamp fixes the time; the text form is one header a line; --secret-file - reads stdin', async () => {
    const path = file('f.json', '{"type":"batch.completed"}');
    const r = await runCli(['webhooks', 'sign', '--payload', path, '--timestamp', '1716544084', '--secret-file', '-'], {
      stdin: `${SECRET}\n`,
    });
    expect(r.code).toBe(0);
    const expected = createHmac('sha256', SECRET).update('v0:1716544084:{"type":"batch.completed"}').digest('hex');
    expect(r.stdout).toContain(`Anchor-Signature: t=1716544084,v1=${expected}\n`);
    expect(r.stdout).toContain('Anchor-Event: batch.completed\n');
  });

  it('no secret, or a secret as a flag value, is refused', async () => {
    const path = file('f.json', '{}');
    const none = await runCli(['webhooks', 'sign', '--payload', path]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('ANCHOR_WEBHOOK_SECRET');
    expect((await runCli(['webhooks', 'sign', '--payload', path, '--secret', SECRET])).code).toBe(2);
    expect((await runCli(['webhooks', 'sign', '--payload', '-', '--secret-file', '-'], { stdin: 'x' })).code).toBe(2);
  });
});

describe('verify: each diagnosis from a real mistake', () => {
  it('a real delivery verifies', async () => {
    const d = await realDelivery();
    const v = await verify(
      ['--signature', d.sig, '--timestamp', d.ts, '--payload', file('raw.json', d.body)],
      d.secret,
    );
    expect(v.code).toBe(0);
    expect(v.body.diagnosis).toBeUndefined();
  });

  it('the body re-serialised (pretty-printed by a framework)', async () => {
    const d = await realDelivery();
    const pretty = JSON.stringify(JSON.parse(d.body.toString()), null, 2);
    const v = await verify(['--signature', d.sig, '--payload', file('pretty.json', pretty)], d.secret);
    expect(v.code).toBe(6);
    expect(v.body.valid).toBe(false);
    expect(v.body.checks.find((c) => c.name === 'signature')!.ok).toBe(false);
    expect(v.body.diagnosis).toMatchObject({
      cause: 'body_reserialized',
      message: expect.stringContaining('compact JSON of the same value'),
    });
  });

  it('a trailing newline added (the body saved with echo)', async () => {
    const d = await realDelivery();
    const v = await verify(['--signature', d.sig, '--payload', file('nl.json', `${d.body}\n`)], d.secret);
    expect(v.body.diagnosis?.cause).toBe('trailing_newline_added');
  });

  it('a trailing newline lost (a fixture signed with its newline, verified without)', async () => {
    const withNl = file('fixture.json', '{"id":"evt_x","type":"task.completed"}\n');
    const signed = JSON.parse(
      (await runCli(['webhooks', 'sign', '--payload', withNl, '--json'], { env: { ANCHOR_WEBHOOK_SECRET: SECRET } }))
        .stdout,
    );
    const v = await verify(
      [
        '--signature',
        signed.headers['Anchor-Signature'],
        '--payload',
        file('stripped.json', '{"id":"evt_x","type":"task.completed"}'),
      ],
      SECRET,
    );
    expect(v.body.diagnosis?.cause).toBe('trailing_newline_lost');
  });

  it('white space around the secret (an env var with a newline)', async () => {
    const d = await realDelivery();
    const v = await verify(['--signature', d.sig, '--payload', file('raw.json', d.body)], `${d.secret}\n`);
    expect(v.body.diagnosis).toMatchObject({ cause: 'secret_whitespace' });
    expect(JSON.stringify(v.body)).not.toContain(d.secret);
  });

  it('the secret hex-decoded (a signer that decoded it)', async () => {
    const body = '{"id":"evt_hex","type":"task.completed"}';
    const t = now();
    const wrong = createHmac('sha256', Buffer.from(SECRET, 'hex')).update(`v0:${t}:${body}`).digest('hex');
    const v = await verify(['--signature', `t=${t},v1=${wrong}`, '--payload', file('b.json', body)], SECRET);
    expect(v.body.diagnosis).toMatchObject({
      cause: 'secret_hex_decoded',
      message: expect.stringContaining('do not decode it'),
    });
  });

  it('the timestamp in milliseconds (a signer that used Date.now())', async () => {
    const body = '{"id":"evt_ms","type":"task.completed"}';
    const t = Date.now();
    const sig = createHmac('sha256', SECRET).update(`v0:${t}:${body}`).digest('hex');
    const v = await verify(
      ['--signature', `t=${t},v1=${sig}`, '--timestamp', String(t), '--payload', file('b.json', body)],
      SECRET,
    );
    expect(v.body.diagnosis).toMatchObject({
      cause: 'timestamp_milliseconds',
      message: expect.stringContaining('Unix seconds'),
    });
  });

  it('a stale replay, with its age', async () => {
    const d = await realDelivery();
    const v = await verify(
      ['--signature', d.sig, '--payload', file('raw.json', d.body), '--now', String(Number(d.ts) + 600)],
      d.secret,
    );
    expect(v.body.checks.find((c) => c.name === 'freshness')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('10 minutes old'),
    });
    expect(v.body.checks.find((c) => c.name === 'signature')!.ok).toBe(true);
    expect(v.body.diagnosis).toMatchObject({ cause: 'stale', message: expect.stringContaining('10 minutes old') });
  });

  it('a secret from before a rotation still verifies during the overlap, with a note', async () => {
    const env = projectEnv(emu.url, { ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    const rec = await startReceiver();
    cleanup.push(() => rec.close());
    const created = JSON.parse(
      (await runCli(['webhooks', 'create', '--url', rec.url, '--event', 'task.completed', '--json'], { env })).stdout,
    );
    await runCli(['webhooks', 'rotate-secret', created.id, '--yes', '--json'], { env });
    await runCli(['webhooks', 'test', created.id, '--event', 'task.completed'], { env });
    const [req] = await rec.waitFor(1);
    const v = await verify(
      ['--signature', String(req!.headers['anchor-signature']), '--payload', file('raw.json', req!.body)],
      created.secret,
    );
    expect(v.code).toBe(0);
    expect(v.body.diagnosis).toMatchObject({ cause: 'previous_secret', message: expect.stringContaining('24 hours') });
  });

  it('a wrong secret', async () => {
    const d = await realDelivery();
    const v = await verify(['--signature', d.sig, '--payload', file('raw.json', d.body)], 'f'.repeat(64));
    expect(v.body.diagnosis?.cause).toBe('wrong_secret');
  });

  it('t= differing from Anchor-Timestamp, and malformed headers, fail the first checks', async () => {
    const d = await realDelivery();
    const mismatch = await verify(
      ['--signature', d.sig, '--timestamp', String(Number(d.ts) - 5), '--payload', file('raw.json', d.body)],
      d.secret,
    );
    expect(mismatch.body.checks.find((c) => c.name === 'timestamp_match')!.ok).toBe(false);
    expect(mismatch.body.diagnosis?.cause).toBe('timestamp_mismatch');
    const bad = await verify(['--signature', 'sha256=abc', '--payload', file('raw.json', d.body)], d.secret);
    expect(bad.body.checks[0]).toMatchObject({ name: 'headers', ok: false });
    expect(bad.body.diagnosis?.cause).toBe('malformed_headers');
  });

  it('human output names each check and the likely cause; exit 6', async () => {
    const d = await realDelivery();
    const r = await runCli(['webhooks', 'verify', '--signature', d.sig, '--payload', file('nl.json', `${d.body}\n`)], {
      env: { ANCHOR_WEBHOOK_SECRET: d.secret },
    });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/✓ headers/);
    expect(r.stdout).toMatch(/✗ signature/);
    expect(r.stdout).toContain('Likely cause: a trailing newline was added');
    expect(r.stderr).toContain('the signature check failed');
  });
});

describe('events trigger', () => {
  it('signs the example envelope exactly as Anchor does and shows status, latency and body', async () => {
    const app = await startReceiver(() => 200);
    cleanup.push(() => app.close());
    const r = await runCli(['events', 'trigger', 'task.failed', '--forward-to', app.url, '--json'], {
      env: { ANCHOR_WEBHOOK_SECRET: SECRET },
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      status: 200,
      event_type: 'task.failed',
      response_body: 'ok',
      latency_ms: expect.any(Number),
    });
    const [req] = await app.waitFor(1);
    expect(req!.headers).toMatchObject({
      'anchor-event': 'task.failed',
      'user-agent': 'Anchor-Webhooks/1.0',
      'content-type': 'application/json',
      'anchor-delivery-id': out.delivery_id,
    });
    expect(
      verifyDelivery({
        secret: SECRET,
        timestampHeader: req!.headers['anchor-timestamp'] as string,
        signatureHeader: req!.headers['anchor-signature'] as string,
        rawBody: req!.body,
      }),
    ).toBe(true);
    const envelope = JSON.parse(req!.body.toString());
    expect(envelope).toMatchObject({
      id: out.event_id,
      type: 'task.failed',
      data: { error: { type: 'automation_failure' } },
    });
  });

  it('a given --payload is sent byte for byte; a non-2xx is exit 6; nothing listening is exit 1', async () => {
    const app = await startReceiver(() => 500);
    cleanup.push(() => app.close());
    const payload = '{"id":"evt_mine","type":"task.completed","data":{"x":1}}';
    const r = await runCli(
      ['events', 'trigger', 'task.completed', '--forward-to', app.url, '--payload', file('p.json', payload)],
      { env: { ANCHOR_WEBHOOK_SECRET: SECRET } },
    );
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/^500 Internal Server Error in [\d.]+ ms/);
    const [req] = await app.waitFor(1);
    expect(req!.body.toString()).toBe(payload);
    const down = await runCli(['events', 'trigger', 'task.completed', '--forward-to', 'http://127.0.0.1:9/x'], {
      env: { ANCHOR_WEBHOOK_SECRET: SECRET },
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Is your app listening');
  });
});

/** Runs `anchor webhooks listen …` in-process; resolves once it is ready. */
async function listen(args: string[], env: Record<string, string>): Promise<InProcessListen> {
  const l = await startListen(args, { env });
  cleanup.push(async () => {
    await l.stop();
  });
  return l;
}

function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return fetch(url, { method: 'POST', body, headers }).then(async (r) => ({ status: r.status, body: await r.text() }));
}

function signed(body: string, t = now(), secret = SECRET): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${t}:${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'anchor-timestamp': String(t),
    'anchor-signature': `t=${t},v1=${sig}`,
    'anchor-event': 'task.completed',
  };
}

describe('webhooks listen', () => {
  it('receives real deliveries from the emulator and prints one line per verified event', async () => {
    const env = projectEnv(emu.url, { ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    // The webhook exists before the listener (whose secret it needs), so it points at a tunnel.
    const tunnel = await startTunnel('/hooks');
    cleanup.push(() => tunnel.close());
    const created = JSON.parse(
      (
        await runCli(
          ['webhooks', 'create', '--url', tunnel.url, '--event', 'task.completed,session.failed', '--json'],
          { env },
        )
      ).stdout,
    );
    const l = await listen(['--path', '/hooks', '--json'], {
      ...env,
      ANCHOR_WEBHOOK_SECRET: created.secret,
    });
    expect(l.url).toBe(`http://127.0.0.1:${l.port}/hooks`);
    tunnel.to(l.url);
    const sent = JSON.parse(
      (await runCli(['webhooks', 'test', created.id, '--event', 'session.failed', '--wait', '--json'], { env })).stdout,
    );
    expect(sent.delivery.status).toBe('succeeded');
    const lines = l.io.stdout.text
      .trim()
      .split('\n')
      .map((x) => JSON.parse(x));
    expect(lines).toEqual([
      expect.objectContaining({
        id: sent.external_event_id,
        type: 'session.failed',
        text: expect.stringContaining('Session'),
        delivery_id: sent.delivery.id,
      }),
    ]);
    l.io.sendSignal('SIGINT');
    expect(await l.done).toBe(0);
  });

  it('forwards to a local app with the raw body and headers, and answers Anchor with the app status', async () => {
    const env = projectEnv(emu.url, { ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    let appStatus = 500;
    const app = await startReceiver(() => appStatus);
    cleanup.push(() => app.close());
    const tunnel = await startTunnel();
    cleanup.push(() => tunnel.close());
    const created = JSON.parse(
      (await runCli(['webhooks', 'create', '--url', tunnel.url, '--event', 'task.completed', '--json'], { env }))
        .stdout,
    );
    const l = await listen(['--forward-to', app.url], {
      ...env,
      ANCHOR_WEBHOOK_SECRET: created.secret,
    });
    tunnel.to(l.url);
    // The app fails the first attempt; Anchor retries and the second goes through.
    const sent = JSON.parse(
      (await runCli(['webhooks', 'test', created.id, '--event', 'task.completed', '--json'], { env })).stdout,
    );
    await app.waitFor(1);
    appStatus = 201;
    const final = JSON.parse(
      (await runCli(['webhooks', 'test', created.id, '--event', 'task.completed', '--wait', '--json'], { env })).stdout,
    );
    expect(final.delivery).toMatchObject({ status: 'succeeded', response_status: 201 });
    const log = JSON.parse((await runCli(['webhooks', 'deliveries', created.id, '--json'], { env })).stdout);
    const first = log.events.find((e: { external_event_id: string }) => e.external_event_id === sent.external_event_id);
    expect(first.attempt).toBeGreaterThanOrEqual(2);
    expect(first).toMatchObject({ status: 'succeeded', response_status: 201 });
    for (const req of app.requests) {
      expect(
        verifyDelivery({
          secret: created.secret,
          timestampHeader: req.headers['anchor-timestamp'] as string,
          signatureHeader: req.headers['anchor-signature'] as string,
          rawBody: req.body,
        }),
      ).toBe(true);
      expect(req.headers['anchor-delivery-id']).toEqual(expect.any(String));
    }
    expect(l.io.stdout.text).toMatch(/→ 500 in [\d.]+ ms/);
    expect(l.io.stdout.text).toMatch(/→ 201 in [\d.]+ ms/);
  });

  it('refuses bad, oversized, stale, replayed and duplicate requests, and keeps serving', async () => {
    const l = await listen([], { ANCHOR_WEBHOOK_SECRET: SECRET });
    const body = (id: string) => JSON.stringify({ id, type: 'task.completed', text: `event ${id}`, data: {} });
    expect((await post(l.url, body('evt_a'), { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post(l.url, body('evt_a'), signed(body('evt_a'), now(), 'another-secret'))).status).toBe(401);
    expect((await post(l.url, body('evt_a'), signed(body('evt_a'), now() - 600))).status).toBe(401);
    expect((await post(l.url, Buffer.alloc(1024 * 1024 + 10, 'x'), signed('x'))).status).toBe(413);
    expect((await post(l.url, 'not json', signed('not json'))).status).toBe(400);
    const good = signed(body('evt_a'));
    expect((await post(l.url, body('evt_a'), good)).status).toBe(200);
    // A duplicate (the same request again, or a redelivery signed afresh) is acknowledged, not printed again.
    expect(await post(l.url, body('evt_a'), good)).toMatchObject({
      status: 200,
      body: expect.stringContaining('"duplicate":true'),
    });
    expect((await post(l.url, body('evt_a'), signed(body('evt_a')))).status).toBe(200);
    expect((await fetch(l.url.replace(/\/$/, '/elsewhere'), { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(l.url)).status).toBe(405);
    expect((await post(l.url, body('evt_b'), signed(body('evt_b')))).status).toBe(200);
    const printed = l.io.stdout.text.trim().split('\n');
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('evt_a');
    expect(printed[1]).toContain('evt_b');
    expect(l.io.stderr.text).toContain('401 signature check failed');
    expect(l.io.stderr.text).toContain('likely cause: no usual mistake reproduces the signature');
    expect(l.io.stderr.text).toContain('401 freshness check failed');
    expect(l.io.stderr.text).toContain('413');
    expect(l.io.stderr.text).toContain(
      'evt_a again: already processed, acknowledged (200), not printed or forwarded again',
    );
  });

  it('--events acknowledges and skips other types', async () => {
    const l = await listen(['--events', 'task.failed'], { ANCHOR_WEBHOOK_SECRET: SECRET });
    const b = JSON.stringify({ id: 'evt_skip', type: 'task.completed', text: '', data: {} });
    const r = await post(l.url, b, signed(b));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ignored: true });
    expect(l.io.stdout.text).toBe('');
  });

  it('--register offers, in a terminal, to remove webhooks a crashed run left behind', async () => {
    const env = projectEnv(emu.url, { ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    const leftover = JSON.parse(
      (
        await runCli(
          [
            'webhooks',
            'create',
            '--url',
            'http://127.0.0.1:9/old',
            '--event',
            'task.completed',
            '--description',
            'anchor webhooks listen (temporary) on host pid 1 since then',
            '--json',
          ],
          { env },
        )
      ).stdout,
    );
    // Nothing is delivered here, so the registered URL need not reach the listener.
    const { io, done } = await startListen(['--register', 'http://127.0.0.1:9/'], {
      env,
      tty: true,
      keys: ['y', '\r'],
    });
    expect(io.stderr.text).toContain(`Remove 1 temporary webhook(s) left by an earlier run`);
    expect(io.stderr.text).toContain('Removed 1 leftover webhook(s).');
    const ids = JSON.parse((await runCli(['webhooks', 'list', '--json'], { env })).stdout).map(
      (w: { id: string }) => w.id,
    );
    expect(ids).not.toContain(leftover.id);
    expect(ids).toHaveLength(1);
    io.sendSignal('SIGINT');
    expect(await done).toBe(0);
    expect(JSON.parse((await runCli(['webhooks', 'list', '--json'], { env })).stdout)).toEqual([]);
  });

  it('without a secret it refuses to start (exit 2)', async () => {
    const r = await runCli(['webhooks', 'listen', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ANCHOR_WEBHOOK_SECRET');
  });
});
