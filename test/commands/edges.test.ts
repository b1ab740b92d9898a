// The edges a new user's first hour found, one test each.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { projectEnv } from '../helpers/env.js';
import { fakeIO, runCli } from '../helpers/io.js';
import { sampleWebhook, startScriptServer, type ScriptServer } from '../helpers/script-server.js';
import { startReceiver } from '../helpers/receiver.js';
import { startListen } from '../helpers/listener.js';
import { startTunnel } from '../helpers/tunnel.js';
import { main } from '../../src/cli.js';
import { buildProgram } from '../../src/program.js';
import { computeSignature } from '../../src/core/signature.js';

let emu: CheckedEmulator;
let strictEmu: CheckedEmulator;
let server: ScriptServer | undefined;
beforeAll(async () => {
  emu = await startCheckedEmulator({ retryDelaysMs: [60_000] });
  strictEmu = await startCheckedEmulator({ allowLocalTargets: false });
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  await emu.close();
  await strictEmu.close();
});
afterEach(async () => {
  if (server) {
    expect(server.unexpected).toEqual([]);
    expect(server.pending()).toEqual([]);
    await server.close();
    server = undefined;
  }
});

const ID = sampleWebhook.id;
const scriptedEnv = (url: string) => ({
  ANCHOR_API_URL: url,
  ANCHOR_API_KEY: 'edges-key-123456',
  ANCHOR_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'anchor-edges-')),
});

