// Every body read from the network has a limit: an endless or huge answer from the API, or from a
// `trigger` target, ends the command with a clear error instead of growing memory without bound.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../helpers/io.js';
import { MAX_RESPONSE_BYTES } from '../../src/api/transport.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

/** A server that answers 200 and then streams bytes until the client goes away; counts what it sent. */
async function endless(declare?: number): Promise<{ url: string; sent: () => number }> {
  let sent = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declare ? { 'content-length': String(declare) } : {}),
    });
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    if (!declare) {
      res.write('{"webhooks":[');
      pump();
    } else res.end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent };
}

describe('bounded reads', () => {
  it('an endless answer from the API: exit 1 naming the limit, long before the timeout', async () => {
    const api = await endless();
    const r = await runCli(['webhooks', 'list', '--timeout', '120'], {
      env: { ANCHOR_API_URL: api.url, ANCHOR_API_KEY: 'bounded-key-1234' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('larger than 16 MiB; stopped reading it');
    expect(r.stderr).toContain('--api-url');
    expect(r.stderr).not.toMatch(/this is a bug|at .*\.ts:\d+/);
    // It stopped reading about at the limit (the server may have had a few MiB in flight).
    expect(api.sent()).toBeLessThan(MAX_RESPONSE_BYTES + 16 * 1024 * 1024);
  });

  it('a declared Content-Length over the limit is refused without reading the body', async () => {
    const api = await endless(200 * 1024 * 1024);
    const r = await runCli(['webhooks', 'list', '--json'], {
      env: { ANCHOR_API_URL: api.url, ANCHOR_API_KEY: 'bounded-key-1234' },
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr)).toMatchObject({
      error: { code: 'network_error', message: expect.stringContaining('larger than 16 MiB') },
    });
  });

  it('events trigger against an endpoint with an endless answer: exit 1, the limit named', async () => {
    const app = await endless();
    const r = await runCli(['events', 'trigger', 'task.completed', '--forward-to', `${app.url}/hooks`], {
      env: { ANCHOR_WEBHOOK_SECRET: 'bounded-secret-1234' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('its response is larger than 1 MiB');
  });
});
