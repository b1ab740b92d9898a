// `anchor webhooks inspect` without a secret, and restarted under an open tab, in Chromium: the
// re-signed replay buttons are disabled with the reason and where a secret comes from (nothing is
// sent, even by the keyboard); the tab keeps working across a restart on the same port (same page
// object, no reload: its stream reconnects and a new record appears live), the token and the Host
// are still required; and --reset-token locks the old tab out, saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { isolatedEnv, anchorCommand } from '../helpers/bin.js';
import { launchChromium } from '../helpers/browser.js';
import { inspectorUrl, waitFor } from '../helpers/listener.js';
import { recordedRequest } from '../helpers/record.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { lacks } from '../helpers/tools.js';
import { RecordWriter, type RecordedRequest } from '../../src/local/record.js';

// No ANCHOR_WEBHOOK_SECRET and no --secret-file: nothing to re-sign with.
const env = isolatedEnv();
let browser: Browser;
let app: Receiver;

interface Inspect {
  url: string;
  child: ChildProcess;
  stop: () => Promise<number | null>;
}
async function inspect(args: string[]): Promise<Inspect> {
  const child = spawn(...anchorCommand(['webhooks', 'inspect', ...args]), {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let exited: number | null | undefined;
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const gone = new Promise<number | null>((r) => child.on('exit', (code) => ((exited = code), r(code))));
  const url = await waitFor(
    'inspect did not print its URL',
    () => inspectorUrl(stderr),
    () => (exited === undefined ? undefined : `it exited with ${exited}; stderr: ${stderr}`),
  );
  return { url, child, stop: () => (child.kill('SIGINT'), gone) };
}
function write(...records: RecordedRequest[]): void {
  const w = RecordWriter.open(
    env,
    (s) => s,
    () => Date.now(),
  );
  for (const r of records) {
    w.request(r);
    if (r.forward) w.forward(r.id, r.forward);
  }
  w.close();
}
function status(url: string, path: string, host?: string): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: u.port, path, headers: host ? { host } : {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  app = await startReceiver();
  write(
    recordedRequest('rec_verified000001', Date.now() - 2000, 'ok', {
      forward: { url: app.url, status: 200, latency_ms: 1, response_body: 'ok' },
    }),
  );
  if (!lacks('chromium')) browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe.skipIf(lacks('chromium'))('anchor webhooks inspect without a secret, restarted under an open tab', () => {
  it('disables the re-signed replay with the reason, and the tab survives a restart', async () => {
    let running = await inspect(['--port', '0']);
    const port = new URL(running.url).port;
    const page = await browser.newPage();
    await page.goto(running.url);
    await page.getByText('live', { exact: true }).waitFor();
    await page.locator('#list button[data-id="rec_verified000001"]').click();

    // The reason is on the page before any click, with where a secret comes from.
    const reason = (await page.locator('#resign-unavailable').textContent())!;
    expect(reason).toMatch(/^Re-signed replays are off: no secret to re-sign with: /);
    expect(reason).toContain('--secret-file <path>');
    expect(reason).toContain('ANCHOR_WEBHOOK_SECRET');
    expect(reason).toContain('anchor webhooks listen --print-secret');
    expect(await page.locator('#replay-resigned').isDisabled()).toBe(true);
    expect(await page.locator('#edit-replay').isDisabled()).toBe(true);
    expect(await page.locator('#replay-as-received').isDisabled()).toBe(false);
    // r, the keyboard's replay: not sent, and says why.
    await page.keyboard.press('r');
    await expect.poll(() => page.locator('#toast').textContent()).toMatch(/^Not sent: no secret to re-sign with/);
    expect(app.requests).toHaveLength(0);

    // Restart on the same port: the same URL (the token is kept), the same page, not reloaded.
    await page.evaluate(() => ((globalThis as unknown as { marker: string }).marker = 'this very page'));
    expect(await running.stop()).toBe(0);
    await page.getByText('reconnecting…', { exact: true }).waitFor();
    running = await inspect(['--port', port]);
    expect(running.url).toBe(page.url().replace(/#.*$/, ''));
    await page.getByText('live', { exact: true }).waitFor({ timeout: 15_000 });
    write(recordedRequest('rec_afterrestart01', Date.now(), 'ok', { event_type: 'session.ready' }));
    await page.locator('#list button[data-id="rec_afterrestart01"]').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { marker?: string }).marker)).toBe('this very page');

    // Still 403 without the token, with a wrong one, or with another Host.
    const token = new URL(running.url).searchParams.get('token')!;
    expect(await status(running.url, `/api/records?token=${token}`)).toBe(200);
    expect(await status(running.url, '/api/records')).toBe(403);
    expect(await status(running.url, `/api/records?token=${token.slice(1)}x`)).toBe(403);
    expect(await status(running.url, `/api/records?token=${token}`, `localhost:${port}`)).toBe(403);

    // --reset-token: a new URL, and the old tab says its token was replaced.
    expect(await running.stop()).toBe(0);
    running = await inspect(['--port', port, '--reset-token']);
    expect(new URL(running.url).searchParams.get('token')).not.toBe(token);
    await page.getByText(/this tab’s token was replaced/).waitFor({ timeout: 15_000 });
    expect(await running.stop()).toBe(0);
    await page.close();
  }, 60_000);
});
