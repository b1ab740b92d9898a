// Faults, for every command that talks to the API: the contract's exit code, a message that says
// what happened and what to do, no stack trace, and never a second webhook or secret from a retry.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { sampleWebhook, startScriptServer, type Reply, type ScriptServer } from '../helpers/script-server.js';

const ID = sampleWebhook.id;
const withSecret = { ...sampleWebhook, secret: 'c'.repeat(64) };
const deliveries = { events: [], pagination: { limit: 25, offset: 0, total: 0 } };

interface CommandCase {
  name: string;
  argv: string[];
  method: string;
  path: string;
  ok: unknown;
  stdin?: string;
  /** Requests that come first and succeed (update, enable and disable read the webhook before they change it). */
  before?: Array<{ method: string; path: string; body: unknown }>;
}

const COMMANDS: CommandCase[] = [
  { name: 'list', argv: ['webhooks', 'list'], method: 'GET', path: '/v1/webhooks', ok: { webhooks: [] } },
  { name: 'get', argv: ['webhooks', 'get', ID], method: 'GET', path: `/v1/webhooks/${ID}`, ok: sampleWebhook },
  {
    name: 'create',
    argv: ['webhooks', 'create', '--url', 'https://e.example.com/', '--event', 'task.completed'],
    method: 'POST',
    path: '/v1/webhooks',
    ok: withSecret,
  },
  {
    name: 'update',
    argv: ['webhooks', 'update', ID, '--url', 'https://n.example.com/'],
    method: 'PATCH',
    path: `/v1/webhooks/${ID}`,
    ok: sampleWebhook,
    before: [{ method: 'GET', path: `/v1/webhooks/${ID}`, body: sampleWebhook }],
  },
  {
    name: 'enable',
    argv: ['webhooks', 'enable', ID],
    method: 'PATCH',
    path: `/v1/webhooks/${ID}`,
    ok: sampleWebhook,
    before: [{ method: 'GET', path: `/v1/webhooks/${ID}`, body: { ...sampleWebhook, enabled: false } }],
  },
  {
    name: 'disable',
    argv: ['webhooks', 'disable', ID],
    method: 'PATCH',
    path: `/v1/webhooks/${ID}`,
    ok: sampleWebhook,
    before: [{ method: 'GET', path: `/v1/webhooks/${ID}`, body: { ...sampleWebhook, enabled: true } }],
  },
  {
    name: 'delete',
    argv: ['webhooks', 'delete', ID, '--yes'],
    method: 'DELETE',
    path: `/v1/webhooks/${ID}`,
    ok: { ok: true },
  },
  {
    name: 'rotate-secret',
    argv: ['webhooks', 'rotate-secret', ID, '--yes'],
    method: 'POST',
    path: `/v1/webhooks/${ID}/rotate-secret`,
    ok: withSecret,
  },
  {
    name: 'test',
    argv: ['webhooks', 'test', ID, '--event', 'task.completed'],
    method: 'POST',
    path: `/v1/webhooks/${ID}/test`,
    ok: { external_event_id: 'evt_1', event_type: 'task.completed' },
  },
  {
    name: 'deliveries',
    argv: ['webhooks', 'deliveries', ID],
    method: 'GET',
    path: `/v1/webhooks/${ID}/events`,
    ok: deliveries,
  },
  {
    name: 'auth login',
    argv: ['auth', 'login', '--with-key'],
    method: 'GET',
    path: '/v1/webhooks',
    ok: { webhooks: [] },
    stdin: 'fault-key-9999',
  },
];

interface Fault {
  name: string;
  reply: Reply;
  /** Retried for GET, PATCH and DELETE. */
  retriedIfIdempotent: boolean;
  /** Retried for POST too (only 429: the request was refused, not processed). */
  retriedIfPost: boolean;
  message: RegExp;
}

