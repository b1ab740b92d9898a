// `anchor mcp` for agents, from the built binary over stdio with the SDK's client, against an
// in-process emulator that counts the delivery-log reads: send_test_event's wait reports progress,
// stops polling when the request is cancelled and runs out at 45 s by default, pointing at
// list_deliveries; a twin create_webhook is refused; secret paths are absolute and delete_webhook
// removes its webhook's files; the server's instructions; --tools and --exclude-tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { TOOL_NAMES } from '../../src/commands/mcp/decl.js';
import { buildTools } from '../../src/mcp/tools.js';
import { runBin, isolatedEnv } from '../helpers/bin.js';
import { connectMcp, resultText, type McpSession } from '../helpers/mcp-stdio.js';

let emu: RunningEmulator;
/** GET /v1/webhooks/<id>/events answered: the delivery log's reads, which a wait makes. */
let logReads = 0;
let failing: http.Server;
let failingUrl: string;
let okServer: http.Server;
let okUrl: string;

const serve = async (status: number): Promise<[http.Server, string]> => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = status;
      res.end(String(status));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`];
};

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    allowLocalTargets: true,
    // A failed attempt is retried in an hour: the delivery stays pending for the whole test.
    retryDelaysMs: [3_600_000],
    onResponse: (method, path) => {
      if (method === 'GET' && /^\/v1\/webhooks\/[^/]+\/events/.test(path)) logReads++;
    },
  });
  [failing, failingUrl] = await serve(500);
  [okServer, okUrl] = await serve(200);
});
afterAll(async () => {
  await emu.close();
  await new Promise<void>((r) => failing.close(() => r()));
  await new Promise<void>((r) => okServer.close(() => r()));
});

/** A webhook to a receiver that answers 500: its test deliveries never end while the test runs. */
async function pendingWebhook(s: McpSession): Promise<string> {
  const created = await s.call('create_webhook', { url: failingUrl, events: ['task.failed'], allow_duplicate: true });
  expect(created.isError, resultText(created)).toBeFalsy();
  return String(created.structuredContent!.id);
}

/** What no message to a model may hold: a flag, a CLI command line, an exit code. */
function expectToolWords(text: string): void {
  expect(text).not.toMatch(/(^|\s)--[a-z]/);
  expect(text).not.toMatch(/`anchor |anchor webhooks |anchor events /);
  expect(text).not.toMatch(/exit \d/);
}

describe('send_test_event waits that cooperate', () => {
  it('sends progress while waiting, and after the cancel the delivery log gets no request', async () => {
    const s = await connectMcp({ apiUrl: emu.url });
    try {
      const id = await pendingWebhook(s);
      const progress: Array<{ progress: number; total?: number; message?: string }> = [];
      const stop = new AbortController();
      let readsAtCancel = -1;
      const waiting = s.client.callTool(
        { name: 'send_test_event', arguments: { id, event_type: 'task.failed', wait: true } },
        undefined,
        {
          signal: stop.signal,
          onprogress: (p) => {
            progress.push(p);
            // The second notification: the wait is polling; cancel as a user would.
            if (progress.length === 2) {
              readsAtCancel = logReads;
              stop.abort('the user pressed stop');
            }
          },
        },
      );
      await expect(waiting).rejects.toThrow();
      expect(progress).toHaveLength(2);
      expect(progress[0]!.total).toBe(45);
      expect(progress[1]!.progress).toBeGreaterThan(progress[0]!.progress);
      expect(progress[1]!.message).toMatch(/pending after 1 attempt/);
      // An observation window, not a synchronisation: longer than the wait's longest pause between
      // reads (2 s), so a poller that kept going (the old server read 11 more times) would be seen.
      await new Promise((r) => setTimeout(r, 3000));
      expect(logReads).toBe(readsAtCancel);
      // The server is still there, and answers the next call.
      expect((await s.call('list_event_types')).isError).toBeFalsy();
    } finally {
      await s.close();
    }
  }, 30_000);

  it('a wait that runs out points at list_deliveries in tool words; the timeout is bounded and needs wait', async () => {
    const s = await connectMcp({ apiUrl: emu.url });
    try {
      const id = await pendingWebhook(s);
      const progress: number[] = [];
      const ran = (await s.client.callTool(
        {
          name: 'send_test_event',
          arguments: { id, event_type: 'task.failed', wait: true, wait_timeout_seconds: 1.5 },
        },
        undefined,
        { onprogress: (p) => progress.push(p.total ?? -1) },
      )) as { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: Record<string, unknown> };
      expect(ran.isError).toBe(true);
      const said = ran.content.map((c) => c.text).join('\n');
      expect(said).toContain('stopped waiting after 1.5 s');
      expect(said).toContain(`Call list_deliveries with id "${id}" and event_type "task.failed"`);
      expectToolWords(said);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((t) => t === 1.5)).toBe(true);
      expect(ran.structuredContent).toMatchObject({ event_type: 'task.failed', delivery: { status: 'pending' } });

      const tooLong = await s.call('send_test_event', {
        id,
        event_type: 'task.failed',
        wait: true,
        wait_timeout_seconds: 3600,
      });
      expect(tooLong.isError).toBe(true);
      expect(resultText(tooLong)).toContain('at most 600');
      const alone = await s.call('send_test_event', { id, event_type: 'task.failed', wait_timeout_seconds: 5 });
      expect(alone.isError).toBe(true);
      expect(resultText(alone)).toContain('wait_timeout_seconds goes with wait: true');
      for (const r of [tooLong, alone]) expectToolWords(resultText(r));
    } finally {
      await s.close();
    }
  }, 30_000);
});

