// The inspector page in a real browser (Debian's Chromium, driven by playwright-core): a delivery
// arrives and its row appears without a reload; a bad signature's detail gives the diagnosis; the
// replay button makes the app receive it again; the token and the Host are required. A refused
// request is replayed only as received (the page and the API), its "Copy as curl" sends its body
// as bytes (never a local file), and an app that echoes the secret gets it redacted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen, type BinListen } from '../helpers/listener.js';
import { post, sign } from '../../scripts/attack.mjs';
import { lacks } from '../helpers/tools.js';

const SECRET = 'whsec_inspector_test_secret_0123456789';
let browser: Browser;
let listen: BinListen;
let inspectorUrl: string;
const got: Buffer[] = [];
/** When set, the app's answer quotes the signing secret (an app that logs too much). */
let echoSecret = false;
let app: http.Server;
let appUrl: string;
const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });

beforeAll(async () => {
  app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push(Buffer.concat(chunks));
      res.end(echoSecret ? `stored; I was signed with ${SECRET}` : 'stored');
    });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
  listen = await startBinListen(['--port', '0', '--forward-to', appUrl, '--inspect', '0'], env);
  inspectorUrl = listen.inspectorUrl!;
  if (lacks('chromium')) return;
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  listen?.kill();
  await new Promise<void>((r) => app.close(() => r()));
});

describe.skipIf(lacks('chromium'))('the inspector page', () => {
  it('shows a delivery as it arrives, the diagnosis of a bad signature, and replays on a click', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(inspectorUrl);
    await page.getByText('live', { exact: true }).waitFor();

    // A delivery arrives: its row appears without a reload.
    const trig = await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url, '--json'], { env });
    expect(trig.code).toBe(0);
    const eventId = (JSON.parse(trig.stdout) as { event_id: string }).event_id;
    const row = page.locator('#list button', { hasText: eventId });
    await row.waitFor();
    expect(got).toHaveLength(1);

    // A stranger's request with a wrong secret: refused, and its detail says why.
    const body = JSON.stringify({ id: 'evt_wrong_secret', type: 'task.failed', text: 'x', data: {} });
    expect(await post(false, listen.url, body, sign('whsec_some_other_secret_0000000000', body))).toBe(401);
    const refusedRow = page.locator('#list button', { hasText: 'refused' });
    await refusedRow.waitFor();
    await refusedRow.click();
    await expect.poll(() => page.locator('#detail .diagnosis').textContent()).toMatch(/Likely cause: .*secret/);
    expect(await page.locator('#detail h2').textContent()).toBe('Refused request');

    // By keyboard: j moves down to the delivery (newest first); its detail shows the pretty body and
    // the app's answer.
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('#detail h2').textContent()).toBe('task.completed');
    expect(await page.locator('#detail .json').textContent()).toContain(eventId);
    expect(await page.locator('#detail').textContent()).toContain('stored');

    // The replay button: the app gets it again, re-signed with the listener's secret.
    await page.locator('#replay-resigned').click();
    await expect.poll(() => page.locator('#replay-result').textContent()).toMatch(/^200 in .* \(re-signed\)/);
    expect(got).toHaveLength(2);
    expect(got[1]).toEqual(got[0]);

    // Copy as curl and as verify: the commands are built from the recorded request.
    await page.locator('#copy-verify').click();
    const verify = (await page.evaluate(() => (globalThis as unknown as { lastCopied: string }).lastCopied)) as string;
    expect(verify).toContain('| anchor webhooks verify --signature ');
    await page.locator('#copy-curl').click();
    const curl = (await page.evaluate(() => (globalThis as unknown as { lastCopied: string }).lastCopied)) as string;
    expect(curl).toContain(`curl -X POST '${appUrl}'`);
    expect(curl).toContain(eventId);

    await page.screenshot({ path: join(mkdtempSync(join(tmpdir(), 'anchor-shot-')), 'inspector.png') });
    await page.close();
  }, 30_000);

  it('refuses a request without the token, with a wrong token, or with another Host (403)', async () => {
    const base = inspectorUrl.split('?')[0]!;
    const token = new URL(inspectorUrl).searchParams.get('token')!;
    const status = (path: string, host?: string) =>
      new Promise<number>((resolve, reject) => {
        const u = new URL(path, base);
        const req = http.request(
          { host: '127.0.0.1', port: u.port, path: `${u.pathname}${u.search}`, headers: host ? { host } : {} },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await status(`/?token=${token}`)).toBe(200);
    expect(await status('/')).toBe(403);
    expect(await status('/api/records')).toBe(403);
    expect(await status(`/?token=${token}x`)).toBe(403);
    expect(await status(`/api/records?token=${token}`, 'attacker.example:80')).toBe(403);
    expect(await status(`/api/records?token=${token}`, `localhost:${new URL(base).port}`)).toBe(403);
  });
});

/** A request to the inspector's own API, with its token and Host: the status and the parsed JSON. */
function inspectorApi(method: string, path: string): Promise<{ status: number; body: unknown }> {
  const base = new URL(inspectorUrl);
  const token = base.searchParams.get('token')!;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: base.port, method, path: `${path}${path.includes('?') ? '&' : '?'}token=${token}` },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as unknown }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Runs a shell command line (a copied curl); resolves with its exit code and stderr. */
