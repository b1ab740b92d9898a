// Issue 3's walk-through, from the built binary as a new user would run it.
import { afterEach, describe, expect, it } from 'vitest';
import { runBin, startBinEmulator, type BinEmulator } from '../helpers/bin.js';
import { apiClient, until } from '../helpers/api.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { verifyDelivery } from '../helpers/verifier.js';

const cleanup: Array<BinEmulator | Receiver> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) {
    if ('child' in c) {
      if (c.child.exitCode === null) await c.stop();
    } else await c.close();
  }
});

describe('anchor emulator (built binary)', () => {
  it('starts on a free port and prints the URL first, then the lines to export', async () => {
    const emu = await startBinEmulator(['--allow-local-targets']);
    cleanup.push(emu);
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.lines.slice(1)).toEqual([`ANCHOR_API_URL=${emu.url}`, 'ANCHOR_ALLOW_LOCAL_TARGETS=1']);
    const plain = await startBinEmulator();
    cleanup.push(plain);
    expect(plain.lines.slice(1)).toEqual([`ANCHOR_API_URL=${plain.url}`]);
  });

  it('create, list, limit, URL rules, a verified test delivery, dead after 6 attempts, delete', async () => {
    const emu = await startBinEmulator(['--retry-delays', '10ms,10ms,10ms,10ms,10ms']);
    cleanup.push(emu);
    const call = apiClient(emu.url, 'e2e-key');
    const created = await call('POST', '/v1/webhooks', {
      url: 'https://hooks.example.com/a',
      subscribed_events: ['task.completed'],
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^[0-9a-f]{64}$/);
    const list = await call('GET', '/v1/webhooks');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    for (let i = 0; i < 4; i++)
      expect(
        (
          await call('POST', '/v1/webhooks', {
            url: `https://hooks.example.com/${i}`,
            subscribed_events: ['task.failed'],
          })
        ).status,
      ).toBe(201);
    expect(
      (await call('POST', '/v1/webhooks', { url: 'https://hooks.example.com/6', subscribed_events: ['task.failed'] }))
        .status,
    ).toBe(409);
    expect(
      (await call('POST', '/v1/webhooks', { url: 'http://hooks.example.com/', subscribed_events: ['task.failed'] }))
        .status,
    ).toBe(400);
    expect(
      (await call('POST', '/v1/webhooks', { url: 'https://10.0.0.1/', subscribed_events: ['task.failed'] })).status,
    ).toBe(400);
    expect((await call('DELETE', `/v1/webhooks/${created.body.id}`)).status).toBe(200);
    expect((await call('GET', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
    // The emulator never logs the API key.
    expect(emu.stderr()).not.toContain('e2e-key');
  });

  it('delivers to a local receiver with a verifiable signature, and marks a failing one dead', async () => {
    const emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '10ms']);
    cleanup.push(emu);
    const ok = await startReceiver();
    const failing = await startReceiver(() => 503);
    cleanup.push(ok, failing);
    const call = apiClient(emu.url, 'e2e-key');
    const good = await call('POST', '/v1/webhooks', { url: ok.url, subscribed_events: ['task.completed'] });
    const bad = await call('POST', '/v1/webhooks', { url: failing.url, subscribed_events: ['task.completed'] });
    await call('POST', `/v1/webhooks/${good.body.id}/test`, { event_type: 'task.completed' });
    await call('POST', `/v1/webhooks/${bad.body.id}/test`, { event_type: 'task.completed' });
    const [req] = await ok.waitFor(1);
    expect(
      verifyDelivery({
        secret: good.body.secret,
        timestampHeader: req!.headers['anchor-timestamp'] as string,
        signatureHeader: req!.headers['anchor-signature'] as string,
        rawBody: req!.body,
      }),
    ).toBe(true);
    const log = await until(
      () => call('GET', `/v1/webhooks/${bad.body.id}/events`),
      (r) => r.body.events[0]?.status === 'dead',
    );
    expect(log.body.events[0]).toMatchObject({ attempt: 6, response_status: 503 });
    expect(failing.requests).toHaveLength(6);
  });

  it('shuts down cleanly on SIGINT, SIGTERM and SIGHUP (exit 0)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const emu = await startBinEmulator();
      expect(await emu.stop(signal)).toBe(0);
      expect(emu.stderr()).toContain(`${signal}: shutting down`);
    }
  });

  it('a port in use is a clear error, exit 1', async () => {
    const emu = await startBinEmulator();
    cleanup.push(emu);
    const port = new URL(emu.url).port;
    const r = await runBin(['emulator', '--port', port]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