describe('safer by default', () => {
  it('refuses a second create_webhook with the same url and events, naming the first; allow_duplicate makes one', async () => {
    const s = await connectMcp({ apiUrl: emu.url });
    try {
      const first = await s.call('create_webhook', { url: okUrl, events: ['task.completed', 'task.failed'] });
      expect(first.isError, resultText(first)).toBeFalsy();
      const id = String(first.structuredContent!.id);
      // A retry after a client timeout: the same URL and events, in another order.
      const again = await s.call('create_webhook', { url: okUrl, events: ['task.failed', 'task.completed'] });
      expect(again.isError).toBe(true);
      const said = resultText(again);
      expect(said).toContain(`webhook ${id} already sends`);
      expect(said).toContain(join(s.secretDir, `${id}.secret`));
      expect(said).toContain('allow_duplicate: true');
      expectToolWords(said);
      const listed = async () => ((await s.call('list_webhooks')).structuredContent!.items as unknown[]).length;
      expect(await listed()).toBe(1);
      // Other events are another webhook.
      const other = await s.call('create_webhook', { url: okUrl, events: ['task.completed'] });
      expect(other.isError, resultText(other)).toBeFalsy();
      const twin = await s.call('create_webhook', {
        url: okUrl,
        events: ['task.completed', 'task.failed'],
        allow_duplicate: true,
      });
      expect(twin.isError, resultText(twin)).toBeFalsy();
      expect(twin.structuredContent!.id).not.toBe(id);
      expect(await listed()).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('gives absolute secret paths under a relative secret folder, and delete_webhook removes the files of its webhook', async () => {
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'anchor-mcp-cwd-')));
    const s = await connectMcp({ apiUrl: emu.url, cwd, secretDir: 'rel-secrets' });
    try {
      const created = await s.call('create_webhook', { url: okUrl, events: ['session.ready'] });
      const id = String(created.structuredContent!.id);
      const file = String(created.structuredContent!.secret_file);
      expect(isAbsolute(file)).toBe(true);
      expect(file).toBe(join(cwd, 'rel-secrets', `${id}.secret`));
      const rotated = await s.call('rotate_webhook_secret', { id, confirm: true });
      const rotatedFile = String(rotated.structuredContent!.secret_file);
      expect(isAbsolute(rotatedFile)).toBe(true);
      const kept = await s.call('create_webhook', { url: okUrl, events: ['session.ready', 'task.failed'] });
      const keptFile = String(kept.structuredContent!.secret_file);
      expect([file, rotatedFile, keptFile].every(existsSync)).toBe(true);

      const deleted = await s.call('delete_webhook', { id, confirm: true });
      expect(deleted.isError, resultText(deleted)).toBeFalsy();
      expect(deleted.structuredContent).toEqual({ id, deleted: true });
      const said = resultText(deleted);
      expect(said).toContain('Removed its secret file(s)');
      expect(said).toContain(file);
      expect(said).toContain(rotatedFile);
      expect(existsSync(file)).toBe(false);
      expect(existsSync(rotatedFile)).toBe(false);
      // Another webhook's secret stays.
      expect(existsSync(keptFile)).toBe(true);
    } finally {
      await s.close();
    }
  });
});

