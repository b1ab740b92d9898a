// Ctrl-C during a spinner, --follow and listen: exit 130 (0 for the long-running ones), the
// terminal restored, nothing half-written.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeIO } from '../helpers/io.js';
import { sampleWebhook, startScriptServer, type ScriptServer } from '../helpers/script-server.js';
import { isolatedEnv, anchorCommand, anchorShellWords } from '../helpers/bin.js';
import { READY_LINE } from '../helpers/listener.js';
import { Terminal } from '../helpers/tmux.js';
import { main } from '../../src/cli.js';
import { lacks } from '../helpers/tools.js';

let server: ScriptServer | undefined;
const terminals: Terminal[] = [];
afterEach(async () => {
  for (const t of terminals.splice(0)) t.close();
  await server?.close();
  server = undefined;
});

async function until(pred: () => boolean, ms = 5000) {
  for (let i = 0; i < ms / 20 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(pred()).toBe(true);
}

describe('Ctrl-C', () => {
  it('during create --secret-file: exit 130, the empty secret file removed, and a warning that it may have arrived', async () => {
    server = await startScriptServer();
    server.expect('POST', '/v1/webhooks', {
      status: 201,
      body: { ...sampleWebhook, secret: 'd'.repeat(64) },
      delayMs: 3000,
    });
    const path = join(mkdtempSync(join(tmpdir(), 'anchor-sig-')), 'secret');
    const io = fakeIO({ env: { ANCHOR_API_URL: server.url, ANCHOR_API_KEY: 'sig-key-1234' }, tty: true });
    const running = main(
      ['webhooks', 'create', '--url', 'https://e.example.com/', '--event', 'task.completed', '--secret-file', path],
      io,
    );
    await until(() => server!.seen.length === 1);
    expect(existsSync(path)).toBe(true);
    io.sendSignal('SIGINT');
    expect(await running).toBe(130);
    expect(existsSync(path)).toBe(false);
    expect(io.stderr.text).toContain('may already have reached the API');
    expect(io.stderr.text.lastIndexOf('\u001b[?25h')).toBeGreaterThan(io.stderr.text.lastIndexOf('\u001b[?25l'));
    expect(io.stdout.text).toBe('');
  });

  it.skipIf(lacks('tmux'))('during a spinner in a real terminal: exit 130, cursor visible', async () => {
    server = await startScriptServer();
    server.expect('GET', '/v1/webhooks', { body: { webhooks: [] }, delayMs: 10_000 });
    const t = new Terminal(
      isolatedEnv({ ANCHOR_API_URL: server.url, ANCHOR_API_KEY: 'sig-key-1234', TERM: 'xterm-256color' }),
    );
    terminals.push(t);
    t.start(`${anchorShellWords()} webhooks list`);
    await t.waitFor('Loading webhooks');
    t.press('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).toContain('Interrupted before the API answered.');
    expect(t.cursorVisible()).toBe(true);
    // One request, not retried after the interruption.
    expect(server.seen).toHaveLength(1);
  });

  it.skipIf(lacks('tmux'))('on deliveries --follow in a real terminal: exit 0, cursor visible', async () => {
    server = await startScriptServer();
    const page = { events: [], pagination: { limit: 100, offset: 0, total: 0 } };
    for (let i = 0; i < 50; i++)
      server.expect('GET', `/v1/webhooks/${sampleWebhook.id}/events?limit=100&offset=0`, { body: page });
    const t = new Terminal(
      isolatedEnv({ ANCHOR_API_URL: server.url, ANCHOR_API_KEY: 'sig-key-1234', TERM: 'xterm-256color' }),
    );
    terminals.push(t);
    t.start(`${anchorShellWords()} webhooks deliveries ${sampleWebhook.id} --follow --interval 0.2`);
    await t.waitFor('Following deliveries');
    await until(() => server!.seen.length >= 2);
    t.press('C-c');
    expect(await t.exitCode()).toBe(0);
    expect(t.cursorVisible()).toBe(true);
    expect(server.unexpected).toEqual([]);
  });
});

describe('a signal the moment the ready line appears', () => {
  /** Starts `anchor <args>`, sends `signal` as soon as `ready` shows on stderr or stdout, and resolves with how it ended. */
  function signalOnReady(args: string[], ready: RegExp, signal: NodeJS.Signals, env: Record<string, string>) {
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => {
      const child = spawn(...anchorCommand(args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let sent = false;
      const watch = (d: Buffer) => {
        output += d.toString();
        if (!sent && ready.test(output)) {
          sent = true;
          child.kill(signal);
        }
      };
      child.stdout!.on('data', watch);
      child.stderr!.on('data', watch);
      child.on('close', (code, sig) => resolve({ code, signal: sig, output }));
    });
  }

  it('listen and the emulator, 15 times each: the handler is already there (exit 0, clean-up done)', async () => {
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: 'ready-signal-secret' });
    for (let i = 0; i < 15; i++) {
      const l = await signalOnReady(
        ['webhooks', 'listen', '--port', '0'],
        READY_LINE,
        i % 2 ? 'SIGINT' : 'SIGTERM',
        env,
      );
      expect(l, l.output).toMatchObject({ code: 0, signal: null });
      expect(l.output).toContain('Stopped.');
      const e = await signalOnReady(['emulator', '--port', '0'], /^http:\/\/\S+\n/, i % 2 ? 'SIGINT' : 'SIGTERM', env);
      expect(e, e.output).toMatchObject({ code: 0, signal: null });
      expect(e.output).toContain('shutting down');
    }
  }, 120_000);
});
