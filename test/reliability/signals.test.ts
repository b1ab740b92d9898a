// Ctrl-C during a spinner, --follow and listen: exit 130 (0 for the long-running ones), the
// terminal restored, nothing half-written. Closing the terminal `listen --register` runs in (a
// hang-up, SIGHUP) cleans up as SIGTERM does, though nothing can be written to it any more.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeIO } from '../helpers/io.js';
import { sampleWebhook, startScriptServer, type ScriptServer } from '../helpers/script-server.js';
import { isolatedEnv, anchorCommand, anchorShellWords, runBin } from '../helpers/bin.js';
import { READY_LINE, waitFor } from '../helpers/listener.js';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { running } from '../helpers/tunnel-journey.js';
import { findListeners } from '../../src/local/listen-state.js';
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
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (let i = 0; i < 15; i++) {
      const signal = signals[i % signals.length]!;
      const l = await signalOnReady(['webhooks', 'listen', '--port', '0'], READY_LINE, signal, env);
      expect(l, l.output).toMatchObject({ code: 0, signal: null });
      expect(l.output).toContain('Stopped.');
      const e = await signalOnReady(['emulator', '--port', '0'], /^http:\/\/\S+\n/, signal, env);
      expect(e, e.output).toMatchObject({ code: 0, signal: null });
      expect(e.output).toContain('shutting down');
    }
  }, 120_000);
});

describe.skipIf(lacks('tmux'))(
  'the terminal listen --register runs in: Ctrl-C, and closing it (tmux kill-session)',
  () => {
    let emu: CheckedEmulator | undefined;
    afterEach(async () => {
      await emu?.close();
      expect(emu?.violations ?? []).toEqual([]);
      emu = undefined;
    });

    /** The project's webhooks as the emulator holds them, asked directly. */
    async function webhookIds(key: string): Promise<string[]> {
      const r = await fetch(`${emu!.url}/v1/webhooks`, { headers: { 'anchor-api-key': key } });
      expect(r.status).toBe(200);
      return ((await r.json()) as { webhooks: { id: string }[] }).webhooks.map((w) => w.id);
    }

    /** Polls `probe` until it holds, for at most `ms`; fails the test with `what` otherwise. */
    async function eventually(what: string, probe: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!(await probe())) {
        if (Date.now() > deadline) throw new Error(`${what}: not after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }

    /**
     * Starts `command` (which runs listen --register) in a terminal; resolves once its webhook and
     * state file exist. With `keyInConfig`, the key is stored by `auth login` first, not given in
     * the environment: reading it loads the config store.
     */
    async function listenInTerminal(key: string, command: (listen: string) => string, keyInConfig = false) {
      emu = await startCheckedEmulator({ apiKeys: [key] });
      const env = isolatedEnv({
        ANCHOR_API_URL: emu.url,
        ...(keyInConfig ? {} : { ANCHOR_API_KEY: key }),
        ANCHOR_ALLOW_LOCAL_TARGETS: '1',
        TERM: 'xterm-256color',
      });
      if (keyInConfig) expect((await runBin(['auth', 'login', '--with-key'], { env, input: key })).code).toBe(0);
      const t = new Terminal(env);
      terminals.push(t);
      t.start(command(`${anchorShellWords()} webhooks listen --port 0 --register http://127.0.0.1:9/closed-terminal`));
      await t.waitFor(READY_LINE, 15_000);
      const [state] = await waitFor('the state file', () => {
        const found = findListeners(env);
        return found.length > 0 ? found : undefined;
      });
      const ids = await webhookIds(key);
      expect(ids).toHaveLength(1);
      return { t, state: state!, id: ids[0]! };
    }

    // The config store writes through atomically, whose when-exit re-sent a signal it had seen: the
    // second Ctrl-C found listen's handler gone (it unsubscribes on the first) and ended the process
    // before the webhook was deleted. A terminal, so that the spinner's signal-exit is loaded too.
    it('Ctrl-C with the key stored by auth login: the webhook deleted, "Stopped.", exit 0', async () => {
      const key = 'ctrl-c-config-key';
      const { t, state } = await listenInTerminal(key, (listen) => `${listen}; echo "exit=$?"`, true);
      t.press('C-c');
      await t.waitFor(/exit=\d+/, 15_000);
      expect(t.screen()).toContain('Stopped.');
      expect(t.screen()).toMatch(/exit=0/);
      expect(await webhookIds(key)).toEqual([]);
      expect(existsSync(state.path)).toBe(false);
    }, 40_000);

    it('the temporary webhook is deleted, the state file removed, and listen ends', async () => {
      const key = 'hang-up-key-1';
      const { t, state } = await listenInTerminal(key, (listen) => listen);
      expect(running(state.state.pid)).toBe(true);
      t.hangUp();
      await eventually('the temporary webhook deleted', async () => (await webhookIds(key)).length === 0);
      await eventually('the state file removed', () => !existsSync(state.path));
      await eventually(`listen (pid ${state.state.pid}) ended`, () => !running(state.state.pid));
    }, 40_000);

    it('behind a shell that passes the hang-up on, as an interactive one does: exit 0, nothing thrown at the gone terminal', async () => {
      const key = 'hang-up-key-2';
      const dir = mkdtempSync(join(tmpdir(), 'anchor-hup-'));
      const script = join(dir, 'run.sh');
      const codeFile = join(dir, 'code');
      // Its stdout and stderr are the terminal (stdin, of a background job, is not): after the
      // hang-up, every line fails with EIO, and Node 20 aborts at exit on a gone terminal.
      const { t, state } = await listenInTerminal(key, (listen) => {
        writeFileSync(
          script,
          [
            `trap 'kill -HUP "$p"' HUP`,
            `${listen} &`,
            'p=$!',
            'while kill -0 "$p" 2>/dev/null; do wait "$p"; code=$?; done',
            `echo "$code" > '${codeFile}'`,
            '',
          ].join('\n'),
        );
        return `sh '${script}'`;
      });
      // Strangers' requests beyond what the refusal lines show: their count is written at clean-up,
      // before the webhook is deleted, to the terminal that is gone by then.
      const refused = await Promise.all(
        Array.from({ length: 40 }, () => fetch(state.state.url, { method: 'POST', body: '{}' }).then((r) => r.status)),
      );
      expect(refused.every((status) => status >= 400 && status < 500)).toBe(true);
      t.hangUp();
      await eventually(
        'the shell to record how listen ended',
        () => existsSync(codeFile) && readFileSync(codeFile, 'utf8').endsWith('\n'),
      );
      expect(readFileSync(codeFile, 'utf8').trim()).toBe('0');
      expect(await webhookIds(key)).toEqual([]);
    }, 40_000);
  },
);
