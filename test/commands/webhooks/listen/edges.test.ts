// `listen` at the edges a new user found: duplicates acknowledged, the previous secret of a
// rotation warned about once, an https:// app with a self-signed certificate on loopback, and
// bind failures that say what to do.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { runCli, type FakeIO } from '../../../helpers/io.js';
import { startListen } from '../../../helpers/listener.js';
import { selfSignedCert } from '../../../helpers/tls.js';
import { signatureHeader } from '../../../../src/core/signature.js';
import { lacks } from '../../../helpers/tools.js';

const SECRET = 'listen-edges-secret-0123456789';
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function listen(args: string[]): Promise<{ io: FakeIO; url: string }> {
  const l = await startListen(['--port', '0', ...args], { env: { ANCHOR_WEBHOOK_SECRET: SECRET } });
  cleanup.push(async () => {
    expect(await l.stop()).toBe(0);
  });
  return { io: l.io, url: l.url };
}

const now = () => Math.floor(Date.now() / 1000);
const envelope = (id: string) => JSON.stringify({ id, type: 'task.completed', text: `event ${id}`, data: {} });
function deliver(url: string, body: string, secrets: string[] = [SECRET]) {
  const t = now();
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'anchor-timestamp': String(t),
      'anchor-signature': signatureHeader(secrets, t, body),
    },
  });
}

describe('listen: duplicates and rotations', () => {
  it('a redelivered envelope is acknowledged with 200 and not forwarded to the app again', async () => {
    let forwarded = 0;
    const app = http.createServer((req, res) => {
      req.resume();
      forwarded++;
      res.end('ok');
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => app.close(r)));
    const l = await listen(['--forward-to', `http://127.0.0.1:${(app.address() as AddressInfo).port}/`]);
    expect((await deliver(l.url, envelope('evt_dup'))).status).toBe(200);
    const again = await deliver(l.url, envelope('evt_dup'));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(forwarded).toBe(1);
    expect(
      l.io.stdout.text
        .trim()
        .split('\n')
        .filter((line) => line.includes('evt_dup')),
    ).toHaveLength(1);
  });

  it('a delivery that verifies only with the previous secret is accepted, with one warning for the run', async () => {
    const l = await listen([]);
    // During a rotation Anchor signs with the new secret first and the previous one second.
    expect((await deliver(l.url, envelope('evt_r1'), ['the-new-secret-after-rotation', SECRET])).status).toBe(200);
    expect((await deliver(l.url, envelope('evt_r2'), ['the-new-secret-after-rotation', SECRET])).status).toBe(200);
    expect(l.io.stderr.text.match(/verified only with the previous secret/g)).toHaveLength(1);
    expect(l.io.stdout.text).toContain('evt_r2');
  });
});

describe.skipIf(lacks('openssl'))('listen --forward-to https://', () => {
  it('relays to a local https app with a self-signed certificate (loopback only)', async () => {
    const got: string[] = [];
    const app = https.createServer(selfSignedCert(), (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push(body);
        res.writeHead(202).end('accepted');
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => app.close(r)));
    const l = await listen(['--forward-to', `https://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`]);
    const res = await deliver(l.url, envelope('evt_tls'));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('accepted');
    expect(got).toEqual([envelope('evt_tls')]);
  });
});

describe('listen: bind failures', () => {
  it('a port in use and a host that is not this machine are clear errors (exit 1), never "a bug"', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => busy.close(r)));
    const port = String((busy.address() as AddressInfo).port);
    const inUse = await runCli(['webhooks', 'listen', '--port', port], { env: { ANCHOR_WEBHOOK_SECRET: SECRET } });
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    // 192.0.2.1 is a documentation address: never one of this machine's.
    const elsewhere = await runCli(['webhooks', 'listen', '--port', '0', '--host', '192.0.2.1'], {
      env: { ANCHOR_WEBHOOK_SECRET: SECRET },
    });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('cannot listen on 192.0.2.1: it is not an address of this machine');
    for (const r of [inUse, elsewhere]) expect(r.stderr).not.toMatch(/this is a bug/);
  });

  it('--allow-local-targets goes with --register', async () => {
    const r = await runCli(['webhooks', 'listen', '--allow-local-targets'], { env: { ANCHOR_WEBHOOK_SECRET: SECRET } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--allow-local-targets goes with --register');
  });
});
