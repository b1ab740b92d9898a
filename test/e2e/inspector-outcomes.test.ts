// The inspector in Chromium, over `listen --inspect` forwarding to a real app that verifies each
// delivery and fails task.failed with a 500: each row and detail is coloured and worded by the
// outcome (the app took it, the app failed, refused); a refused request shows what it claimed,
// marked unverified; a replay links to its original; the filters work alone and together, keep to
// the URL hash across a reload and apply to live rows; and an edited body is replayed re-signed,
// reaching the app verified (a body that is not JSON only once "Send it anyway" is ticked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { launchChromium } from '../helpers/browser.js';
import { startBinListen, type BinListen } from '../helpers/listener.js';
import { recordedRequest } from '../helpers/record.js';
import { verifyDelivery } from '../helpers/verifier.js';
import { lacks } from '../helpers/tools.js';
import { post, sign } from '../../scripts/attack.mjs';
import { RecordWriter, type RecordedRequest } from '../../src/local/record.js';

const SECRET = 'whsec_inspector_outcomes_secret_0123456789';
const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
let browser: Browser;
let listen: BinListen;
let app: http.Server;
let appUrl = '';
/** What the app verified, in order: the raw bodies. */
const verified: string[] = [];

beforeAll(async () => {
  app = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const ok = verifyDelivery({
        secret: SECRET,
        timestampHeader: req.headers['anchor-timestamp'] as string | undefined,
        signatureHeader: req.headers['anchor-signature'] as string | undefined,
        rawBody: raw,
      });
      if (!ok) return res.writeHead(401).end('bad signature');
      verified.push(raw.toString());
      let type = '';
      try {
        type = String((JSON.parse(raw.toString()) as { type?: unknown }).type);
      } catch {
        return res.writeHead(400).end('not JSON');
      }
      res.writeHead(type === 'task.failed' ? 500 : 200).end(type === 'task.failed' ? 'boom' : 'stored');
    });
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
  listen = await startBinListen(['--forward-to', appUrl, '--inspect', '0'], env);
  if (!lacks('chromium')) browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  listen?.kill();
  await new Promise<void>((r) => app.close(() => r()));
});

async function trigger(type: string): Promise<string> {
  const t = await runBin(['events', 'trigger', type, '--forward-to', listen.url, '--json'], { env });
  // The app fails task.failed with a 500: trigger prints its answer, then exits 6 (a check failed).
  expect(t.code, t.stderr).toBe(type === 'task.failed' ? 6 : 0);
  return (JSON.parse(t.stdout) as { event_id: string }).event_id;
}
/** The page's getComputedStyle (the tests' types have no DOM). */
type Styled = { getComputedStyle: (e: unknown) => { color: string } };
const rowOf = (page: Page, text: string) => page.locator('#list button', { hasText: text });
const visibleIds = (page: Page) =>
  page
    .locator('#list li:not([hidden]) button')
    .evaluateAll((bs) => bs.map((b) => (b as unknown as { dataset: { id: string } }).dataset.id));
const badgeColour = (page: Page, text: string) =>
  rowOf(page, text)
    .locator('.badge')
    .evaluate((b) => (globalThis as unknown as Styled).getComputedStyle(b).color);

