// What `anchor mcp` says reaches a model in its terms, from the built binary over stdio against
// the emulator: no description and no message of a corpus of errors (one per kind this suite can
// provoke) names a flag, a CLI command the model could not run or an exit code; unknown arguments,
// values outside a closed list and ids of the wrong kind are refused by the schema, naming them;
// and a message over the stdio limit is refused on stderr with a failing exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv, startBinEmulator, type BinEmulator, anchorCommand } from '../helpers/bin.js';
import { connectStdio, textOf, type McpResult, type McpSession } from '../helpers/mcp-session.js';

let emu: BinEmulator;
/** Accepts each delivery and never answers: a wait on it runs out. */
let silent: http.Server;
let silentUrl: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '10ms']);
  silent = http.createServer(() => {});
  silent.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await emu.stop();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

const connect = (env: Record<string, string> = {}) =>
  connectStdio({ env: { ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: 'words-key', ...env } });

/** A command only the user can run, handed on as such, is the one place `anchor …` may appear. */
const FOR_USER = [
  /`anchor [^`]*` \(a command for the user to run in a terminal\)/g,
  /run `anchor [^`]*` in a terminal/gi,
];

/** What in `text` speaks the command line's words: a flag, a command, an exit code. */
function cliWords(text: string): string[] {
  let rest = text;
  for (const allowed of FOR_USER) rest = rest.replace(allowed, '');
  return [/(^|[^\w-])--[a-z][\w-]*/g, /\banchor [a-z][\w-]*/g, /\bexit \d+/g].flatMap((p) =>
    [...rest.matchAll(p)].map((m) => m[0].trim()),
  );
}

