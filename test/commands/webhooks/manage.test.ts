// `anchor webhooks …` in-process, against the emulator over real HTTP, in TTY and non-TTY mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCheckedEmulator, type CheckedEmulator } from '../../helpers/checked-emulator.js';
import { startEmulator } from '../../../src/emulator/server.js';
import { runCli } from '../../helpers/io.js';
import { projectEnv } from '../../helpers/env.js';

let emu: CheckedEmulator;
let strict: CheckedEmulator;
beforeAll(async () => {
  emu = await startCheckedEmulator();
  strict = await startCheckedEmulator({ allowLocalTargets: false });
});
afterAll(async () => {
  // Every response the CLI received in this suite is one the OpenAPI document allows.
  expect(emu.responses()).toBeGreaterThan(10);
  expect(emu.violations).toEqual([]);
  expect(strict.violations).toEqual([]);
  await emu.close();
  await strict.close();
});

const URL_ = 'https://your-app.example.com/anchor/webhooks';
const ESC = '\u001b[';

async function create(env: Record<string, string>, extra: string[] = []) {
  const r = await runCli(['webhooks', 'create', '--url', URL_, '--event', 'task.completed', '--json', ...extra], {
    env,
  });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { id: string; secret: string; subscribed_events: string[] };
}

describe('webhooks create', () => {
  it('prints the webhook and its secret once, set apart, with the copy-now warning on stderr (TTY)', async () => {
    const env = projectEnv(emu.url);
    const r = await runCli(
      [
        'webhooks',
        'create',
        '--url',
        URL_,
        '--event',
        'task.completed',
        '--event',
        'task.failed,task.healed',
        '--description',
        'Production task notifications',
      ],
      { env, tty: true },
    );
    expect(r.code).toBe(0);
    const secret = r.stdout.match(/\n {4}([0-9a-f]{64})\n/)?.[1];
    expect(secret).toBeDefined();
    expect(r.stdout.split(secret!).length - 1).toBe(1);
    expect(r.stdout).toContain('Signing secret (shown once)');
    expect(r.stdout).toContain('task.completed, task.failed, task.healed');
    expect(r.stderr).toContain('Copy the signing secret now');
    expect(r.stderr).toContain('anchor webhooks rotate-secret wh_');
    expect(r.stderr).not.toContain(secret!);
    expect(r.stdout).toContain(ESC);
  });

  it('piped: the same text without colour; --json: the webhook with its secret', async () => {
    const env = projectEnv(emu.url);
    const piped = await runCli(['webhooks', 'create', '--url', URL_, '--event', 'task.completed'], { env });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toContain(ESC);
    expect(piped.stdout).toMatch(/Signing secret \(shown once\):\n\n {4}[0-9a-f]{64}\n/);
    const json = await runCli(['webhooks', 'create', '--url', URL_, '--event', 'task.completed', '--json'], { env });
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ url: URL_, subscribed_events: ['task.completed'], enabled: true, description: null });
    expect(body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(json.stderr).toContain('Copy the signing secret now');
  });

  it('--secret-file writes a new 0600 file and prints no secret; an existing file is refused before anything is sent', async () => {
    const env = projectEnv(emu.url);
    const dir = mkdtempSync(join(tmpdir(), 'anchor-secret-'));
    const path = join(dir, 'secret');
    const r = await runCli(
      ['webhooks', 'create', '--url', URL_, '--event', 'task.completed', '--secret-file', path, '--json'],
      { env },
    );
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).not.toHaveProperty('secret');
    expect(body.secret_file).toBe(path);
    const secret = readFileSync(path, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(r.stdout + r.stderr).not.toContain(secret);

    writeFileSync(path, 'keep me');
    const again = await runCli(
      ['webhooks', 'create', '--url', URL_, '--event', 'task.completed', '--secret-file', path],
      { env },
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    const list = await runCli(['webhooks', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('a failed create leaves no secret file behind', async () => {
    const env = projectEnv(strict.url);
    const path = join(mkdtempSync(join(tmpdir(), 'anchor-secret-')), 'secret');
    // The CLI lets a local URL through (--allow-local-targets), the API refuses it: exit 3.
    const r = await runCli(
      [
        'webhooks',
        'create',
        '--url',
        'http://127.0.0.1:9/x',
        '--event',
        'task.completed',
        '--allow-local-targets',
        '--secret-file',
        path,
      ],
      { env },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the API refused the request (400): url: the URL must use https://');
    expect(existsSync(path)).toBe(false);
  });

  it.each([
    [['--event', 'task.completed'], /missing --url/],
    [['--url', URL_], /missing --event/],
    [['--url', 'http://example.com/x', '--event', 'task.completed'], /invalid --url: the URL must use https/],
    [
      ['--url', 'https://192.168.1.10/x', '--event', 'task.completed'],
      /invalid --url: 192\.168\.1\.10 is a private address/,
    ],
    [['--url', 'https://u:p@example.com/x', '--event', 'task.completed'], /invalid --url: .*credentials/],
    [
      ['--url', URL_, '--event', 'task.complted'],
      /invalid --event "task.complted": not an Anchor event type. Did you mean "task.completed"/,
    ],
    [['--url', URL_, '--event', 'task.completed', '--description', 'x'.repeat(257)], /invalid --description: .*257/],
  ])('refuses %j before sending anything (exit 2)', async (args, message) => {
    const env = projectEnv(emu.url);
    const r = await runCli(['webhooks', 'create', ...args], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    const list = await runCli(['webhooks', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('ANCHOR_ALLOW_LOCAL_TARGETS=1 lifts the address rules, like --allow-local-targets', async () => {
    const env = projectEnv(emu.url, { ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    const r = await runCli(
      ['webhooks', 'create', '--url', 'http://localhost:3000/hooks', '--event', 'task.completed', '--json'],
      { env },
    );
    expect(r.code).toBe(0);
  });

  it('the sixth webhook is refused by the API: exit 3 with its message and a hint', async () => {
    const env = projectEnv(emu.url);
    for (let i = 0; i < 5; i++) await create(env);
    const r = await runCli(['webhooks', 'create', '--url', URL_, '--event', 'task.completed'], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('(409)');
    expect(r.stderr).toContain('at most 5 webhooks');
  });

  it('--dry-run prints the request with the key redacted and sends nothing', async () => {
    const env = projectEnv(emu.url);
    const r = await runCli(['webhooks', 'create', '--url', URL_, '--event', 'task.completed', '--dry-run', '--json'], {
      env,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      method: 'POST',
      url: `${emu.url}/v1/webhooks`,
      headers: expect.objectContaining({ 'anchor-api-key': '[REDACTED]', 'Content-Type': 'application/json' }),
      body: { url: URL_, subscribed_events: ['task.completed'] },
    });
    expect(r.stdout).not.toContain(env.ANCHOR_API_KEY!);
    const human = await runCli(['webhooks', 'create', '--url', URL_, '--event', 'task.completed', '--dry-run'], {
      env,
    });
    expect(human.stdout).toContain(`POST ${emu.url}/v1/webhooks`);
    expect(human.stdout).toContain('anchor-api-key: [REDACTED]');
    expect(human.stderr).toContain('nothing was sent');
    expect(JSON.parse((await runCli(['webhooks', 'list', '--json'], { env })).stdout)).toEqual([]);
  });
});

describe('webhooks list and get', () => {
  it('TTY: an aligned table with relative times; piped: tab-separated with ISO times', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env, ['--description', 'first']);
    await runCli(['webhooks', 'disable', a.id], { env });
    // Relative times against a fixed clock: three minutes after the webhook was created.
    const [created] = JSON.parse((await runCli(['webhooks', 'list', '--json'], { env })).stdout) as Array<{
      created_at: string;
    }>;
    const tty = await runCli(['webhooks', 'list'], {
      env,
      tty: true,
      now: () => new Date(Date.parse(created!.created_at) + 3 * 60_000),
    });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/ID\S*\s+\S*URL/);
    expect(tty.stdout).toContain('3 minutes ago');
    expect(tty.stdout).toContain('disabled');
    const piped = await runCli(['webhooks', 'list'], { env });
    const cols = piped.stdout.trim().split('\t');
    expect(cols).toEqual([
      a.id,
      URL_,
      'task.completed',
      'disabled',
      'first',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    ]);
    expect(piped.stdout).not.toContain(ESC);
  });

  it('--json is the array exactly as the API returns it, without secrets', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const r = await runCli(['webhooks', 'list', '--json'], { env });
    const list = JSON.parse(r.stdout);
    expect(list).toHaveLength(1);
    expect(Object.keys(list[0]).sort()).toEqual([
      'created_at',
      'description',
      'enabled',
      'id',
      'project_id',
      'subscribed_events',
      'updated_at',
      'url',
    ]);
    expect(r.stdout).not.toContain(a.secret);
  });

  it('an empty project says how to create one, on stderr, with stdout empty', async () => {
    const r = await runCli(['webhooks', 'list'], { env: projectEnv(emu.url) });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain('anchor webhooks create');
  });

  it('get shows one webhook; an unknown id is exit 5 with the API message', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const r = await runCli(['webhooks', 'get', a.id], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`URL:          ${URL_}`);
    const json = JSON.parse((await runCli(['webhooks', 'get', a.id, '--json'], { env })).stdout);
    expect(json.id).toBe(a.id);
    expect(json).not.toHaveProperty('secret');
    const missing = await runCli(['webhooks', 'get', 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y'], { env });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('not found in this project (404)');
    expect(missing.stderr).toContain('anchor webhooks list');
  });
});

describe('webhooks update, enable, disable', () => {
  it('--add-event and --remove-event edit the set; --no-description clears; only changed fields are sent', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env, ['--description', 'before']);
    const dry = await runCli(
      [
        'webhooks',
        'update',
        a.id,
        '--add-event',
        'task.failed',
        '--remove-event',
        'task.completed',
        '--no-description',
        '--dry-run',
        '--json',
      ],
      { env },
    );
    expect(JSON.parse(dry.stdout).body).toEqual({ description: null, subscribed_events: ['task.failed'] });
    const r = await runCli(
      ['webhooks', 'update', a.id, '--add-event', 'task.failed,session.failed', '--no-description', '--json'],
      { env },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      subscribed_events: ['task.completed', 'task.failed', 'session.failed'],
      description: null,
    });
    const r2 = await runCli(
      [
        'webhooks',
        'update',
        a.id,
        '--event',
        'batch.completed',
        '--url',
        'https://new-host.example.com/anchor/webhooks',
        '--description',
        'after',
        '--json',
      ],
      { env },
    );
    expect(JSON.parse(r2.stdout)).toMatchObject({
      subscribed_events: ['batch.completed'],
      url: 'https://new-host.example.com/anchor/webhooks',
      description: 'after',
    });
  });

  it.each([
    [['--enable', '--disable'], /cannot be used together/],
    [['--event', 'task.failed', '--add-event', 'task.completed'], /--event replaces the whole set/],
    [[], /nothing to update/],
    [['--remove-event', 'task.completed'], /at least one event type/],
    [['--url', 'https://10.1.2.3/'], /invalid --url/],
    [['--add-event', 'task.nope'], /invalid --add-event "task.nope"/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const r = await runCli(['webhooks', 'update', a.id, ...args], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('disable and enable flip the flag and print the webhook', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const off = await runCli(['webhooks', 'disable', a.id, '--json'], { env });
    expect(JSON.parse(off.stdout).enabled).toBe(false);
    const on = await runCli(['webhooks', 'enable', a.id], { env });
    expect(on.code).toBe(0);
    expect(on.stderr).toContain(`Enabled webhook ${a.id}`);
    expect(on.stdout).toContain('enabled');
  });
});

describe('webhooks delete and rotate-secret', () => {
  it('without a terminal and without --yes: exit 2 naming --yes, nothing deleted', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    for (const argv of [
      ['webhooks', 'delete', a.id],
      ['webhooks', 'rotate-secret', a.id],
    ]) {
      const r = await runCli(argv, { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('pass --yes');
    }
    expect((await runCli(['webhooks', 'get', a.id], { env })).code).toBe(0);
  });

  it('in a terminal, "n" declines: exit 130, nothing deleted; "y" deletes', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const no = await runCli(['webhooks', 'delete', a.id], { env, tty: true, keys: ['n', '\r'] });
    expect(no.code).toBe(130);
    expect(no.stderr).toContain(`Delete webhook ${a.id}`);
    expect(no.stderr).toContain('Not deleted');
    expect((await runCli(['webhooks', 'get', a.id], { env })).code).toBe(0);
    const yes = await runCli(['webhooks', 'delete', a.id], { env, tty: true, keys: ['y', '\r'] });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain(`Deleted webhook ${a.id}`);
    expect((await runCli(['webhooks', 'get', a.id], { env })).code).toBe(5);
  });

  it('--yes --json deletes without asking; a second delete is exit 5', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const r = await runCli(['webhooks', 'delete', a.id, '--yes', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: a.id, deleted: true });
    expect((await runCli(['webhooks', 'delete', a.id, '--yes'], { env })).code).toBe(5);
  });

  it('rotate-secret --yes shows the new secret once and says the old one lasts 24 hours', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const r = await runCli(['webhooks', 'rotate-secret', a.id, '--yes', '--json'], { env });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(body.secret).not.toBe(a.secret);
    expect(r.stderr).toContain('24 hours');
    const dir = mkdtempSync(join(tmpdir(), 'anchor-secret-'));
    const toFile = await runCli(['webhooks', 'rotate-secret', a.id, '--yes', '--secret-file', join(dir, 's')], { env });
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).not.toMatch(/[0-9a-f]{64}/);
    expect(readFileSync(join(dir, 's'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('in a terminal the rotation asks first and says what happens; "n" is exit 130', async () => {
    const env = projectEnv(emu.url);
    const a = await create(env);
    const r = await runCli(['webhooks', 'rotate-secret', a.id], { env, tty: true, keys: ['n', '\r'] });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('the old one keeps working for 24 hours');
    expect(r.stdout).not.toMatch(/[0-9a-f]{64}/);
  });
});

describe('authentication', () => {
  it('no key at all: exit 4 with how to log in', async () => {
    const env = projectEnv(emu.url);
    delete env.ANCHOR_API_KEY;
    const r = await runCli(['webhooks', 'list'], { env });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('anchor auth login');
  });

  it('a key the API refuses: exit 4, and the key never appears in the output', async () => {
    const keyed = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      apiKeys: ['the-right-key'],
      allowLocalTargets: false,
      retryDelaysMs: [5],
    });
    try {
      const env = projectEnv(keyed.url, { ANCHOR_API_KEY: 'the-wrong-key-123' });
      const r = await runCli(['webhooks', 'list', '--debug'], { env });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('(401)');
      expect(r.stderr).not.toContain('the-wrong-key-123');
      expect(r.stderr).toContain('[REDACTED]');
    } finally {
      await keyed.close();
    }
  });
});

describe('spinner', () => {
  it('shows on stderr in a terminal, never when piped, and without colour under NO_COLOR', async () => {
    const env = projectEnv(emu.url);
    await create(env);
    const tty = await runCli(['webhooks', 'list'], { env, tty: true });
    expect(tty.stderr).toContain('Loading webhooks');
    const piped = await runCli(['webhooks', 'list'], { env });
    expect(piped.stderr).toBe('');
    const noColor = await runCli(['webhooks', 'list'], { env: { ...env, NO_COLOR: '1' }, tty: true });
    expect(noColor.stderr).toContain('Loading webhooks');
    // eslint-disable-next-line no-control-regex -- looking for colour escape codes
    expect(noColor.stderr + noColor.stdout).not.toMatch(/\u001b\[(3\d|9\d|1|2)m/);
    const json = await runCli(['webhooks', 'list', '--json'], { env, tty: true });
    expect(json.stderr).toBe('');
  });
});