describe('discoverable', () => {
  it('tells the client the workflow, what needs the listener and where secrets go', async () => {
    const s = await connectMcp({ apiUrl: emu.url });
    try {
      const instructions = s.client.getInstructions() ?? '';
      for (const words of [
        'list_event_types',
        'create_webhook',
        'send_test_event with wait: true',
        'list_deliveries',
        '"webhooks listen"',
        '0600 file',
        'absolute path',
        'check_receiver',
        // How a receiver verifies, for a model that writes one from the tools alone.
        '"v0:" + t + ":" + the raw request body',
        'secret_file',
      ])
        expect(instructions).toContain(words);
      expectToolWords(instructions);
      expect(instructions.length).toBeLessThan(3500);
      expect(instructions).not.toContain('offers only');
    } finally {
      await s.close();
    }
    // With fewer tools, the instructions say which there are.
    const ro = await connectMcp({ apiUrl: emu.url, args: ['--read-only'] });
    try {
      const said = ro.client.getInstructions() ?? '';
      expect(said).toContain('This server offers only these tools: list_webhooks');
      expect(said).toContain('(read-only: none that changes the project or sends to the app)');
      expect(said).not.toMatch(/offers only these tools:[^.]*create_webhook/);
    } finally {
      await ro.close();
    }
  });

  it('offers only the tools chosen with --tools, or all but --exclude-tools, beside --read-only', async () => {
    expect([...TOOL_NAMES].sort()).toEqual(
      buildTools()
        .map((t) => t.name)
        .sort(),
    );
    const names = async (args: string[]) => {
      const s = await connectMcp({ apiUrl: emu.url, args });
      try {
        return (await s.client.listTools()).tools.map((t) => t.name).sort();
      } finally {
        await s.close();
      }
    };
    expect(await names(['--tools', 'list_webhooks,send_test_event'])).toEqual(['list_webhooks', 'send_test_event']);
    expect(await names(['--exclude-tools', 'delete_webhook', '--exclude-tools', 'rotate_webhook_secret'])).toEqual(
      TOOL_NAMES.filter((n) => n !== 'delete_webhook' && n !== 'rotate_webhook_secret').sort(),
    );
    const readOnly = buildTools()
      .filter((t) => t.readOnly && t.name !== 'list_received')
      .map((t) => t.name)
      .sort();
    expect(await names(['--read-only', '--exclude-tools', 'list_received'])).toEqual(readOnly);
    expect(readOnly).not.toContain('check_receiver');
    expect(readOnly).not.toContain('trigger_event');
  }, 30_000);

  it('refuses an unknown tool name with the name meant, and a choice it cannot serve (exit 2)', async () => {
    const env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: 'k' });
    const typo = await runBin(['mcp', '--tools', 'list_webhooks,list_webhook'], { env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('invalid --tools "list_webhooks,list_webhook": "list_webhook" is not a tool');
    expect(typo.stderr).toContain('Did you mean "list_webhooks"');
    expect(typo.stdout).toBe('');
    const excluded = await runBin(['mcp', '--exclude-tools', 'delete_webhooks'], { env });
    expect(excluded.code).toBe(2);
    expect(excluded.stderr).toContain('Did you mean "delete_webhook"');
    const readOnly = await runBin(['mcp', '--read-only', '--tools', 'list_webhooks,create_webhook'], { env });
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toContain('--tools names create_webhook, which --read-only does not offer');
    const both = await runBin(['mcp', '--tools', 'list_webhooks', '--exclude-tools', 'list_webhooks'], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--tools and --exclude-tools both name list_webhooks');
  }, 30_000);
});