/** Every `description` in a JSON Schema or listing, with where it is. */
function descriptions(value: unknown, where: string): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => descriptions(v, `${where}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'description' && typeof v === 'string' ? [[where, v] as [string, string]] : descriptions(v, `${where}.${k}`),
  );
}

describe("anchor mcp in the model's words", () => {
  it('no tool, argument or result field description names a flag, a command or an exit code', async () => {
    const s = await connect();
    try {
      const all = s.tools.flatMap((t) => descriptions(t, t.name));
      expect(all.length).toBeGreaterThan(60);
      for (const [where, text] of all) expect(cliWords(text), `${where}: ${text}`).toEqual([]);
      // One name for the same thing: an event type is event_type wherever a tool takes one.
      for (const t of s.tools) expect(Object.keys(t.inputSchema.properties ?? {}), t.name).not.toContain('type');
      const world = Object.fromEntries(s.tools.map((t) => [t.name, t.annotations?.openWorldHint]));
      for (const offline of ['verify_signature', 'list_received', 'list_event_types', 'describe_event_type'])
        expect(world[offline], offline).toBe(false);
      for (const online of ['list_webhooks', 'create_webhook', 'send_test_event', 'list_deliveries', 'replay'])
        expect(world[online], online).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('a corpus of error results speaks in tools and arguments, and says what the model can do', async () => {
    const s = await connect({ ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    const strict = await connect();
    const keyless = await connect({ ANCHOR_API_KEY: '' });
    const corpus: Array<[string, McpResult]> = [];
    const call = async (session: McpSession, name: string, args: Record<string, unknown>) => {
      const r = await session.call(name, args);
      corpus.push([`${name} ${JSON.stringify(args)}`, r]);
      expect(r.isError, `${name} ${JSON.stringify(args)}: ${textOf(r)}`).toBe(true);
      return textOf(r);
    };
    try {
      const id = (
        (await s.call('create_webhook', { url: silentUrl, events: ['task.completed'] })).structuredContent as {
          id: string;
        }
      ).id;
      // Unknown arguments are refused, naming them and the known ones: `enable` is not dropped.
      const typo = await call(s, 'update_webhook', { id, enable: true });
      expect(typo).toContain('unknown argument "enable"');
      expect(typo).toContain('Did you mean "enabled"?');
      expect(typo).toContain('update_webhook takes id, url, description, events, add_events, remove_events, enabled');
      expect(await call(s, 'update_webhook', { id })).toContain(
        'Pass at least one of url, description, events, add_events, remove_events, enabled.',
      );
      expect(await call(s, 'list_webhooks', { offest: 1 })).toContain('unknown argument "offest"');
      // Closed lists and ids.
      const comma = await call(s, 'create_webhook', { url: silentUrl, events: 'task.completed,task.failed' });
      expect(comma).toContain(
        'give a list of strings, such as ["task.completed","task.failed"], not one string at events',
      );
      expect(await call(s, 'create_webhook', { url: silentUrl, events: ['task.complete'] })).toContain(
        '"task.complete" is not an Anchor event type. Did you mean "task.completed"',
      );
      expect(await call(s, 'describe_event_type', { event_type: 'nope' })).toContain('list_event_types lists them');
      expect(await call(s, 'list_deliveries', { id, status: 'done' })).toContain(
        '"done" is not one of pending, succeeded, failed, dead',
      );
      expect(await call(s, 'get_webhook', { id: 'evt_1' })).toContain('"evt_1" is not a webhook id (wh_…)');
      expect(await call(s, 'replay', { record_ids: ['../x'] })).toContain('is not a record id (rec_…, evt_…');
      expect(await call(s, 'list_deliveries', { id, limit: 0 })).toMatch(/limit/);
      // The command line's checks, in the tool's words.
      expect(await call(s, 'get_webhook', { id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y' })).toContain(
        'List your webhooks with list_webhooks',
      );
      expect(await call(s, 'list_deliveries', { id, since: 'yesterday' })).toContain('since');
      expect(await call(s, 'list_received', { since: 'soon' })).toContain('since');
      const http1 = await call(strict, 'create_webhook', {
        url: 'http://hooks.example.com/a',
        events: ['task.completed'],
      });
      expect(http1).toContain('invalid url');
      expect(http1).toContain("ANCHOR_ALLOW_LOCAL_TARGETS=1 in the MCP server's environment");
      expect(await call(strict, 'create_webhook', { url: 'https://10.0.0.7/a', events: ['task.completed'] })).toContain(
        '10.0.0.7 is a private address',
      );
      const noSecret = await call(s, 'verify_signature', { payload: '{}', signature: 't=1,v1=00' });
      expect(noSecret).toContain('secret_file');
      expect(noSecret).not.toContain('shown once');
      expect(await call(s, 'replay', { to: 'http://example.com/x', as_received: true })).toContain(
        'replay sends only to this machine',
      );
      expect(await call(s, 'replay', { record_ids: ['rec_nope'] })).toContain('forwarding secret');
      expect(
        await call(s, 'send_test_event', { id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y', event_type: 'task.completed' }),
      ).toContain('not found');
      expect(await call(s, 'delete_webhook', { id })).toContain('"confirm": true');
      const waited = await call(s, 'send_test_event', {
        id,
        event_type: 'task.completed',
        wait: true,
        wait_timeout_seconds: 1,
      });
      expect(waited).toContain('list_deliveries');
      expect(await call(keyless, 'list_webhooks', {})).toMatch(/key/i);

      expect(corpus.length).toBeGreaterThanOrEqual(20);
      for (const [what, r] of corpus) expect(cliWords(textOf(r)), `${what}: ${textOf(r)}`).toEqual([]);
    } finally {
      await s.close();
      await strict.close();
      await keyless.close();
    }
  }, 60_000);
});

describe('anchor mcp on stdio', () => {
  it('refuses a message over the stdio limit on stderr, with exit 2, instead of a silent exit 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'anchor-mcp-big-'));
    const child = spawn(...anchorCommand(['mcp', '--secret-dir', join(home, 'secrets')]), {
      env: isolatedEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // The server may stop reading before all of it is written.
    child.stdin.on('error', () => {});
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    child.stdin.write(Buffer.alloc(11 * 1024 * 1024, 'x'));
    expect(await closed).toBe(2);
    expect(stderr).toContain('over 10 MiB');
    expect(stdout).toBe('');
  }, 60_000);
});
