// The API client against a scripted loopback server: what is retried, what never is, and what
// the user is told. Every request the server did not expect fails the test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/io.js';
import { sampleWebhook, startScriptServer, type ScriptServer } from '../helpers/script-server.js';
import { proxyFor } from '../../src/api/transport.js';
import { parseRetryAfter } from '../../src/api/client.js';

let server: ScriptServer;
let env: Record<string, string>;
beforeEach(async () => {
  server = await startScriptServer();
  env = {
    ANCHOR_API_URL: server.url,
    ANCHOR_API_KEY: 'canary-key-7777',
    ANCHOR_CONFIG_DIR: '/nonexistent/anchor-test',
  };
});
afterEach(async () => {
  expect(server.unexpected).toEqual([]);
  expect(server.pending()).toEqual([]);
  await server.close();
});

const createArgs = ['webhooks', 'create', '--url', 'https://example.com/h', '--event', 'task.completed'];
const created = { ...sampleWebhook, secret: 'f'.repeat(64) };

describe('retries', () => {
  it('a GET is retried after a 503 and succeeds', async () => {
    server.expect('GET', '/v1/webhooks', { status: 503, body: { error: 'unavailable' } });
    server.expect('GET', '/v1/webhooks', { status: 200, body: { webhooks: [sampleWebhook] } });
    const r = await runCli(['webhooks', 'list', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([sampleWebhook]);
  });

  it('a GET is retried on 502 and 504 too, then gives up after 3 attempts with exit 1', async () => {
    server.expect('GET', '/v1/webhooks', { status: 502, body: { error: 'bad gateway' } });
    server.expect('GET', '/v1/webhooks', { status: 504, body: { error: 'gateway timeout' } });
    server.expect('GET', '/v1/webhooks', { status: 503, body: { error: 'still down' } });
    const r = await runCli(['webhooks', 'list'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the API failed (503): still down');
  });

  it('a create is NOT retried after a 500: one request, exit 1, and the user is told nothing was created twice', async () => {
    server.expect('POST', '/v1/webhooks', { status: 500, body: { error: 'Failed to create webhook' } });
    const r = await runCli(createArgs, { env });
    expect(r.code).toBe(1);
    expect(server.seen).toHaveLength(1);
    expect(r.stderr).toContain('the API failed (500): Failed to create webhook');
    expect(r.stderr).toContain('not retried');
    expect(r.stderr).toContain('anchor webhooks list');
  });

  it('a create is NOT retried after a 503 or a reset once sent', async () => {
    server.expect('POST', '/v1/webhooks', { status: 503, body: { error: 'unavailable' } });
    expect((await runCli(createArgs, { env })).code).toBe(1);
    server.expect('POST', '/v1/webhooks', { reset: true });
    const r = await runCli(createArgs, { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('reset');
    expect(r.stderr).toContain('at most one was sent');
    expect(server.seen).toHaveLength(2);
  });

  it('a create is retried on 429, honouring Retry-After, and creates exactly one webhook', async () => {
    server.expect('POST', '/v1/webhooks', {
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 429, message: 'slow down' } },
    });
    server.expect('POST', '/v1/webhooks', { status: 201, body: created });
    const started = Date.now();
    const r = await runCli([...createArgs, '--json'], { env });
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(JSON.parse(r.stdout).id).toBe(created.id);
  });

  it('a create is retried when the connection is refused (nothing was sent)', async () => {
    const url = server.url;
    await server.close();
    const r = await runCli([...createArgs, '--json'], { env: { ...env, ANCHOR_API_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('connection refused');
    expect(r.stderr).toContain('after 3 attempts');
    server = await startScriptServer();
  });

  it('a GET is retried after a reset, and after a timeout', async () => {
    server.expect('GET', `/v1/webhooks/${sampleWebhook.id}`, { reset: true });
    server.expect('GET', `/v1/webhooks/${sampleWebhook.id}`, { delayMs: 1500, body: sampleWebhook });
    server.expect('GET', `/v1/webhooks/${sampleWebhook.id}`, { body: sampleWebhook });
    const r = await runCli(['webhooks', 'get', sampleWebhook.id, '--json', '--timeout', '0.5'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).id).toBe(sampleWebhook.id);
  });

  it('a long Retry-After is not waited out: exit 1 with the wait in the hint', async () => {
    server.expect('GET', '/v1/webhooks', {
      status: 429,
      headers: { 'Retry-After': '120' },
      body: { error: 'rate limited' },
    });
    const r = await runCli(['webhooks', 'list'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rate limiting');
    expect(r.stderr).toContain('Wait 120s');
  });
});

describe('bad answers', () => {
  it.each([
    [
      'an HTML error page',
      { status: 200, raw: '<!DOCTYPE html><html><body>Bad gateway</body></html>' },
      /not with JSON \(an HTML page/,
    ],
    ['invalid JSON', { status: 200, raw: '{"webhooks": [' }, /not with JSON/],
    ['JSON of the wrong shape', { status: 200, body: { hooks: [] } }, /unexpected shape \(webhooks: /],
    ['a truncated body', { status: 200, body: { webhooks: [] }, truncate: true }, /cut off/],
    ['an HTML 500 page', { status: 500, raw: '<html>oops</html>' }, /the API failed \(500\): an HTML error page/],
  ])('%s: exit 1, a message saying what happened, no stack', async (_name, reply, message) => {
    server.expect('GET', '/v1/webhooks', reply);
    if ('truncate' in reply) {
      // A cut-off GET is retried like a reset; the retries get the same treatment.
      server.expect('GET', '/v1/webhooks', reply);
      server.expect('GET', '/v1/webhooks', reply);
    }
    const r = await runCli(['webhooks', 'list'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [400, 3],
    [422, 3],
    [401, 4],
    [403, 4],
    [404, 5],
  ])('status %i maps to exit %i with the API message', async (status, code) => {
    server.expect('GET', `/v1/webhooks/${sampleWebhook.id}`, {
      status,
      body: { error: 'short', message: `the detailed reason ${status}` },
    });
    const r = await runCli(['webhooks', 'get', sampleWebhook.id, '--json'], { env });
    expect(r.code).toBe(code);
    const err = JSON.parse(r.stderr).error;
    expect(err.status).toBe(status);
    expect(err.message).toContain(`the detailed reason ${status}`);
    expect(r.stdout).toBe('');
  });

  it('the nested error shape is read too', async () => {
    server.expect('GET', '/v1/webhooks', { status: 401, body: { error: { code: 401, message: 'Invalid API Key' } } });
    const r = await runCli(['webhooks', 'list'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Invalid API Key');
  });
});

describe('requests', () => {
  it('send the key in anchor-api-key and a User-Agent naming the CLI and its version', async () => {
    server.expect('GET', '/v1/webhooks', { body: { webhooks: [] } });
    await runCli(['webhooks', 'list'], { env });
    expect(server.seen[0]!.headers['anchor-api-key']).toBe('canary-key-7777');
    expect(server.seen[0]!.headers['user-agent']).toMatch(
      new RegExp(
        `^anchor-cli/${__ANCHOR_VERSION__.replace(/\./g, '\\.')} \\(node ${process.version.replace(/\./g, '\\.')};`,
      ),
    );
  });

  it('--debug traces requests and responses with the key and secrets redacted', async () => {
    server.expect('POST', '/v1/webhooks', { status: 201, body: created });
    const r = await runCli([...createArgs, '--debug'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[debug] → POST');
    expect(r.stderr).toContain('anchor-api-key: [REDACTED]');
    expect(r.stderr).toContain('"secret":"[REDACTED]"');
    expect(r.stderr).not.toContain('canary-key-7777');
    expect(r.stderr).not.toContain(created.secret);
    // The deliberate once-only display is the one place the secret appears.
    expect(r.stdout.split(created.secret).length - 1).toBe(1);
  });

  it('the key is never sent over plain http:// to a non-loopback host', async () => {
    const r = await runCli(['webhooks', 'list', '--api-url', 'http://api.example.com'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the API key is never sent over plain http:// to api.example.com');
  });
});

describe('proxy selection', () => {
  const u = (s: string) => new URL(s);
  it.each([
    ['https://api.anchorbrowser.io/v1', { HTTPS_PROXY: 'http://proxy:3128' }, 'http://proxy:3128/'],
    ['https://api.anchorbrowser.io/v1', { https_proxy: 'proxy:3128' }, 'http://proxy:3128/'],
    ['https://api.anchorbrowser.io/v1', { HTTP_PROXY: 'http://proxy:3128' }, undefined],
    ['https://api.anchorbrowser.io/v1', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'anchorbrowser.io' }, undefined],
    ['https://api.anchorbrowser.io/v1', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.anchorbrowser.io' }, undefined],
    ['https://api.anchorbrowser.io/v1', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*' }, undefined],
    [
      'https://api.anchorbrowser.io/v1',
      { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'api.anchorbrowser.io:8443' },
      'http://proxy:3128/',
    ],
    [
      'https://api.anchorbrowser.io/v1',
      { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'example.com,other.org' },
      'http://proxy:3128/',
    ],
    ['http://127.0.0.1:4010/v1', { HTTP_PROXY: 'http://proxy:3128' }, undefined],
    ['http://localhost:4010/v1', { HTTP_PROXY: 'http://proxy:3128' }, undefined],
  ])('%s with %j → %s', (url, e, expected) => {
    expect(proxyFor(u(url), e)?.toString()).toBe(expected);
  });

  it('Retry-After takes seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