describe('--secret-file', () => {
  it('an empty path is refused before any request: rotate-secret, create, verify, listen', async () => {
    server = await startScriptServer();
    const env = scriptedEnv(server.url);
    for (const argv of [
      ['webhooks', 'rotate-secret', ID, '--yes', '--secret-file', ''],
      ['webhooks', 'create', '--url', 'https://e.example.com/', '--event', 'task.completed', '--secret-file', ''],
      ['webhooks', 'verify', '--signature', 't=1,v1=a', '--payload', '-', '--secret-file', ''],
      ['webhooks', 'listen', '--port', '0', '--secret-file', ''],
    ]) {
      const r = await runCli(argv, { env, stdin: '{}' });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('invalid --secret-file "": give a file path');
      expect(r.stdout).not.toMatch(/[0-9a-f]{64}/);
    }
    expect(server.seen).toEqual([]);
  });

  it('holds exactly the secret: no trailing newline', async () => {
    const env = projectEnv(emu.url);
    const path = join(mkdtempSync(join(tmpdir(), 'anchor-secret-')), 'secret');
    const r = await runCli(
      [
        'webhooks',
        'create',
        '--url',
        'https://e.example.com/exact',
        '--event',
        'task.completed',
        '--secret-file',
        path,
        '--json',
      ],
      { env },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('listen --register --allow-local-targets', () => {
  it('registers a local URL when the flag is given, as its hint says', async () => {
    const env = projectEnv(emu.url);
    // The registered URL exists before the listener: a tunnel that points at it once it listens.
    const tunnel = await startTunnel();
    const refused = await runCli(['webhooks', 'listen', '--port', '0', '--register', tunnel.url], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--allow-local-targets');
    const l = await startListen(['--register', tunnel.url, '--allow-local-targets'], { env });
    tunnel.to(l.url);
    const { io, done } = l;
    expect(io.stderr.text).toContain('temporary webhook');
    io.sendSignal('SIGINT');
    expect(await done).toBe(0);
    expect(io.stderr.text).toMatch(/Deleted the temporary webhook wh_\w+/);
    await tunnel.close();
  });
});

describe('the API URL a key belongs to', () => {
  it('auth login --profile p --api-url u binds u to p: later commands of p go there, not to production', async () => {
    const config = mkdtempSync(join(tmpdir(), 'anchor-bind-'));
    const login = await runCli(['auth', 'login', '--with-key', '--profile', 'staging', '--api-url', emu.url], {
      env: { ANCHOR_CONFIG_DIR: config },
      stdin: 'staging-key-123456',
    });
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`with the API URL ${emu.url}`);
    const list = await runCli(['webhooks', 'list', '--json', '--profile', 'staging'], {
      env: { ANCHOR_CONFIG_DIR: config },
    });
    expect(list.code).toBe(0);
    const status = JSON.parse(
      (await runCli(['auth', 'status', '--json', '--profile', 'staging'], { env: { ANCHOR_CONFIG_DIR: config } }))
        .stdout,
    ) as { api_url: string; valid: boolean };
    expect(status).toMatchObject({ api_url: emu.url, valid: true });
  });

  it('config set api-url refuses a plain http:// URL to another machine (every command would refuse it)', async () => {
    const env = { ANCHOR_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'anchor-cfg-')) };
    const r = await runCli(['config', 'set', 'api-url', 'http://api.example.com'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the API key is never sent over plain http:// to api.example.com');
    expect((await runCli(['config', 'set', 'api-url', 'http://127.0.0.1:4010'], { env })).code).toBe(0);
  });
});

describe('updates', () => {
  it('a flag and its negation together are a usage error, before anything is sent', async () => {
    server = await startScriptServer();
    const r = await runCli(['webhooks', 'update', ID, '--description', 'x', '--no-description'], {
      env: scriptedEnv(server.url),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--description and --no-description contradict each other');
  });

  it('--add-event of a subscribed type: says so, sends nothing (one read)', async () => {
    server = await startScriptServer();
    server.expect('GET', `/v1/webhooks/${ID}`, { body: sampleWebhook });
    const r = await runCli(['webhooks', 'update', ID, '--add-event', 'task.completed'], {
      env: scriptedEnv(server.url),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Nothing to change: ${ID} already has those events; nothing was sent.`);
  });

  it('disable of a disabled webhook: says so, sends nothing', async () => {
    server = await startScriptServer();
    server.expect('GET', `/v1/webhooks/${ID}`, { body: { ...sampleWebhook, enabled: false } });
    const r = await runCli(['webhooks', 'disable', ID], { env: scriptedEnv(server.url) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Nothing to change: ${ID} is already disabled; nothing was sent.`);
  });

  it('update sends only what differs and confirms with a line', async () => {
    server = await startScriptServer();
    server.expect('GET', `/v1/webhooks/${ID}`, { body: sampleWebhook });
    server.expect('PATCH', `/v1/webhooks/${ID}`, { body: { ...sampleWebhook, description: 'new' } });
    const r = await runCli(['webhooks', 'update', ID, '--description', 'new', '--url', sampleWebhook.url], {
      env: scriptedEnv(server.url),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(server.seen[1]!.body)).toEqual({ description: 'new' });
    expect(r.stderr).toContain(`✓ Updated webhook ${ID}: description`);
  });
});

describe('test --wait', () => {
  it('Ctrl-C while waiting names the event that was sent and the command that follows its delivery (exit 130)', async () => {
    const receiver = await startReceiver(() => 500);
    const env = projectEnv(emu.url);
    const id = (
      JSON.parse(
        (
          await runCli(
            [
              'webhooks',
              'create',
              '--url',
              receiver.url,
              '--event',
              'task.completed',
              '--allow-local-targets',
              '--json',
            ],
            { env },
          )
        ).stdout,
      ) as { id: string }
    ).id;
    const io = fakeIO({ env });
    const done = main(['webhooks', 'test', id, '--event', 'task.completed', '--wait'], io);
    await receiver.waitFor(1);
    io.sendSignal('SIGINT');
    expect(await done).toBe(130);
    expect(io.stderr.text).toMatch(/Stopped waiting; the test event evt_\S+ \(task\.completed\) was sent/);
    expect(io.stderr.text).toContain(`anchor webhooks deliveries ${id} --event task.completed --follow`);
    await receiver.close();
  });
});

describe('the local loop', () => {
  const SECRET = 'edges-local-secret';
  it('verify of an empty body says the body is empty; a malformed v1= is not blamed on the secret', async () => {
    const t = Math.floor(Date.now() / 1000);
    const empty = await runCli(
      [
        'webhooks',
        'verify',
        '--signature',
        `t=${t},v1=${computeSignature(SECRET, t, '{"id":1}')}`,
        '--payload',
        '-',
        '--json',
      ],
      { env: { ANCHOR_WEBHOOK_SECRET: SECRET }, stdin: '' },
    );
    expect(empty.code).toBe(6);
    expect(JSON.parse(empty.stdout).diagnosis).toMatchObject({
      cause: 'body_empty',
      message: expect.stringContaining('the body is empty'),
    });
    const malformed = await runCli(
      ['webhooks', 'verify', '--signature', `t=${t},v1=not-hex`, '--payload', '-', '--json'],
      { env: { ANCHOR_WEBHOOK_SECRET: SECRET }, stdin: '{}' },
    );
    expect(malformed.code).toBe(6);
    expect(JSON.parse(malformed.stdout).diagnosis.cause).toBe('malformed_headers');
  });

  it('sign --timestamp refuses milliseconds', async () => {
    const r = await runCli(['webhooks', 'sign', '--timestamp', String(Date.now()), '--payload', '-'], {
      env: { ANCHOR_WEBHOOK_SECRET: SECRET },
      stdin: '{}',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('that is milliseconds; Anchor timestamps are Unix seconds');
  });

  it('events trigger --payload warns when the body is not JSON, or its type is not the one asked for, and sends its bytes as signed', async () => {
    const receiver = await startReceiver();
    const notJson = await runCli(['events', 'trigger', 'task.failed', '--forward-to', receiver.url, '--payload', '-'], {
      env: { ANCHOR_WEBHOOK_SECRET: SECRET },
      stdin: 'plain \xff text',
    });
    expect(notJson.code).toBe(0);
    expect(notJson.stderr).toContain('the payload is not JSON');
    const other = await runCli(['events', 'trigger', 'task.failed', '--forward-to', receiver.url, '--payload', '-'], {
      env: { ANCHOR_WEBHOOK_SECRET: SECRET },
      stdin: '{"type":"task.completed"}',
    });
    expect(other.stderr).toContain('the payload\'s "type" is "task.completed", but it is sent as task.failed');
    await receiver.waitFor(2);
    const [first] = receiver.requests;
    const t = first!.headers['anchor-timestamp'] as string;
    expect(first!.headers['anchor-signature']).toBe(`t=${t},v1=${computeSignature(SECRET, t, first!.body)}`);
    await receiver.close();
  });
});

describe('local URLs and the emulator', () => {
  it('the emulator refusing an http:// or local URL says it needs --allow-local-targets too', async () => {
    const env = projectEnv(strictEmu.url);
    const r = await runCli(
      [
        'webhooks',
        'create',
        '--url',
        'http://127.0.0.1:3000/hooks',
        '--event',
        'task.completed',
        '--allow-local-targets',
      ],
      { env },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('This emulator was started without --allow-local-targets');
  });

  it('the interactive URL prompt says the same for a local URL', async () => {
    const env = projectEnv(emu.url);
    const io = fakeIO({ env, tty: true, keys: ['http://localhost:3000/hooks', '\r', '\u0003'] });
    expect(await main(['webhooks', 'create'], io)).toBe(130);
    expect(io.stderr.text).toContain('For a local receiver behind the emulator, pass --allow-lo');
  });
});

describe('messages that make sense', () => {
  it.each([
    [
      ['webhooks', 'list', '--timeout', '0'],
      'invalid --timeout "0": must be a duration above 0 and at most 1h, such as 10, 10s or 1m',
    ],
    [['webhooks', 'list', '--timeout', '2h'], 'invalid --timeout "2h": must be a duration above 0 and at most 1h'],
    [['webhooks', 'deliveries', ID, '--since', '1h', '--until', '2d'], 'is later than --until 2d'],
    [['webhooks', 'deliveries', ID, '--offset', '-1'], 'invalid --offset "-1": must be a whole number, 0 or more'],
    [['webhooks', 'craete'], 'Run `anchor webhooks --help`'],
    [['events', 'shw'], 'Run `anchor events --help`'],
  ])('%j', async (argv, message) => {
    server = await startScriptServer();
    const r = await runCli(argv, { env: scriptedEnv(server.url) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('help', () => {
  function commands(c: Command, path: string[] = []): Array<{ path: string[]; cmd: Command }> {
    return c.commands.flatMap((sub) =>
      sub.name() === '__complete'
        ? []
        : [{ path: [...path, sub.name()], cmd: sub }, ...commands(sub, [...path, sub.name()])],
    );
  }
  const program = buildProgram(async () => {}, { writeOut: () => {}, writeErr: () => {} });

  it.each(commands(program).map((c) => [c.path.join(' '), c.path] as const))(
    'anchor %s --help has an example, and defaults written one way',
    async (_name, path) => {
      const r = await runCli([...path, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\nExamples:\n {2}\$ anchor /);
      expect(r.stdout).not.toMatch(/\(default "|\(default [^:]|default: "/);
    },
  );
});

describe('CI detection, decided in one place', () => {
  it.each([
    ['false', true],
    ['0', true],
    ['', true],
    ['true', false],
    ['1', false],
  ])('CI=%j: prompts %s', async (ci, prompts) => {
    const io = fakeIO({ env: { ...projectEnv(emu.url), CI: ci }, tty: true, keys: ['\u0003'] });
    const code = await main(['webhooks', 'create', '-i'], io);
    if (prompts) {
      expect(code).toBe(130);
      expect(io.stderr.text).toContain('Endpoint URL');
    } else {
      expect(code).toBe(2);
      expect(io.stderr.text).toContain('cannot prompt because CI is set');
    }
  });
});

describe('inputs from the command line have a limit', () => {
  it('--payload /dev/zero, --secret-file /dev/zero and an oversized stdin end with a message (exit 2)', async () => {
    const env = { ANCHOR_WEBHOOK_SECRET: 'bounded-input-secret' };
    const zeroPayload = await runCli(['webhooks', 'verify', '--signature', 't=1,v1=a', '--payload', '/dev/zero'], {
      env,
    });
    expect(zeroPayload.code).toBe(2);
    expect(zeroPayload.stderr).toContain('--payload /dev/zero is larger than 16 MiB; stopped reading it');
    const zeroSecret = await runCli(['webhooks', 'sign', '--secret-file', '/dev/zero', '--payload', '-'], {
      stdin: '{}',
    });
    expect(zeroSecret.code).toBe(2);
    expect(zeroSecret.stderr).toContain('--secret-file /dev/zero is larger than 64 KiB');
    const bigKey = await runCli(['auth', 'login', '--with-key', '--no-verify'], {
      env: { ANCHOR_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'anchor-key-')) },
      stdin: 'k'.repeat(70 * 1024),
    });
    expect(bigKey.code).toBe(2);
    expect(bigKey.stderr).toContain('the key on stdin is larger than 64 KiB');
  });

  it('auth login checks the key through the same client as every command: a 503 is retried', async () => {
    server = await startScriptServer();
    server.expect('GET', '/v1/webhooks', { status: 503, body: { error: 'unavailable' } });
    server.expect('GET', '/v1/webhooks', { status: 200, body: { webhooks: [] } });
    const r = await runCli(['auth', 'login', '--with-key'], {
      env: {
        ANCHOR_API_URL: server.url,
        ANCHOR_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'anchor-key-')),
        ANCHOR_RETRY_BASE_MS: '1',
      },
      stdin: 'retry-login-key-1234',
    });
    expect(r.code).toBe(0);
  });
});

describe('replay', () => {
  it('--last followed by a record id says which to write, and sends nothing', async () => {
    const r = await runCli(['webhooks', 'replay', '--last', 'rec_0mwyhspzi00000', '--to', 'http://127.0.0.1:9/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--last takes a count, and this is a record id');
    expect(r.stderr).toContain('`anchor webhooks replay rec_0mwyhspzi00000`');
    expect(r.stderr).toContain('`--last 3`');
  });
});
