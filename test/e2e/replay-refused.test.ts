// `replay` of a request `listen` refused, from the built binary: a stranger's forged body is sent
// only as received unless --resign-refused says the user knows where it came from. The app on
// loopback fails the test on any request it was not told to expect.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { post, sign } from '../../scripts/attack.mjs';

const SECRET = 'whsec_replay_refused_secret_0123456789';
const env = isolatedEnv();
const withSecret = { ...env, ANCHOR_WEBHOOK_SECRET: SECRET };
const FORGED = JSON.stringify({ id: 'evt_forged', type: 'task.completed', text: 'a stranger wrote this', data: {} });

/** A local app that takes only as many requests as it was told to expect; any other fails the test. */
const app = {
  url: '',
  expected: 0,
  got: [] as Array<{ headers: http.IncomingHttpHeaders; body: Buffer }>,
  unexpected: [] as string[],
  /** When set, the app's answer quotes the signing secret (an app that logs too much). */
  echoSecret: false,
  server: undefined as http.Server | undefined,
};
let refusedId = '';
let verifiedId = '';

beforeAll(async () => {
  app.server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (app.got.length >= app.expected) {
        app.unexpected.push(`${req.method} ${req.url} ${body.toString().slice(0, 200)}`);
        res.writeHead(500).end('unexpected');
        return;
      }
      app.got.push({ headers: req.headers, body });
      res.end(app.echoSecret ? `ok, signed with ${SECRET}` : 'ok');
    });
  });
  await new Promise<void>((r) => app.server!.listen(0, '127.0.0.1', r));
  app.url = `http://127.0.0.1:${(app.server!.address() as AddressInfo).port}/webhooks/anchor`;

  // One verified delivery (forwarded to the app) and one stranger's request signed with another secret.
  const listen = await startBinListen(['--port', '0', '--forward-to', app.url], withSecret);
  try {
    app.expected = 1;
    const trig = await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url], {
      env: withSecret,
    });
    expect(trig.code).toBe(0);
    expect(await post(false, listen.url, FORGED, sign('whsec_a_strangers_own_secret_000000', FORGED))).toBe(401);
  } finally {
    await listen.stop();
  }
  const all = JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as Array<{
    id: string;
    verdict: string;
  }>;
  refusedId = all.find((r) => r.verdict === 'refused')!.id;
  verifiedId = all.find((r) => r.verdict === 'ok')!.id;
  app.got.length = 0;
  app.expected = 0;
}, 30_000);

afterEach(() => {
  // Reset first, so that one test's stray request fails that test alone.
  const [unexpected, got, expected] = [app.unexpected.splice(0), app.got.splice(0).length, app.expected];
  app.expected = 0;
  expect(unexpected).toEqual([]);
  expect(got).toBe(expected);
});

afterAll(async () => {
  app.server?.closeAllConnections();
  await new Promise<void>((r) => app.server?.close(() => r()) ?? r());
});

const hmac = (t: string, body: Buffer) => createHmac('sha256', SECRET).update(`v0:${t}:`).update(body).digest('hex');

describe('replay of a refused request', () => {
  it('is a usage error by default, naming the record and both ways, and sends nothing', async () => {
    const r = await runBin(['webhooks', 'replay', refusedId, '--to', app.url], { env: withSecret });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${refusedId} was refused by listen`);
    expect(r.stderr).toContain(`anchor webhooks replay ${refusedId} --as-received`);
    expect(r.stderr).toContain('--resign-refused');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('among verified ones: nothing at all is sent, not even the verified one', async () => {
    const r = await runBin(['webhooks', 'replay', verifiedId, refusedId, '--to', app.url, '--json'], {
      env: withSecret,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'usage' } });
    expect(r.stderr).toContain(refusedId);
    expect(r.stderr).not.toContain(verifiedId);
  });

  it('--edit needs --resign-refused too, and the editor is not even opened', async () => {
    const marker = join(env.HOME!, 'editor-ran');
    const r = await runBin(['webhooks', 'replay', refusedId, '--edit', '--to', app.url], {
      env: { ...withSecret, EDITOR: `touch ${marker}; true` },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--edit signs the body you save');
    expect(r.stderr).toContain('--resign-refused');
    expect(existsSync(marker)).toBe(false);
  });

  it('--resign-refused with --as-received is a conflict', async () => {
    const r = await runBin(['webhooks', 'replay', refusedId, '--resign-refused', '--as-received', '--to', app.url], {
      env: withSecret,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--as-received sends the bytes unchanged; it cannot be combined with --resign-refused');
  });

  it('--as-received sends the stranger its own bytes and signature, unchanged', async () => {
    app.expected = 1;
    const r = await runBin(['webhooks', 'replay', refusedId, '--as-received', '--to', app.url, '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ record_id: refusedId, resigned: false })]);
    const sent = app.got[0]!;
    expect(sent.body.toString()).toBe(FORGED);
    const t = String(sent.headers['anchor-timestamp']);
    expect(sent.headers['anchor-signature']).not.toBe(`t=${t},v1=${hmac(t, sent.body)}`);
  });

  it('--resign-refused re-signs it with the secret, as asked', async () => {
    app.expected = 1;
    const r = await runBin(['webhooks', 'replay', refusedId, '--resign-refused', '--to', app.url, '--json'], {
      env: withSecret,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ record_id: refusedId, resigned: true })]);
    const sent = app.got[0]!;
    expect(sent.body.toString()).toBe(FORGED);
    const t = String(sent.headers['anchor-timestamp']);
    expect(sent.headers['anchor-signature']).toBe(`t=${t},v1=${hmac(t, sent.body)}`);
  });

  it('a verified record is re-signed without the flag, as before', async () => {
    app.expected = 1;
    const r = await runBin(['webhooks', 'replay', verifiedId, '--to', app.url], { env: withSecret });
    expect(r.code).toBe(0);
    const t = String(app.got[0]!.headers['anchor-timestamp']);
    expect(app.got[0]!.headers['anchor-signature']).toBe(`t=${t},v1=${hmac(t, app.got[0]!.body)}`);
  });

  it("an answer that echoes the secret is redacted from replay's output, human and --json", async () => {
    app.expected = 2;
    app.echoSecret = true;
    try {
      for (const json of [false, true]) {
        const r = await runBin(['webhooks', 'replay', verifiedId, '--to', app.url, ...(json ? ['--json'] : [])], {
          env: withSecret,
        });
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('ok, signed with [REDACTED]');
        expect(r.stdout + r.stderr).not.toContain(SECRET);
      }
    } finally {
      app.echoSecret = false;
    }
  });
});
