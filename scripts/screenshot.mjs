// `node scripts/screenshot.mjs`: the README's picture of the inspector (docs/inspector.png), taken
// in Debian's Chromium with playwright-core after a few real deliveries, one of them refused.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { post, sign } from './attack.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'anchor.cjs');
const SECRET = 'whsec_screenshot_secret_0123456789abcdef';
const env = {
  ...process.env,
  ANCHOR_WEBHOOK_SECRET: SECRET,
  ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-shot-')),
};

const app = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'));
});
await new Promise((r) => app.listen(3000, '127.0.0.1', r));
const listen = spawn(
  process.execPath,
  [
    bin,
    'webhooks',
    'listen',
    '--port',
    '4242',
    '--forward-to',
    'http://127.0.0.1:3000/webhooks/anchor',
    '--inspect',
    '4243',
  ],
  { env, stdio: ['ignore', 'ignore', 'pipe'] },
);
let err = '';
const url = await new Promise((resolve, reject) => {
  listen.once('exit', (code) => reject(new Error(`listen exited ${code}: ${err}`)));
  listen.stderr.on('data', (d) => {
    err += d;
    const m = /Inspector: (\S+)/.exec(err);
    if (m) resolve(m[1]);
  });
});
// Asynchronous: the app above lives in this process and must keep answering.
const trigger = (...args) =>
  new Promise((resolve) =>
    spawn(process.execPath, [bin, 'events', 'trigger', ...args, '--forward-to', 'http://127.0.0.1:4242/'], {
      env,
      stdio: 'ignore',
    }).on('close', resolve),
  );
await trigger('--scenario', 'human-in-the-loop');
await trigger('session.completed');
const body = JSON.stringify({ id: 'evt_3f9c2a7e51d04b8e9a1c6d27', type: 'task.failed', text: 'x', data: {} });
await post(false, 'http://127.0.0.1:4242/', body, sign('whsec_the_staging_secret_not_this_one', body));
await trigger('task.completed', '--set', 'data.task_id=tsk_8d2f41c07e3b');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({
  viewport: { width: 1280, height: 760 },
  colorScheme: process.env.THEME ?? 'dark',
  deviceScaleFactor: 1,
});
await page.goto(url);
await page.locator('#list button').nth(4).waitFor();
await page.locator('#list button').first().click();
await page.locator('#detail h2').waitFor();
await page.locator('#replay-resigned').click();
await page.locator('#replay-result', { hasText: '200 in' }).waitFor();
await page.screenshot({ path: join(root, 'docs', 'inspector.png') });
await browser.close();
listen.kill('SIGINT');
app.close();
console.log('wrote docs/inspector.png');
