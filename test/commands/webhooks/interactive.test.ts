// Prompt conversations driven in-process through fake terminal streams, against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../../helpers/checked-emulator.js';
import { runCli } from '../../helpers/io.js';
import { projectEnv } from '../../helpers/env.js';

let emu: CheckedEmulator;
beforeAll(async () => {
  emu = await startCheckedEmulator();
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  await emu.close();
});

const ENTER = '\r';
const DOWN = '\u001b[B';
const BACKSPACE = '\u007f';
const CTRL_C = '\u0003';

async function list(env: Record<string, string>) {
  return JSON.parse((await runCli(['webhooks', 'list', '--json'], { env })).stdout) as Array<{
    id: string;
    url: string;
    description: string | null;
    subscribed_events: string[];
    enabled: boolean;
  }>;
}

describe('interactive create', () => {
  it('asks for the URL (checked as typed), the events, a description, then confirms and shows the secret', async () => {
    const env = projectEnv(emu.url);
    const bad = 'http://10.0.0.1/x';
    const r = await runCli(['webhooks', 'create'], {
      env,
      tty: true,
      keys: [
        bad,
        ENTER,
        BACKSPACE.repeat(bad.length),
        'https://example.com/hooks',
        ENTER,
        ' ',
        DOWN,
        ' ',
        ENTER,
        'my hook',
        ENTER,
        ENTER,
      ],
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the URL must use https://');
    expect(r.stderr).toContain('── task ──');
    expect(r.stderr).toContain('── identity ──');
    expect(r.stderr).toContain('task.completed                  A task execution finished successfully');
    // Every line of the checklist fits the terminal (100 columns here), so all five groups show.
    const checklist = r.stderr.slice(r.stderr.indexOf('── task ──'), r.stderr.indexOf('── identity ──') + 100);
    // eslint-disable-next-line no-control-regex -- stripping escape codes
    for (const line of checklist.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split('\n'))
      expect([...line].length).toBeLessThanOrEqual(100);
    expect(r.stderr).toContain('About to create this webhook:');
    expect(r.stderr).toMatch(/events: +task\.completed, task\.failed/);
    expect(r.stdout).toMatch(/Signing secret \(shown once\):\n\n {4}[0-9a-f]{64}\n/);
    const [w] = await list(env);
    expect(w).toMatchObject({
      url: 'https://example.com/hooks',
      subscribed_events: ['task.completed', 'task.failed'],
      description: 'my hook',
    });
  });

  it('does not ask again for what the flags give; at least one event is required', async () => {
    const env = projectEnv(emu.url);
    const r = await runCli(['webhooks', 'create', '--url', 'https://example.com/given', '--description', 'given'], {
      env,
      tty: true,
      keys: [ENTER, ' ', ENTER, ENTER],
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('Endpoint URL');
    expect(r.stderr).not.toContain('Description (optional');
    expect(r.stderr).toContain('Pick at least one event type');
    expect((await list(env))[0]).toMatchObject({
      url: 'https://example.com/given',
      description: 'given',
      subscribed_events: ['task.completed'],
    });
  });

  it('"no" at the confirmation sends nothing: exit 130', async () => {
    const env = projectEnv(emu.url);
    const r = await runCli(['webhooks', 'create', '-i', '--url', 'https://example.com/x', '--event', 'task.failed'], {
      env,
      tty: true,
      keys: [ENTER, 'n', ENTER],
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('nothing was sent');
    expect(await list(env)).toEqual([]);
  });

  it('Ctrl-C in the middle sends nothing and leaves the cursor visible: exit 130', async () => {
    const env = projectEnv(emu.url);
    const r = await runCli(['webhooks', 'create'], { env, tty: true, keys: ['https://example.com/x', ENTER, CTRL_C] });
    expect(r.code).toBe(130);
    expect(r.stderr.lastIndexOf('\u001b[?25h')).toBeGreaterThan(r.stderr.lastIndexOf('\u001b[?25l'));
    expect(await list(env)).toEqual([]);
  });

  it.each([
    ['not a terminal', {}, []],
    ['--no-input', { tty: true }, ['--no-input']],
    ['--json', { tty: true }, ['--json']],
    ['CI', { tty: true, ci: true }, []],
  ] as const)('never prompts when %s: exit 2 naming the flags', async (_name, opts, extra) => {
    const env = projectEnv(emu.url, 'ci' in opts ? { CI: 'true' } : {});
    const r = await runCli(['webhooks', 'create', '-i', ...extra], { env, tty: 'tty' in opts });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--url and --event');
    expect(r.stderr).not.toContain('Endpoint URL');
  });
});

describe('interactive update', () => {
  it('fills in the current values and sends only what changed', async () => {
    const env = projectEnv(emu.url);
    await runCli(
      [
        'webhooks',
        'create',
        '--url',
        'https://example.com/old',
        '--event',
        'task.completed',
        '--description',
        'keep me',
        '--json',
      ],
      { env },
    );
    const [w] = await list(env);
    // URL: erase "old", type "new"; events: also check task.failed; description: keep; enabled: keep; confirm.
    const r = await runCli(['webhooks', 'update', w!.id, '-i'], {
      env,
      tty: true,
      keys: [BACKSPACE.repeat(3), 'new', ENTER, DOWN, ' ', ENTER, ENTER, ENTER, ENTER],
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('https://example.com/old');
    expect(r.stderr).toMatch(/url: +https:\/\/example\.com\/old → https:\/\/example\.com\/new/);
    expect(r.stderr).toMatch(/events: +task\.completed → task\.completed, task\.failed/);
    expect(r.stderr).not.toMatch(/description: .*→/);
    expect((await list(env))[0]).toMatchObject({
      url: 'https://example.com/new',
      subscribed_events: ['task.completed', 'task.failed'],
      description: 'keep me',
      enabled: true,
    });
  });

  it('nothing changed: nothing is sent', async () => {
    const env = projectEnv(emu.url);
    await runCli(['webhooks', 'create', '--url', 'https://example.com/same', '--event', 'task.completed', '--json'], {
      env,
    });
    const [w] = await list(env);
    const r = await runCli(['webhooks', 'update', w!.id, '-i'], { env, tty: true, keys: [ENTER, ENTER, ENTER, ENTER] });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Nothing changed; nothing was sent.');
    expect((await list(env))[0]!.url).toBe('https://example.com/same');
  });
});

describe('pick list', () => {
  it('a command without an id offers the project webhooks in a terminal', async () => {
    const env = projectEnv(emu.url);
    for (const n of ['a', 'b'])
      await runCli(['webhooks', 'create', '--url', `https://example.com/${n}`, '--event', 'task.completed', '--json'], {
        env,
      });
    const hooks = await list(env);
    const r = await runCli(['webhooks', 'get', '--json'], { env, tty: true, keys: [DOWN, ENTER] });
    // --json never prompts.
    expect(r.code).toBe(2);
    const picked = await runCli(['webhooks', 'get'], { env, tty: true, keys: [DOWN, ENTER] });
    expect(picked.code).toBe(0);
    expect(picked.stderr).toContain('Which webhook do you want to get?');
    expect(picked.stdout).toContain(hooks[1]!.id);
    const del = await runCli(['webhooks', 'delete'], { env, tty: true, keys: [ENTER, 'y', ENTER] });
    expect(del.code).toBe(0);
    expect((await list(env)).map((w) => w.id)).toEqual([hooks[1]!.id]);
  });

  it('without a terminal, a missing id is exit 2 with the usage', async () => {
    const r = await runCli(['webhooks', 'get'], { env: projectEnv(emu.url) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass the webhook id instead');
    expect(r.stderr).toContain('anchor webhooks get <id>');
  });

  it('an empty project has nothing to pick: exit 5', async () => {
    const r = await runCli(['webhooks', 'delete'], { env: projectEnv(emu.url), tty: true });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('no webhooks to choose from');
  });
});

describe('prompts and colour', () => {
  it('--no-color prompts carry no colour codes', async () => {
    const env = projectEnv(emu.url);
    const r = await runCli(
      ['webhooks', 'create', '-i', '--no-color', '--url', 'https://example.com/x', '--event', 'task.failed'],
      { env, tty: true, keys: [ENTER, ENTER] },
    );
    expect(r.stderr).toContain('Create it?');
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- looking for colour escape codes
    expect(r.stderr + r.stdout).not.toMatch(/\u001b\[(3\d|9\d|1|2|22|39)m/);
  });
});