/** Records written by another run (as a second `listen` would): the page picks them up live. */
function write(...records: Array<RecordedRequest & { replay_of?: string }>): void {
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

describe.skipIf(lacks('chromium'))('the inspector over listen --inspect', () => {
  let okEvent = '';
  let failedEvent = '';
  let okRecord = '';
  let page: Page;

  it('colours and words each row and detail by outcome; claimed ids and replays are shown as such', async () => {
    page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(listen.inspectorUrl!);
    await page.getByText('live', { exact: true }).waitFor();

    okEvent = await trigger('task.completed');
    failedEvent = await trigger('task.failed');
    await rowOf(page, failedEvent).locator('.badge', { hasText: 'app 500' }).waitFor();
    await rowOf(page, okEvent).locator('.badge', { hasText: 'app 200' }).waitFor();
    expect(await rowOf(page, okEvent).getAttribute('data-outcome')).toBe('app-ok');
    expect(await rowOf(page, failedEvent).getAttribute('data-outcome')).toBe('app-failed');

    await rowOf(page, failedEvent).click();
    await expect.poll(() => page.locator('#outcome').textContent()).toBe('Verified — your app answered 500.');
    expect(await page.locator('#outcome').getAttribute('class')).toBe('verdict app-failed');
    await rowOf(page, okEvent).click();
    await expect.poll(() => page.locator('#outcome').textContent()).toBe('Verified — your app answered 200.');
    okRecord = (await rowOf(page, okEvent).getAttribute('data-id'))!;

    const body = JSON.stringify({ id: 'evt_forged', type: 'task.failed', data: {} });
    expect(await post(false, listen.url, body, sign('whsec_not_the_right_one_000000000', body))).toBe(401);
    const refused = page.locator('#list button[data-outcome="refused"]').first();
    await refused.waitFor();
    await refused.click();
    await expect.poll(() => page.locator('#outcome').textContent()).toMatch(/^Refused — listen answered 401\.Why: /);

    // Three colours, none of them the green of a 2xx for a failure.
    const green = await badgeColour(page, okEvent);
    const red = await badgeColour(page, failedEvent);
    const refusedColour = await refused
      .locator('.badge')
      .evaluate((b) => (globalThis as unknown as Styled).getComputedStyle(b).color);
    expect(new Set([green, red, refusedColour]).size).toBe(3);
    expect(green).toBe('rgb(19, 122, 60)');
    expect(red).toBe('rgb(180, 35, 24)');

    // A refused request that claimed its ids (as the record keeps them), and a replay of the 200.
    const now = Date.now();
    write(
      recordedRequest('rec_claimed0000001', now, 'refused', {
        event_type: 'task.completed',
        event_id: 'evt_claimed_1',
        delivery_id: 'dlv_claimed_1',
        reason: 'signature does not match',
        body_b64: Buffer.from('{"id":"evt_claimed_1","note":"needle-in-body-xyz"}').toString('base64'),
      }),
      {
        ...recordedRequest('rec_replay00000001', now + 1, 'ok', { event_id: okEvent, status: 0 }),
        replay_of: okRecord,
        forward: { url: appUrl, status: 200, latency_ms: 1, response_body: 'stored' },
      },
    );
    const claimed = rowOf(page, 'rec_claimed0000001');
    await claimed.waitFor();
    expect(await claimed.locator('.tag').textContent()).toBe('claimed, unverified');
    await claimed.click();
    // The refused request opened above has claims too (what it carried): wait for this one's.
    await expect
      .poll(() => page.locator('#claimed').textContent())
      .toBe('typetask.completedevent idevt_claimed_1delivery iddlv_claimed_1');
    expect(await page.locator('#detail h3', { hasText: 'Claimed, unverified' }).count()).toBe(1);

    const replayRow = rowOf(page, 'rec_replay00000001');
    await replayRow.waitFor();
    expect(await replayRow.locator('.sub').textContent()).toContain(`replay of ${okRecord}`);
    await replayRow.click();
    await page.locator('#replay-of').click();
    await expect.poll(() => page.locator('#detail .time').first().textContent()).toContain(okRecord);
    expect(await page.locator('#replays').textContent()).toBe('Replayed as rec_replay00000001');
  }, 60_000);

  it('filters by type, outcome, app status and text, together, kept across a reload and for live rows', async () => {
    const type = page.locator('#filters input[name=type]');
    const outcome = page.locator('#filters select[name=outcome]');
    const status = page.locator('#filters input[name=status]');
    const text = page.locator('#filters input[name=q]');
    const all = await visibleIds(page);
    expect(all.length).toBeGreaterThanOrEqual(5);

    // A type is what a row shows: a refused request that claims task.failed is found too (marked unverified).
    await type.fill('task.failed');
    await expect
      .poll(() => visibleIds(page))
      .toEqual([
        await rowOf(page, 'evt_forged').getAttribute('data-id'),
        await rowOf(page, failedEvent).getAttribute('data-id'),
      ]);
    await type.fill('');
    await outcome.selectOption('refused');
    await expect.poll(async () => (await visibleIds(page)).length).toBe(2);
    await outcome.selectOption('app-ok');
    await expect.poll(() => visibleIds(page)).toEqual(['rec_replay00000001', okRecord]);
    await outcome.selectOption('');
    await status.fill('5xx');
    await expect.poll(() => visibleIds(page)).toEqual([await rowOf(page, failedEvent).getAttribute('data-id')]);
    await status.fill('');
    // Text found only in a body, which the page asks the inspector to search.
    await text.fill('needle-in-body');
    await expect.poll(() => visibleIds(page)).toEqual(['rec_claimed0000001']);

    // Together: task.* and app-ok and a text that is the original's record id (its replay names it).
    await text.fill(okRecord);
    await type.fill('task.*');
    await outcome.selectOption('app-ok');
    await expect.poll(() => visibleIds(page)).toEqual(['rec_replay00000001', okRecord]);
    await status.fill('200');
    await expect.poll(() => new URL(page.url()).hash).toBe(`#type=task.*&outcome=app-ok&status=200&q=${okRecord}`);

    await page.reload();
    await page.getByText('live', { exact: true }).waitFor();
    expect(await type.inputValue()).toBe('task.*');
    expect(await outcome.inputValue()).toBe('app-ok');
    expect(await status.inputValue()).toBe('200');
    expect(await text.inputValue()).toBe(okRecord);
    await expect.poll(() => visibleIds(page)).toEqual(['rec_replay00000001', okRecord]);

    // Live rows obey the filters: a 500 arrives hidden under "app ok", a 200 shown under "app failed".
    await text.fill('');
    await status.fill('');
    await outcome.selectOption('app-failed');
    const hiddenEvent = await trigger('task.completed');
    await page.locator('#list li[hidden] button', { hasText: hiddenEvent }).waitFor({ state: 'attached' });
    const shownEvent = await trigger('task.failed');
    await rowOf(page, shownEvent).waitFor();
    expect(await rowOf(page, hiddenEvent).isVisible()).toBe(false);
    await page.locator('#clear').click();
    await expect.poll(() => new URL(page.url()).hash).toBe('');
    await expect.poll(async () => (await visibleIds(page)).length).toBe(all.length + 2);
  }, 60_000);

  it('replays an edited body re-signed, verified by the app; a body that is not JSON only when confirmed', async () => {
    await page.locator('#clear').click();
    await page.locator(`#list button[data-id="${okRecord}"]`).click();
    await page.locator('#edit-replay').click();
    const original = await page.locator('#edit-body').inputValue();
    const edited = JSON.stringify({
      ...(JSON.parse(original) as object),
      id: 'evt_edited_1',
      note: 'edited in the page',
    });
    await page.locator('#edit-body').fill(edited);
    expect(await page.locator('#edit-state').textContent()).toBe('Valid JSON.');
    const before = verified.length;
    await page.locator('#send-edited').click();
    await expect.poll(() => page.locator('#replay-result').textContent()).toMatch(/^200 in .* \(re-signed, edited\)/);
    expect(verified.slice(before)).toEqual([edited]);

    await page.locator('#edit-body').fill('{"id": "evt_broken", oops');
    expect(await page.locator('#edit-state').textContent()).toMatch(/^Not valid JSON: /);
    expect(await page.locator('#send-edited').isDisabled()).toBe(true);
    await page.locator('#edit-anyway').check();
    expect(await page.locator('#send-edited').isDisabled()).toBe(false);
    await page.locator('#send-edited').click();
    await expect.poll(() => page.locator('#replay-result').textContent()).toMatch(/^400 in .* \(re-signed, edited\)/);
    expect(verified.slice(before)).toEqual([edited, '{"id": "evt_broken", oops']);

    // A refused row has no editor: it is replayed only as received.
    await page.locator('#list button[data-outcome="refused"]').first().click();
    await page.locator('#refused-replay-note').waitFor();
    expect(await page.locator('#edit-replay').count()).toBe(0);
    await page.close();
  }, 60_000);
});

describe("the inspector's edited replay, by its API", () => {
  const api = async (path: string, body?: Buffer) => {
    const u = new URL(listen.inspectorUrl!);
    const res = await fetch(`${u.origin}${path}&token=${u.searchParams.get('token')}`, {
      method: 'POST',
      ...(body ? { body } : {}),
    });
    return { status: res.status, body: (await res.json()) as { error?: string; status?: number } };
  };

  it('refuses to sign an edited body for a refused record, and a body over 1 MiB; sends nothing', async () => {
    const before = verified.length;
    const refused = await api('/api/replay/rec_claimed0000001?mode=edited', Buffer.from('{"id":"x"}'));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('rec_claimed0000001 was refused by listen');
    expect(refused.body.error).toContain('an edited body would be re-signed');
    const records = (await (await fetch(listen.inspectorUrl!.replace('/?', '/api/records?'))).json()) as Array<{
      id: string;
      verdict: string;
      forward?: unknown;
    }>;
    const okId = records.find((r) => r.verdict === 'ok' && r.forward)!.id;
    const big = await api(`/api/replay/${okId}?mode=edited`, Buffer.alloc(1024 * 1024 + 1, 'a'));
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('the edited body is over 1 MiB, the most Anchor delivers; nothing was sent');
    expect(verified.length).toBe(before);
  });
});
