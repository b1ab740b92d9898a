// The emulator delivers: a public name that resolves to a loopback or private address must not be
// connected to unless --allow-local-targets was given, whatever the name. The resolver here is the
// test's own (as a hostile DNS server would answer); the receiver counts every connection it gets.
import { afterEach, describe, expect, it } from 'vitest';
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';

const KEY = 'resolved-targets-key';
const running: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

/** Resolves every name under .attacker.example.com to 127.0.0.1, the rest as usual. */
const hostileDns = ((
  hostname: string,
  options: dns.LookupOptions,
  callback: (e: Error | null, a: string | dns.LookupAddress[], f?: number) => void,
) => {
  if (hostname.endsWith('.attacker.example.com')) {
    return options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
  }
  return dns.lookup(hostname, options, callback as never);
}) as LookupFunction;

async function receiver(): Promise<{ port: number; connections: () => number; requests: () => number }> {
  let connections = 0;
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.end('ok');
  });
  server.on('connection', (_s: Socket) => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  running.push({
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
  return { port: (server.address() as AddressInfo).port, connections: () => connections, requests: () => requests };
}

async function call(emu: RunningEmulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function finalRow(emu: RunningEmulator, id: string) {
  await emu.dispatcher.idle();
  const log = await call(emu, 'GET', `/v1/webhooks/${id}/events`);
  return (log.body.events as Array<{ status: string; error_message: string | null; attempt: number }>)[0]!;
}

describe('where the emulator connects', () => {
  it('a public name that resolves to 127.0.0.1 is never connected to without --allow-local-targets', async () => {
    const target = await receiver();
    const emu = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      allowLocalTargets: false,
      retryDelaysMs: [1],
      lookup: hostileDns,
    });
    running.push(emu);
    const created = await call(emu, 'POST', '/v1/webhooks', {
      url: `https://hooks.attacker.example.com:${target.port}/in`,
      subscribed_events: ['task.completed'],
    });
    expect(created.status).toBe(201);
    await call(emu, 'POST', `/v1/webhooks/${created.body.id as string}/test`, { event_type: 'task.completed' });
    const row = await finalRow(emu, created.body.id as string);
    expect(row.status).toBe('dead');
    expect(row.error_message).toContain('hooks.attacker.example.com resolves to 127.0.0.1: it is a loopback address');
    expect(row.error_message).toContain('--allow-local-targets');
    expect(target.connections()).toBe(0);
  });

  it('with --allow-local-targets the same name is delivered to', async () => {
    const target = await receiver();
    const emu = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      allowLocalTargets: true,
      retryDelaysMs: [1],
      lookup: hostileDns,
    });
    running.push(emu);
    const created = await call(emu, 'POST', '/v1/webhooks', {
      url: `http://hooks.attacker.example.com:${target.port}/in`,
      subscribed_events: ['task.completed'],
    });
    await call(emu, 'POST', `/v1/webhooks/${created.body.id as string}/test`, { event_type: 'task.completed' });
    const row = await finalRow(emu, created.body.id as string);
    expect(row.status).toBe('succeeded');
    expect(target.requests()).toBe(1);
  });

  it('stores and returns the parsed form of the URL it judged', async () => {
    const emu = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: false, retryDelaysMs: [1] });
    running.push(emu);
    const created = await call(emu, 'POST', '/v1/webhooks', {
      url: 'https://@Hooks.Example.COM',
      subscribed_events: ['task.completed'],
    });
    expect(created.status).toBe(400);
    const ok = await call(emu, 'POST', '/v1/webhooks', {
      url: 'https://Hooks.Example.COM',
      subscribed_events: ['task.completed'],
    });
    expect(ok.body.url).toBe('https://hooks.example.com/');
  });
});
