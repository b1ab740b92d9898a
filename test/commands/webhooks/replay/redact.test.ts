// An app that shares its .env with anchor may echo the API key in an answer: replay never prints
// it (nor the signing secret), though replay itself never reads the key.
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordWriter } from '../../../../src/local/record.js';
import { runCli } from '../../../helpers/io.js';

const KEY = 'ak_live_replay_echo_0123456789';
const SECRET = 'whsec_replay_echo_0123456789';
const app = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(500).end(`debug page: ANCHOR_API_KEY=${KEY} ANCHOR_WEBHOOK_SECRET=${SECRET}`));
});
afterAll(() => new Promise<void>((r) => app.close(() => r())));

describe('replay of an app that echoes its environment', () => {
  it('shows neither the API key nor the secret, human or --json', async () => {
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
    const env = { ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-replay-redact-')) };
    const w = RecordWriter.open(
      env,
      (s) => s,
      () => Date.now(),
    );
    w.request({
      id: 'rec_redact_1',
      received_at: new Date().toISOString(),
      method: 'POST',
      path: '/',
      headers: {},
      body_b64: Buffer.from('{"id":"evt_r","type":"task.completed","data":{}}').toString('base64'),
      verdict: 'ok',
      status: 200,
      event_type: 'task.completed',
      event_id: 'evt_r',
    });
    w.close();
    for (const json of [[], ['--json']]) {
      const r = await runCli(['webhooks', 'replay', '--last', '--to', appUrl, ...json], {
        env: { ...env, ANCHOR_API_KEY: KEY, ANCHOR_WEBHOOK_SECRET: SECRET },
      });
      expect(r.code).toBe(6);
      expect(r.stdout + r.stderr).not.toContain(KEY);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout).toContain('ANCHOR_API_KEY=[REDACTED]');
    }
  });
});
