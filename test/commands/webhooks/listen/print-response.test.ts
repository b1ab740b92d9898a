// `listen --print-response`: the app's status, latency and the start of its answer on one line
// under the event's (control characters escaped, cut at 200 characters); in --json, the forward's
// `response_body` only when the flag is given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startListen, waitFor } from '../../../helpers/listener.js';
import { signatureHeader } from '../../../../src/core/signature.js';

const SECRET = 'listen-print-response-secret-0123456789';
/** What the app answers: a newline, an escape sequence, then more than the 200 characters shown. */
const HEAD = 'first\nsecond\x1b[31mred';
const ANSWER = `${HEAD}${'x'.repeat(300)}`;
/** Its first 200 characters as the receiver keeps them: 199, then an ellipsis. */
const START = `${HEAD}${'x'.repeat(199 - HEAD.length)}…`;

let app: http.Server;
let appUrl = '';
beforeAll(async () => {
  app = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(201, { 'content-type': 'text/plain' }).end(ANSWER));
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  app.closeAllConnections();
  await new Promise<void>((r) => app.close(() => r()));
});

async function run(args: string[], id: string): Promise<string> {
  const l = await startListen(['--forward-to', appUrl, '--no-record', ...args], {
    env: { ANCHOR_WEBHOOK_SECRET: SECRET, ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-print-response-')) },
  });
  try {
    const body = JSON.stringify({ id, type: 'task.completed', text: `event ${id}`, data: {} });
    const t = Math.floor(Date.now() / 1000);
    const res = await fetch(l.url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'anchor-timestamp': String(t),
        'anchor-signature': signatureHeader([SECRET], t, body),
      },
    });
    expect(res.status).toBe(201);
    return await waitFor('no event line', () => (l.io.stdout.text.includes(id) ? l.io.stdout.text : undefined));
  } finally {
    expect(await l.stop()).toBe(0);
  }
}

describe('listen --print-response', () => {
  it('prints the status, latency and the start of the answer on one line, escaped', async () => {
    const out = await run(['--print-response'], 'evt_print_human');
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {4}← 201 in [\d.]+ ms: /);
    expect(lines[1]!.replace(/^ {4}← 201 in [\d.]+ ms: /, '')).toBe(
      `first\\nsecond\\x1b[31mred${'x'.repeat(199 - HEAD.length)}…`,
    );
  });

  it('without it, nothing of the answer is printed', async () => {
    const out = await run([], 'evt_print_quiet');
    expect(out.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--json carries response_body only when it is given', async () => {
    const asked = JSON.parse(await run(['--json', '--print-response'], 'evt_print_json')) as {
      forward: { response_body?: string; status: number };
    };
    expect(asked.forward.status).toBe(201);
    expect(asked.forward.response_body).toBe(START);
    const quiet = JSON.parse(await run(['--json'], 'evt_print_json_quiet')) as { forward: Record<string, unknown> };
    expect(quiet.forward).not.toHaveProperty('response_body');
    expect(quiet.forward).toMatchObject({ url: appUrl, status: 201 });
  });
});
