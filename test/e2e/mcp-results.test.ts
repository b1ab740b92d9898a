// `anchor mcp`'s results as a model and its client read them, from the built binary over stdio
// against the emulator: every tool lists an outputSchema and every result of a corpus (one call or
// more per tool) conforms to it, with the same data as compact JSON in a text block; the list tools
// page the same way (31 deliveries, 25 then 6); --debug leaves results as they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runBin, startBinEmulator, type BinEmulator } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { connectStdio, textOf, type McpResult } from '../helpers/mcp-session.js';

let emu: BinEmulator;
let receiver: http.Server;
let receiverUrl: string;
const received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];

beforeAll(async () => {
  emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '10ms']);
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await emu.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const connect = (env: Record<string, string> = {}, args: string[] = []) =>
  connectStdio({
    env: { ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: 'results-key', ANCHOR_ALLOW_LOCAL_TARGETS: '1', ...env },
    args,
  });

/** A result's JSON block: the structured content, serialized. */
function expectJsonBlock(name: string, r: McpResult): void {
  expect(r.content.length, name).toBe(2);
  expect(r.content[0]!.text!.length, name).toBeGreaterThan(0);
  expect(JSON.parse(r.content[1]!.text!), name).toEqual(r.structuredContent);
}

describe('anchor mcp results', () => {
  it('every tool lists an outputSchema, and every result of a corpus conforms to it with its JSON in content', async () => {
    const secret = 'whsec_results_0123456789abcdef0123456789';
    const s = await connect({ ANCHOR_WEBHOOK_SECRET: secret });
    const results: Array<[string, McpResult]> = [];
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const r = await s.call(name, args);
      results.push([name, r]);
      return r;
    };
    try {
      for (const t of s.tools) expect(t.outputSchema?.type, t.name).toBe('object');
      // The check can fail: a webhook without its fields does not conform.
      expect(s.schemaProblem('get_webhook', { content: [], structuredContent: { id: 1 } })).toMatch(/must/);

      await call('list_event_types');
      await call('describe_event_type', { event_type: 'task.completed' });
      const created = await call('create_webhook', { url: receiverUrl, events: ['task.completed'] });
      const id = (created.structuredContent as { id: string }).id;
      await call('list_webhooks');
      await call('get_webhook', { id });
      await call('update_webhook', { id, add_events: ['task.failed'], description: 'results' });
      const tested = await call('send_test_event', { id, event_type: 'task.failed', wait: true });
      expect(tested.structuredContent).toMatchObject({ delivery: { status: 'succeeded' } });
      await call('send_test_event', { id, event_type: 'task.completed' });
      await call('list_deliveries', { id, payload: true });
      const got = received.at(-1)!;
      const file = (created.structuredContent as { secret_file: string }).secret_file;
      const signature = String(got.headers['anchor-signature']);
      // Read now: delete_webhook removes the webhook's secret files at the end.
      const webhookSecret = readFileSync(file, 'utf8');
      await call('verify_signature', { payload: got.body.toString(), signature, secret_file: file });
      const forged = await call('verify_signature', {
        payload: `${got.body.toString()} `,
        signature,
        secret_file: file,
      });
      expect(forged.structuredContent).toMatchObject({ valid: false });

      // A delivery recorded by a listener, listed and replayed.
      const listen = await startBinListen(['--port', '0', '--forward-to', receiverUrl], s.env);
      expect(
        (await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url], { env: s.env })).code,
      ).toBe(0);
      listen.kill();
      const list = await call('list_received');
      const record = (list.structuredContent as { items: Array<{ id: string }> }).items[0]!;
      await call('replay', { record_ids: [record.id] });

      // The receiver tools: a receiver that takes everything fails checks, which is an answer.
      const checked = await call('check_receiver', { url: receiverUrl });
      expect(checked.structuredContent).toMatchObject({ passed: false });
      await call('trigger_event', { url: receiverUrl, event_type: 'task.completed' });

      await call('rotate_webhook_secret', { id, confirm: true });
      await call('delete_webhook', { id, confirm: true });

      expect(new Set(results.map(([name]) => name))).toEqual(new Set(s.tools.map((t) => t.name)));
      for (const [name, r] of results) {
        expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
        expect(s.schemaProblem(name, r), name).toBeUndefined();
        expectJsonBlock(name, r);
      }
      // The secret is in no result, even as JSON.
      expect(JSON.stringify(results)).not.toContain(webhookSecret);
      expect(JSON.stringify(results)).not.toContain(secret);
      // The signature checked above is the real one: the JSON block is the data, not a summary.
      const v1 = createHmac('sha256', webhookSecret)
        .update(`v0:${String(got.headers['anchor-timestamp'])}:`)
        .update(got.body)
        .digest('hex');
      expect(signature).toContain(v1);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('pages through 31 deliveries: 25 then 6, with next_offset and a summary that says so', async () => {
    const s = await connect();
    try {
      const created = await s.call('create_webhook', { url: receiverUrl, events: ['task.completed'] });
      const id = (created.structuredContent as { id: string }).id;
      for (let i = 0; i < 31; i++) {
        const sent = await s.call('send_test_event', { id, event_type: 'task.completed' });
        expect(sent.isError, textOf(sent)).toBeFalsy();
      }
      const first = await s.call('list_deliveries', { id });
      expect(first.content[0]!.text).toBe('deliveries: 25 of 31, next offset 25');
      const page1 = first.structuredContent as { items: Array<{ id: string }>; total: number; next_offset?: number };
      expect(page1).toMatchObject({ total: 31, offset: 0, next_offset: 25 });
      expect(page1.items).toHaveLength(25);
      expect(s.schemaProblem('list_deliveries', first)).toBeUndefined();

      const second = await s.call('list_deliveries', { id, offset: page1.next_offset });
      const page2 = second.structuredContent as { items: Array<{ id: string }>; next_offset?: number };
      expect(second.content[0]!.text).toBe('deliveries: 6 of 31');
      expect(page2).toMatchObject({ total: 31, offset: 25 });
      expect(page2.next_offset).toBeUndefined();
      const ids = new Set([...page1.items, ...page2.items].map((d) => d.id));
      expect(ids.size).toBe(31);

      // The lists a command gives whole page the same way.
      await s.call('create_webhook', { url: `${receiverUrl}/2`, events: ['task.failed'] });
      const hooks = await s.call('list_webhooks', { limit: 1 });
      expect(hooks.content[0]!.text).toBe('webhooks: 1 of 2, next offset 1');
      const rest = await s.call('list_webhooks', { offset: 1, limit: 1 });
      expect(rest.structuredContent).toMatchObject({ total: 2, offset: 1 });
      expect((rest.structuredContent as { items: Array<{ id: string }> }).items[0]!.id).not.toBe(
        (hooks.structuredContent as { items: Array<{ id: string }> }).items[0]!.id,
      );
      const types = await s.call('list_event_types', { offset: 2, limit: 3 });
      expect(types.structuredContent).toMatchObject({ offset: 2, next_offset: 5 });
      expect(types.content[0]!.text).toMatch(/^event types: 3 of \d+, next offset 5$/);
      for (const name of ['list_webhooks', 'list_deliveries', 'list_event_types', 'list_received']) {
        const props = s.tools.find((t) => t.name === name)!.inputSchema.properties!;
        expect(Object.keys(props), name).toEqual(expect.arrayContaining(['offset', 'limit']));
      }
    } finally {
      await s.close();
    }
  }, 60_000);

  it('--debug sends the HTTP trace to stderr only: a 404 is the same result with and without it', async () => {
    const plain = await connect();
    const debug = await connect({}, ['--debug']);
    try {
      const a = await plain.call('get_webhook', { id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y' });
      const b = await debug.call('get_webhook', { id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y' });
      expect(a.isError).toBe(true);
      expect(b).toEqual(a);
      expect(debug.stderr()).toContain('[debug] ← 404');
      expect(debug.stderr()).not.toContain('results-key');
    } finally {
      await plain.close();
      await debug.close();
    }
  }, 30_000);
});
