// The delivery record, from the built binary: `listen` records real deliveries from the emulator
// byte for byte; `received`, `received show`, `replay` (re-signed, as received, --edit) and
// `--backfill` work on it; it survives a SIGKILL under load and a damaged file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, randomUUID } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runBin, startBinEmulator, type BinEmulator } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { startTunnel } from '../helpers/tunnel.js';
import { sign, post } from '../../scripts/attack.mjs';

let emu: BinEmulator;
beforeAll(async () => {
  emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '10ms,10ms,10ms,10ms,10ms']);
});
afterAll(async () => {
  await emu.stop();
});

/** A local app that keeps every request it gets, raw, and answers with `status`. */
interface App {
  url: string;
  got: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }>;
  status: number;
  close: () => Promise<void>;
}
async function startApp(): Promise<App> {
  const app: App = { url: '', got: [], status: 200, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      app.got.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(app.status, { 'content-type': 'text/plain' });
      res.end(`app says ${app.status}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/anchor`;
  app.close = () => new Promise((r) => server.close(() => r()));
  return app;
}

const hmac = (secret: string, t: string, body: Buffer) =>
  createHmac('sha256', secret).update(`v0:${t}:`).update(body).digest('hex');

interface Listed {
  id: string;
  event_type: string | null;
  event_id: string | null;
  verdict: string;
  status: number;
  backfilled?: boolean;
  forward?: { url: string; status: number };
}

/** A project on the emulator with one webhook pointing at a listener, and the listener's env. */
async function setup() {
  const env = isolatedEnv({
    ANCHOR_API_URL: emu.url,
    ANCHOR_API_KEY: `rec-${randomUUID()}`,
    ANCHOR_ALLOW_LOCAL_TARGETS: '1',
  });
  return env;
}

describe('the delivery record', () => {
  it('keeps each request byte for byte (verified and refused), and received / received show list them', async () => {
    const env = await setup();
    const app = await startApp();
    // The webhook exists before the listener (whose secret it needs), so it points at a tunnel,
    // which points at the listener once it listens.
    const tunnel = await startTunnel();
    const created = await runBin(['webhooks', 'create', '--url', tunnel.url, '--event', 'task.completed', '--json'], {
      env,
    });
    expect(created.code).toBe(0);
    const { id: hookId, secret } = JSON.parse(created.stdout) as { id: string; secret: string };
    const listen = await startBinListen(['--port', '0', '--forward-to', app.url, '--json'], {
      ...env,
      ANCHOR_WEBHOOK_SECRET: secret,
    });
    tunnel.to(listen.url);
    try {
      const test = await runBin(['webhooks', 'test', hookId, '--event', 'task.completed', '--wait', '--json'], { env });
      expect(test.code).toBe(0);
      // A stranger's request with a bad signature.
      const bad = Buffer.from('{"id":"evt_x","type":"task.completed"}');
      const t = String(Math.floor(Date.now() / 1000));
      const refusedStatus = await post(false, listen.url, bad.toString(), {
        'anchor-signature': `t=${t},v1=${hmac('not-the-secret', t, bad)}`,
        'anchor-timestamp': t,
        'content-type': 'application/json',
      });
      expect(refusedStatus).toBe(401);

      const list = await runBin(['webhooks', 'received', '--json'], { env });
      expect(list.code).toBe(0);
      const records = JSON.parse(list.stdout) as Listed[];
      expect(records.map((r) => r.verdict)).toEqual(['refused', 'ok']);
      expect(records[1]).toMatchObject({
        event_type: 'task.completed',
        status: 200,
        forward: { url: app.url, status: 200 },
      });

      const show = await runBin(['webhooks', 'received', 'show', records[1]!.id, '--json'], { env });
      const shown = JSON.parse(show.stdout) as {
        body: string;
        headers: Record<string, string>;
        checks: Array<{ name: string; ok: boolean }>;
        forward: { response_body: string };
      };
      // Byte for byte what the emulator sent (the app got the same bytes, relayed).
      expect(app.got).toHaveLength(1);
      expect(Buffer.from(shown.body)).toEqual(app.got[0]!.body);
      expect(shown.headers['anchor-signature']).toBe(app.got[0]!.headers['anchor-signature']);
      expect(shown.headers['anchor-delivery-id']).toBe(app.got[0]!.headers['anchor-delivery-id']);
      expect(shown.checks.every((c) => c.ok)).toBe(true);
      expect(shown.forward.response_body).toBe('app says 200');

      const refused = JSON.parse(
        (await runBin(['webhooks', 'received', 'show', records[0]!.id, '--json'], { env })).stdout,
      ) as {
        body: string;
        reason: string;
        diagnosis?: string;
      };
      expect(refused.body).toBe(bad.toString());
      expect(refused.reason).toContain('signature check failed');
      expect(refused.diagnosis).toMatch(/secret/);

      const human = await runBin(['webhooks', 'received', '--refused'], { env });
      expect(human.stdout.trim().split('\n')).toHaveLength(1);
      expect(human.stdout).toContain('refused');

      // The record: 0700 and 0600, and no secret or API key in it.
      const dir = join(env.XDG_STATE_HOME!, 'anchor', 'record');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(dir)) {
        expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text.includes(secret)).toBe(false);
        expect(text.includes(env.ANCHOR_API_KEY!)).toBe(false);
      }
    } finally {
      listen.kill();
      await app.close();
      await tunnel.close();
    }
  });

  it('replay: re-signed with the current secret (it verifies), as received (identical bytes and headers), --edit, exit 6 on a refusal', async () => {
    const env = isolatedEnv();
    const secret = 'whsec_replay_secret_0123456789abcdef';
    const app = await startApp();
    const listen = await startBinListen(['--port', '0', '--forward-to', app.url], {
      ...env,
      ANCHOR_WEBHOOK_SECRET: secret,
    });
    try {
      const trig = await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url, '--json'], {
        env: { ...env, ANCHOR_WEBHOOK_SECRET: secret },
      });
      expect(trig.code).toBe(0);
    } finally {
      listen.kill();
    }
    const original = app.got[0]!;
    const [rec] = JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as Listed[];

    // Re-signed: same bytes, a fresh timestamp, signed with the current secret.
    const resigned = await runBin(['webhooks', 'replay', '--last', '--json'], {
      env: { ...env, ANCHOR_WEBHOOK_SECRET: secret },
    });
    expect(resigned.code).toBe(0);
    expect(JSON.parse(resigned.stdout)).toEqual([
      expect.objectContaining({
        record_id: rec!.id,
        url: app.url,
        resigned: true,
        status: 200,
        response_body: 'app says 200',
      }),
    ]);
    const again = app.got[1]!;
    expect(again.body).toEqual(original.body);
    const t = String(again.headers['anchor-timestamp']);
    expect(again.headers['anchor-signature']).toBe(`t=${t},v1=${hmac(secret, t, again.body)}`);

    // As received: the original bytes and headers, untouched.
    const asReceived = await runBin(['webhooks', 'replay', rec!.id, '--as-received'], { env });
    expect(asReceived.code).toBe(0);
    const same = app.got[2]!;
    expect(same.body).toEqual(original.body);
    for (const h of [
      'anchor-signature',
      'anchor-timestamp',
      'anchor-delivery-id',
      'anchor-event',
      'content-type',
      'user-agent',
    ])
      expect(same.headers[h]).toBe(original.headers[h]);

    // --edit: a scripted editor changes the body; what was saved is signed and sent.
    const edited = await runBin(['webhooks', 'replay', rec!.id, '--edit'], {
      env: { ...env, ANCHOR_WEBHOOK_SECRET: secret, EDITOR: 'sed -i s/checkout-flow/edited-flow/' },
    });
    expect(edited.code).toBe(0);
    const e = app.got[3]!;
    expect(e.body.toString()).toContain('"task_name":"edited-flow"');
    expect(e.body.toString()).toBe(original.body.toString().replace('checkout-flow', 'edited-flow'));
    const te = String(e.headers['anchor-timestamp']);
    expect(e.headers['anchor-signature']).toBe(`t=${te},v1=${hmac(secret, te, e.body)}`);

    // The app refuses: exit 6, with its answer shown.
    app.status = 400;
    const refused = await runBin(['webhooks', 'replay', rec!.id, '--to', app.url], {
      env: { ...env, ANCHOR_WEBHOOK_SECRET: secret },
    });
    expect(refused.code).toBe(6);
    expect(refused.stdout).toContain('app says 400');
    await app.close();

    const none = await runBin(['webhooks', 'replay'], { env });
    expect(none.code).toBe(2);
    const unknown = await runBin(['webhooks', 'replay', 'rec_nope'], {
      env: { ...env, ANCHOR_WEBHOOK_SECRET: secret },
    });
    expect(unknown.code).toBe(5);
  });

  it('replay takes several record ids, and sends each in the order given', async () => {
    const env = isolatedEnv();
    const secret = 'whsec_replay_many_0123456789abcdef';
    const withSecret = { ...env, ANCHOR_WEBHOOK_SECRET: secret };
    const app = await startApp();
    const listen = await startBinListen(['--port', '0', '--forward-to', app.url], withSecret);
    try {
      for (const type of ['task.completed', 'task.failed', 'session.failed'])
        expect((await runBin(['events', 'trigger', type, '--forward-to', listen.url], { env: withSecret })).code).toBe(
          0,
        );
    } finally {
      listen.kill();
    }
    const recs = JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as Listed[];
    const ids = [recs[2]!.id, recs[0]!.id];
    const r = await runBin(['webhooks', 'replay', ...ids, '--json'], { env: withSecret });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ record_id: string }>).map((x) => x.record_id)).toEqual(ids);
    expect(app.got.slice(3).map((g) => (JSON.parse(g.body.toString()) as { type: string }).type)).toEqual([
      'task.completed',
      'session.failed',
    ]);
    await app.close();
  });

  it('--backfill re-delivers, signed with the listener secret, what failed while no listener ran', async () => {
    const env = await setup();
    const app = await startApp();
    // The webhook points at a port where nothing listens: every attempt fails, until dead.
    const l = await startBinListen(['--port', '0', '--no-record'], { ...env, ANCHOR_WEBHOOK_SECRET: 'x' });
    const deadUrl = l.url;
    await l.stop();
    const created = await runBin(
      ['webhooks', 'create', '--url', deadUrl, '--event', 'task.completed,task.failed', '--json'],
      { env },
    );
    const { id: hookId, secret } = JSON.parse(created.stdout) as { id: string; secret: string };
    const sent: string[] = [];
    for (const type of ['task.completed', 'task.failed']) {
      const r = await runBin(['webhooks', 'test', hookId, '--event', type, '--wait', '--json'], { env });
      expect(r.code).toBe(6);
      sent.push((JSON.parse(r.stdout) as { external_event_id: string }).external_event_id);
    }
    const listen = await startBinListen(
      ['--port', '0', '--webhook', hookId, '--backfill', '1h', '--forward-to', app.url, '--json'],
      { ...env, ANCHOR_WEBHOOK_SECRET: secret },
    );
    try {
      expect(listen.stderr()).toContain('Backfill: 2 event(s)');
      expect(app.got.map((g) => (JSON.parse(g.body.toString()) as { id: string }).id)).toEqual(sent);
      for (const g of app.got) {
        const t = String(g.headers['anchor-timestamp']);
        expect(g.headers['anchor-signature']).toBe(`t=${t},v1=${hmac(secret, t, g.body)}`);
        const envelope = JSON.parse(g.body.toString()) as { data: Record<string, unknown> };
        expect(envelope.data.task_id).toMatch(/^tsk_/);
      }
      const lines = listen.lines.map((x) => JSON.parse(x) as { backfilled?: boolean; id: string });
      expect(lines.filter((x) => x.backfilled).map((x) => x.id)).toEqual(sent);
    } finally {
      listen.kill();
      await app.close();
    }
    const records = JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as Listed[];
    expect(
      records
        .filter((r) => r.backfilled)
        .map((r) => r.event_id)
        .reverse(),
    ).toEqual(sent);
  });

  it('a damaged record is reported with its path and skipped; the next listen appends to it', async () => {
    const env = isolatedEnv();
    const secret = 'whsec_damaged_record_0123456789';
    const app = await startApp();
    const withSecret = { ...env, ANCHOR_WEBHOOK_SECRET: secret };
    let listen = await startBinListen(['--port', '0', '--forward-to', app.url], withSecret);
    await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url], { env: withSecret });
    listen.kill();
    const dir = join(env.XDG_STATE_HOME!, 'anchor', 'record');
    const [seg] = readdirSync(dir);
    // A torn last line, as a SIGKILL in the middle of a write would leave.
    appendFileSync(join(dir, seg!), '{"k":"req","id":"rec_torn","recei');
    const r = await runBin(['webhooks', 'received', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(r.stderr).toContain(`${join(dir, seg!)}:`);
    listen = await startBinListen(['--port', '0', '--forward-to', app.url], withSecret);
    await runBin(['events', 'trigger', 'task.failed', '--forward-to', listen.url], { env: withSecret });
    listen.kill();
    const after = JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as Listed[];
    expect(after.map((x) => x.event_type)).toEqual(['task.failed', 'task.completed']);
    // A file that is not a record at all is skipped too.
    writeFileSync(join(dir, seg!), '\u0000\u0001garbage\n', { flag: 'a' });
    expect((await runBin(['webhooks', 'received'], { env })).code).toBe(0);
    await app.close();
  });

  it('killed with SIGKILL under a 50-sender load: every request it answered is in the record, intact and listed', async () => {
    const env = isolatedEnv();
    const secret = 'whsec_sigkill_load_0123456789abcdef';
    const listen = await startBinListen(['--port', '0', '--json'], { ...env, ANCHOR_WEBHOOK_SECRET: secret });
    const answered = new Set<string>();
    let stop = false;
    let killAt: () => void = () => {};
    const enough = new Promise<void>((r) => (killAt = r));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    const sender = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const id = `evt_${n}_${i}_${randomUUID()}`;
        const body = JSON.stringify({ id, type: 'task.completed', text: 'x', data: {} });
        try {
          const status = await post(agent, listen.url, body, sign(secret, body));
          if (status === 200) answered.add(id);
          if (answered.size >= 600) killAt();
        } catch {
          return; // the listener is gone
        }
      }
    };
    const senders = Array.from({ length: 50 }, (_, n) => sender(n));
    await enough;
    listen.child.kill('SIGKILL');
    stop = true;
    await Promise.all(senders);
    agent.destroy();
    await listen.exited;

    const r = await runBin(['webhooks', 'received', '--json', '--limit', '1000'], { env });
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as Listed[];
    // Fewer than the 1,000 retention keeps: everything answered, and perhaps a few in flight.
    expect(listed.length).toBeGreaterThanOrEqual(answered.size);
    expect(listed.length).toBeLessThan(1000);
    const recorded = new Set(listed.map((x) => x.event_id));
    const dir = join(env.XDG_STATE_HOME!, 'anchor', 'record');
    const all = readdirSync(dir).flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{"k":"req"'))
        .flatMap((line) => {
          try {
            return [(JSON.parse(line) as { event_id: string }).event_id];
          } catch {
            return [];
          }
        }),
    );
    const onDisk = new Set(all);
    for (const id of answered) expect(onDisk.has(id), `${id} was answered 200 but is not in the record`).toBe(true);
    for (const id of recorded) expect(id !== null && onDisk.has(id)).toBe(true);
    for (const id of answered) expect(recorded.has(id)).toBe(true);

    // The next listen appends without error.
    const next = await startBinListen(['--port', '0', '--json'], { ...env, ANCHOR_WEBHOOK_SECRET: secret });
    const body = JSON.stringify({ id: 'evt_after_crash', type: 'task.failed', text: 'x', data: {} });
    expect(await post(false, next.url, body, sign(secret, body))).toBe(200);
    next.kill();
    const newest = JSON.parse(
      (await runBin(['webhooks', 'received', '--json', '--limit', '1'], { env })).stdout,
    ) as Listed[];
    expect(newest[0]!.event_id).toBe('evt_after_crash');
  }, 60_000);
});

describe('received and replay without a record', () => {
  it('say there is nothing recorded, and --no-record keeps nothing', async () => {
    const env = isolatedEnv();
    const r = await runBin(['webhooks', 'received'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Nothing recorded');
    const secret = 'whsec_no_record_0123456789';
    const listen = await startBinListen(['--port', '0', '--no-record'], { ...env, ANCHOR_WEBHOOK_SECRET: secret });
    const body = JSON.stringify({ id: 'evt_not_kept', type: 'task.failed', text: 'x', data: {} });
    expect(await post(false, listen.url, body, sign(secret, body))).toBe(200);
    listen.kill();
    expect(JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout)).toEqual([]);
  });
});
