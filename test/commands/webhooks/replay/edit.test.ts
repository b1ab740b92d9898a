// replay --edit opens the body in a file of a fresh temporary folder: a record's id (read from disk)
// names that file only when it is a safe file name, so `../..` in an id writes nowhere else.
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RecordWriter, type RecordedRequest } from '../../../../src/local/record.js';
import { runCli } from '../../../helpers/io.js';

const bodies: string[] = [];
const app = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    bodies.push(Buffer.concat(chunks).toString());
    res.end('ok');
  });
});
afterAll(() => new Promise<void>((r) => app.close(() => r())));

describe('replay --edit', () => {
  it('a record id with ../ names no file outside the temporary folder', async () => {
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
    const state = mkdtempSync(join(tmpdir(), 'anchor-replay-edit-'));
    const env = { ANCHOR_STATE_DIR: state };
    const id = '../../../escaped-by-id';
    const body = JSON.stringify({ id: 'evt_edit', type: 'task.completed', data: {} });
    const w = RecordWriter.open(
      env,
      (s) => s,
      () => Date.now(),
    );
    w.request({
      id,
      received_at: new Date().toISOString(),
      method: 'POST',
      path: '/',
      headers: {},
      body_b64: Buffer.from(body).toString('base64'),
      verdict: 'ok',
      status: 200,
      event_type: 'task.completed',
      event_id: 'evt_edit',
    } satisfies RecordedRequest);
    w.close();
    const log = join(state, 'editor-saw');
    const r = await runCli(['webhooks', 'replay', '--last', '--edit', '--to', appUrl], {
      env: { ...env, ANCHOR_WEBHOOK_SECRET: 'whsec_edit_test', EDITOR: `printf %s >> ${log}` },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const opened = readFileSync(log, 'utf8');
    expect(dirname(opened)).toMatch(/anchor-replay-[^/]+$/);
    expect(opened.endsWith('/body.json')).toBe(true);
    expect(existsSync(join(dirname(dirname(opened)), 'escaped-by-id.json'))).toBe(false);
    expect(bodies).toEqual([body]);
  });
});