function sh(command: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(lacks('chromium'))('a refused request in the inspector', () => {
  // A stranger's body naming a local file: re-signing it, or a curl that reads it, would be the harm.
  const privateFile = join(mkdtempSync(join(tmpdir(), 'anchor-private-')), 'private.txt');
  writeFileSync(privateFile, 'PRIVATE FILE CONTENT\n');
  const forged = `@${privateFile}`;
  let refusedId = '';

  beforeAll(async () => {
    expect(await post(false, listen.url, forged, sign('whsec_a_strangers_own_secret_0000000', forged))).toBe(401);
    const records = (await inspectorApi('GET', '/api/records')).body as Array<{ id: string; verdict: string }>;
    refusedId = records.find((r) => r.verdict === 'refused')!.id;
  });

  it('the API refuses mode=resigned for it (400, with the reason) and sends nothing', async () => {
    const before = got.length;
    const r = await inspectorApi('POST', `/api/replay/${refusedId}?mode=resigned`);
    expect(r.status).toBe(400);
    expect((r.body as { error: string }).error).toContain(`${refusedId} was refused by listen`);
    expect((r.body as { error: string }).error).toContain('mode=as-received');
    expect((r.body as { error: string }).error).toContain(`anchor webhooks replay ${refusedId} --resign-refused`);
    const odd = await inspectorApi('POST', `/api/replay/${refusedId}?mode=signed-anyway`);
    expect(odd.status).toBe(400);
    expect((odd.body as { error: string }).error).toContain('give mode=resigned, mode=as-received or mode=edited');
    expect(got).toHaveLength(before);
  });

  it('its detail offers only "Replay as received", r replays it so, and "Copy as curl" sends @file as bytes', async () => {
    const page = await browser.newPage();
    await page.goto(inspectorUrl);
    await page.locator(`#list button[data-id="${refusedId}"]`).click();
    await page.locator('#refused-replay-note').waitFor();
    expect(await page.locator('#replay-resigned').count()).toBe(0);
    expect(await page.locator('#replay-as-received').count()).toBe(1);
    expect(await page.locator('#refused-replay-note').textContent()).toContain(`${refusedId} --resign-refused`);

    // r: the only way offered, as received: the app gets the stranger's bytes and signature unchanged.
    const before = got.length;
    await page.keyboard.press('r');
    await expect.poll(() => page.locator('#replay-result').textContent()).toMatch(/^200 in .* \(as received\)/);
    expect(got).toHaveLength(before + 1);
    expect(got.at(-1)!.toString()).toBe(forged);
    // The record shown again (as a live update re-renders it): its last replay's answer stays.
    const answer = await page.locator('#replay-result').textContent();
    await page.locator('#replay-result').evaluate((e) => e.setAttribute('data-before', ''));
    await page.locator(`#list button[data-id="${refusedId}"]`).click();
    await page.locator('#replay-result:not([data-before])').waitFor();
    expect(await page.locator('#replay-result').textContent()).toBe(answer);

    // Copy as curl, run by the real curl: the body is the text "@/…/private.txt", not that file.
    await page.locator('#copy-curl').click();
    const curl = (await page.evaluate(() => (globalThis as unknown as { lastCopied: string }).lastCopied)) as string;
    expect(curl).toContain(` --data-raw '${forged}'`);
    expect(curl).not.toContain('--data-binary');
    // A refused request was forwarded nowhere: the command names a placeholder app, pointed here at ours.
    const ran = await sh(`${curl.replace("'http://localhost:3000/webhooks/anchor'", `'${appUrl}'`)} --silent --fail`);
    expect(ran).toEqual({ code: 0, stderr: '' });
    expect(got).toHaveLength(before + 2);
    expect(got.at(-1)!.toString()).toBe(forged);
    await page.close();
  }, 30_000);
});

describe.skipIf(lacks('chromium'))('an app that echoes the signing secret', () => {
  it('has it redacted from the replay result, in the API and on the page', async () => {
    echoSecret = true;
    try {
      const records = (await inspectorApi('GET', '/api/records')).body as Array<{ id: string; verdict: string }>;
      const verified = records.find((r) => r.verdict === 'ok')!.id;
      const r = await inspectorApi('POST', `/api/replay/${verified}?mode=resigned`);
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(SECRET);
      expect((r.body as { response_body: string }).response_body).toBe('stored; I was signed with [REDACTED]');

      const page = await browser.newPage();
      await page.goto(inspectorUrl);
      // By its id: the replay just recorded names it too ("replay of …").
      await page.locator(`#list button[data-id="${verified}"]`).click();
      await page.locator('#replay-resigned').click();
      await expect.poll(() => page.locator('#replay-result').textContent()).toContain('(re-signed)');
      const shown = (await page.locator('#replay-result').textContent())!;
      expect(shown).toContain('stored; I was signed with [REDACTED]');
      expect(shown).not.toContain(SECRET);
      await page.close();
    } finally {
      echoSecret = false;
    }
  }, 30_000);
});
