// Prompts in a real terminal (tmux), from the built binary, against the emulator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runBin, startBinEmulator, type BinEmulator, anchorShellWords } from '../helpers/bin.js';
import { Terminal } from '../helpers/tmux.js';
import stringWidth from 'string-width';
import { lacks } from '../helpers/tools.js';

let emu: BinEmulator;
const terminals: Terminal[] = [];
beforeAll(async () => {
  emu = await startBinEmulator();
});
afterAll(async () => {
  await emu.stop();
});
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

let n = 0;
function userEnv() {
  return isolatedEnv({
    ANCHOR_API_URL: emu.url,
    ANCHOR_API_KEY: `tmux-key-${process.pid}-${++n}`,
    TERM: 'xterm-256color',
  });
}

function terminal(env: Record<string, string>, args: string): Terminal {
  const t = new Terminal(env);
  terminals.push(t);
  t.start(`${anchorShellWords()} ${args}`);
  return t;
}

async function webhooks(env: Record<string, string>) {
  const r = await runBin(['webhooks', 'list', '--json'], { env });
  return JSON.parse(r.stdout) as Array<{
    id: string;
    url: string;
    subscribed_events: string[];
    description: string | null;
  }>;
}

describe.skipIf(lacks('tmux'))('in a real terminal', () => {
  it('an interactive create ends with the webhook on the emulator and its secret on screen', async () => {
    const env = userEnv();
    const t = terminal(env, 'webhooks create');
    await t.waitFor('Endpoint URL');
    t.type('https://hooks.example.com/tmux');
    t.press('Enter');
    await t.waitFor('── identity ──');
    t.press('Space', 'Down', 'Down', 'Space', 'Enter');
    await t.waitFor('Description');
    t.type('from tmux');
    t.press('Enter');
    await t.waitFor('Create it?');
    t.press('Enter');
    expect(await t.exitCode()).toBe(0);
    const screen = t.screen();
    const secret = screen.match(/^ {4}([0-9a-f]{64})$/m)?.[1];
    expect(secret).toBeDefined();
    expect(screen).toContain('Copy the signing secret now');
    const [w] = await webhooks(env);
    expect(w).toMatchObject({
      url: 'https://hooks.example.com/tmux',
      subscribed_events: ['task.completed', 'task.cancelled'],
      description: 'from tmux',
    });
    expect(t.cursorVisible()).toBe(true);
  });

  it('update -i shows the current values and sends the change', async () => {
    const env = userEnv();
    await runBin(
      ['webhooks', 'create', '--url', 'https://hooks.example.com/before', '--event', 'session.failed', '--json'],
      { env },
    );
    const [w] = await webhooks(env);
    const t = terminal(env, `webhooks update ${w!.id} -i`);
    const first = await t.waitFor('https://hooks.example.com/before');
    expect(first).toContain('Endpoint URL');
    t.press('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
    t.type('after');
    t.press('Enter');
    const list = await t.waitFor('── identity ──');
    expect(list).toMatch(/◉ session\.failed/);
    t.press('Enter');
    await t.waitFor('Description');
    t.press('Enter');
    await t.waitFor('enabled)?');
    t.press('Enter');
    await t.waitFor('Apply these changes?');
    expect(t.screen()).toMatch(/url: +https:\/\/hooks\.example\.com\/before → https:\/\/hooks\.example\.com\/after/);
    t.press('Enter');
    expect(await t.exitCode()).toBe(0);
    expect((await webhooks(env))[0]).toMatchObject({
      url: 'https://hooks.example.com/after',
      subscribed_events: ['session.failed'],
    });
  });

  it('a declined delete leaves the webhook there: exit 130', async () => {
    const env = userEnv();
    await runBin(
      ['webhooks', 'create', '--url', 'https://hooks.example.com/keep', '--event', 'task.failed', '--json'],
      { env },
    );
    const [w] = await webhooks(env);
    const t = terminal(env, `webhooks delete ${w!.id}`);
    await t.waitFor('Delete webhook');
    expect(t.screen()).toContain('https://hooks.example.com/keep');
    t.type('n');
    t.press('Enter');
    expect(await t.exitCode()).toBe(130);
    expect(await webhooks(env)).toHaveLength(1);
    expect(t.cursorVisible()).toBe(true);
  });

  it('Ctrl-C in the middle of create: nothing created, exit 130, cursor visible', async () => {
    const env = userEnv();
    const t = terminal(env, 'webhooks create');
    await t.waitFor('Endpoint URL');
    t.type('https://hooks.example.com/never');
    t.press('Enter');
    await t.waitFor('── identity ──');
    t.press('Space', 'C-c');
    expect(await t.exitCode()).toBe(130);
    expect(t.screen()).toContain('nothing was sent');
    expect(await webhooks(env)).toEqual([]);
    expect(t.cursorVisible()).toBe(true);
  });

  it('without a terminal: exit 2, naming the flags to pass instead', async () => {
    const env = userEnv();
    const r = await runBin(['webhooks', 'create', '-i'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --url and --event instead');
    const del = await runBin(['webhooks', 'delete', 'wh_x'], { env });
    expect(del.code).toBe(2);
    expect(del.stderr).toContain('pass --yes instead');
  });

  it('a table wider than the window is cut to fit it, wide characters and emoji counted as two cells: no row wraps', async () => {
    const env = userEnv();
    const created = await runBin(
      [
        'webhooks',
        'create',
        '--url',
        `https://hooks.example.com/${'a-long-path/'.repeat(8)}x`,
        '--event',
        'task.completed,task.failed,session.failed',
        '--description',
        `説明 🚀 ${'d'.repeat(60)}`,
        '--json',
      ],
      { env },
    );
    expect(created.code).toBe(0);
    const t = new Terminal(env);
    terminals.push(t);
    t.start(`${anchorShellWords()} webhooks list`, { columns: 90, rows: 20 });
    expect(await t.exitCode()).toBe(0);
    // capture-pane -J joins a wrapped line back together: a row that wrapped would be longer than 90 cells.
    const rows = t
      .screen()
      .split('\n')
      .filter((l) => l.startsWith('wh_') || l.startsWith('ID'));
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(stringWidth(r), r).toBeLessThanOrEqual(90);
    expect(rows[1]).toContain('…');
    expect(rows[1]).toContain('enabled');
  });
});