const FAULTS: Fault[] = [
  {
    name: 'a timeout',
    reply: { delayMs: 1500, body: {} },
    retriedIfIdempotent: true,
    retriedIfPost: false,
    message: /no response from .* within 0\.3s/,
  },
  {
    name: 'a reset after the request was sent',
    reply: { reset: true },
    retriedIfIdempotent: true,
    retriedIfPost: false,
    message: /reset/,
  },
  {
    name: '500',
    reply: { status: 500, body: { error: 'boom' } },
    retriedIfIdempotent: false,
    retriedIfPost: false,
    message: /the API failed \(500\): boom/,
  },
  {
    name: '502',
    reply: { status: 502, body: { error: 'bad gateway' } },
    retriedIfIdempotent: true,
    retriedIfPost: false,
    message: /\(502\)/,
  },
  {
    name: '503',
    reply: { status: 503, body: { error: 'unavailable' } },
    retriedIfIdempotent: true,
    retriedIfPost: false,
    message: /\(503\)/,
  },
  {
    name: '504',
    reply: { status: 504, body: { error: 'gateway timeout' } },
    retriedIfIdempotent: true,
    retriedIfPost: false,
    message: /\(504\)/,
  },
  {
    name: '429 with Retry-After',
    reply: { status: 429, headers: { 'Retry-After': '0' }, body: { error: { code: 429, message: 'slow down' } } },
    retriedIfIdempotent: true,
    retriedIfPost: true,
    message: /rate limiting requests \(429\): slow down/,
  },
  {
    name: 'an HTML error page',
    reply: { status: 502, raw: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>' },
    retriedIfIdempotent: true,
    retriedIfPost: false,
    message: /an HTML error page/,
  },
  {
    name: 'invalid JSON',
    reply: { status: 200, raw: '{"webhooks": [' },
    retriedIfIdempotent: false,
    retriedIfPost: false,
    message: /not with JSON/,
  },
  {
    name: 'JSON of the wrong shape',
    reply: { status: 200, body: { unexpected: true } },
    retriedIfIdempotent: false,
    retriedIfPost: false,
    message: /unexpected shape/,
  },
  {
    name: 'a truncated body',
    reply: { status: 200, body: { webhooks: [] }, truncate: true },
    retriedIfIdempotent: true,
    retriedIfPost: false,
    message: /cut off/,
  },
];

let server: ScriptServer;
afterEach(async () => {
  expect(server.unexpected).toEqual([]);
  await server.close();
});

describe.each(COMMANDS)('$name', (cmd) => {
  it.each(FAULTS)('$name', async (fault) => {
    server = await startScriptServer();
    const retried = cmd.method === 'POST' ? fault.retriedIfPost : fault.retriedIfIdempotent;
    const attempts = retried ? 3 : 1;
    for (const b of cmd.before ?? []) server.expect(b.method, b.path, { status: 200, body: b.body });
    for (let i = 0; i < attempts; i++) server.expect(cmd.method, cmd.path, fault.reply);
    const env: Record<string, string> = {
      ANCHOR_API_URL: server.url,
      ANCHOR_CONFIG_DIR: join(tmpdir(), `anchor-faults-${process.pid}-${cmd.name.replace(' ', '-')}`),
      ANCHOR_RETRY_BASE_MS: '5',
    };
    if (!cmd.stdin) env.ANCHOR_API_KEY = 'fault-key-1234';
    const r = await runCli([...cmd.argv, '--timeout', '0.3'], { env, ...(cmd.stdin ? { stdin: cmd.stdin } : {}) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(fault.message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n').length).toBeGreaterThanOrEqual(2); // a message and what to do
    expect(server.seen.filter((s) => s.method === cmd.method)).toHaveLength(attempts);
    // A POST that may have been processed is never sent twice: no second webhook, no second secret.
    if (cmd.method === 'POST')
      expect(server.seen.filter((s) => s.method === 'POST' && fault.reply.status !== 429).length).toBeLessThanOrEqual(
        1,
      );
    expect(server.pending()).toEqual([]);
  });

  it('a refused connection (nothing sent) is retried, then exit 1 saying where', async () => {
    server = await startScriptServer();
    const env: Record<string, string> = {
      ANCHOR_API_URL: 'http://127.0.0.1:9',
      ANCHOR_CONFIG_DIR: join(tmpdir(), `anchor-faults-${process.pid}-refused`),
      ANCHOR_RETRY_BASE_MS: '5',
    };
    if (!cmd.stdin) env.ANCHOR_API_KEY = 'fault-key-1234';
    const r = await runCli(cmd.argv, { env, ...(cmd.stdin ? { stdin: cmd.stdin } : {}) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('connection refused by 127.0.0.1:9 after 3 attempts');
    expect(r.stderr).toContain('Is the API at http://127.0.0.1:9 running?');
  });
});
