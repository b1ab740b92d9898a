// Someone else's text printed for a human: control characters shown escaped, one webhook one TSV
// line, tables that fit the terminal (wide characters counted as two cells), later --follow rows
// under the first header, and JSON left as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { projectEnv } from '../helpers/env.js';
import { fakeIO, runCli } from '../helpers/io.js';
import { main } from '../../src/cli.js';
import { startReceiver } from '../helpers/receiver.js';

let emu: CheckedEmulator;
beforeAll(async () => {
  emu = await startCheckedEmulator({ retryDelaysMs: [10] });
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  await emu.close();
});

const HOSTILE = 'line one\nline two\tTAB \u001b[2J\u001b]0;title\u0007 \u009b31m end';
// eslint-disable-next-line no-control-regex
const ESCAPES_BUT_COLOUR = /\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const stripColour = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

async function webhookWith(
  env: Record<string, string>,
  description: string,
  url = 'https://hooks.example.com/terminal-safe',
) {
  const r = await runCli(
    ['webhooks', 'create', '--url', url, '--event', 'task.completed', '--description', description, '--json'],
    { env },
  );
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { id: string };
}

describe('control characters from the API', () => {
  it('list (table and TSV), get and the JSON: escaped for humans, one line per webhook when piped, unchanged in JSON', async () => {
    const env = projectEnv(emu.url);
    const w = await webhookWith(env, HOSTILE);
    const io = fakeIO({ env, tty: true });
    io.stdout.columns = 300;
    expect(await main(['webhooks', 'list'], io)).toBe(0);
    const tty = { stdout: io.stdout.text };
    expect(tty.stdout).not.toMatch(ESCAPES_BUT_COLOUR);
    expect(tty.stdout).toContain('line one\\nline two\\tTAB \\x1b[2J\\x1b]0;title\\x07 \\x9b31m end');
    expect(tty.stdout.trim().split('\n')).toHaveLength(2);

    const piped = await runCli(['webhooks', 'list'], { env });
    const lines = piped.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split('\t')).toHaveLength(6);
    expect(piped.stdout).not.toMatch(ESCAPES_BUT_COLOUR);

    const get = await runCli(['webhooks', 'get', w.id], { env, tty: true });
    expect(get.stdout).not.toMatch(ESCAPES_BUT_COLOUR);
    expect(get.stdout).toContain('Description:  line one\\nline two');

    const json = await runCli(['webhooks', 'get', w.id, '--json'], { env });
    expect((JSON.parse(json.stdout) as { description: string }).description).toBe(HOSTILE);
  });

  it('the pick list and the update summary show the description escaped', async () => {
    const env = projectEnv(emu.url);
    await webhookWith(env, HOSTILE);
    const io = fakeIO({ env, tty: true, keys: ['\r', '\r', '\r', '\r', '\r'] });
    const code = await main(['webhooks', 'update', '-i'], io);
    expect(code).toBe(0);
    expect(io.stderr.text).toContain('line one\\nline two');
    expect(io.stderr.text).not.toContain('\u001b[2J');
    expect(io.stderr.text).not.toContain('\u009b');
    // Taken as shown, the description is unchanged: nothing was sent.
    const [after] = JSON.parse((await runCli(['webhooks', 'list', '--json'], { env })).stdout) as Array<{
      description: string;
    }>;
    expect(after!.description).toBe(HOSTILE);
  });

  it('an API error message is escaped in the human error, kept in the JSON one', async () => {
    const { startScriptServer } = await import('../helpers/script-server.js');
    const api = await startScriptServer();
    const message = 'bad \u001b[31mred\u001b[0m request\r\nSet-Cookie: x';
    api.expect('GET', '/v1/webhooks/wh_x', { status: 400, body: { error: 'bad_request', message } });
    api.expect('GET', '/v1/webhooks/wh_x', { status: 400, body: { error: 'bad_request', message } });
    const env = {
      ANCHOR_API_URL: api.url,
      ANCHOR_API_KEY: 'escape-error-key-1234',
      ANCHOR_CONFIG_DIR: projectEnv(emu.url).ANCHOR_CONFIG_DIR!,
    };
    const human = await runCli(['webhooks', 'get', 'wh_x'], { env });
    expect(human.code).toBe(3);
    expect(human.stderr).toContain('bad \\x1b[31mred\\x1b[0m request\\r');
    expect(human.stderr).not.toContain('\u001b[31mred');
    const json = await runCli(['webhooks', 'get', 'wh_x', '--json'], { env });
    expect((JSON.parse(json.stderr) as { error: { message: string } }).error.message).toContain(message);
    await api.close();
  });
});

describe('tables fit the terminal', () => {
  it('rows wider than the window: the free-text columns are cut with …, counting wide characters as two cells; piped output is never cut', async () => {
    const env = projectEnv(emu.url);
    const description = `日本語の説明 with emoji 🚀🚀 ${'x'.repeat(80)}`;
    await webhookWith(env, description, `https://hooks.example.com/${'very-long-path-segment/'.repeat(6)}end`);
    for (const columns of [80, 100, 120]) {
      const io = fakeIO({ env, tty: true });
      io.stdout.columns = columns;
      expect(await main(['webhooks', 'list'], io)).toBe(0);
      const lines = stripColour(io.stdout.text).trimEnd().split('\n');
      for (const line of lines) expect(stringWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
      expect(lines[1]).toContain('…');
      // The id and the fixed columns are whole.
      expect(lines[1]).toMatch(/^wh_[0-9A-Z]{26} /);
      expect(lines[1]).toMatch(/enabled/);
    }
    const piped = await runCli(['webhooks', 'list'], { env });
    expect(piped.stdout).toContain(description);
    expect(piped.stdout).not.toContain('…');
  });

  it('a terminal of unknown width is not cut', async () => {
    const env = projectEnv(emu.url);
    await webhookWith(env, 'y'.repeat(200));
    const io = fakeIO({ env, tty: true });
    io.stdout.columns = 0;
    expect(await main(['webhooks', 'list'], io)).toBe(0);
    expect(io.stdout.text).toContain('y'.repeat(200));
  });
});

describe('deliveries --follow', () => {
  it('later rows line up with the first header, and --limit bounds the rows printed first', async () => {
    const receiver = await startReceiver();
    const env = projectEnv(emu.url);
    const created = await runCli(
      ['webhooks', 'create', '--url', receiver.url, '--event', 'task.completed', '--allow-local-targets', '--json'],
      { env },
    );
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    for (let i = 0; i < 5; i++) await runCli(['webhooks', 'test', id, '--event', 'task.completed'], { env });
    await receiver.waitFor(5);
    await emu.dispatcher.idle();
    const io = fakeIO({ env, tty: true });
    io.stdout.columns = 160;
    const done = main(['webhooks', 'deliveries', id, '--follow', '--limit', '2', '--interval', '0.2'], io);
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(pred()).toBe(true);
    };
    const rowsShown = () =>
      stripColour(io.stdout.text)
        .split('\n')
        .filter((l) => /succeeded|pending|failed|dead/.test(l)).length;
    await until(() => rowsShown() >= 2);
    // A new delivery arrives after the first print; its row is printed under the same header.
    await runCli(['webhooks', 'test', id, '--event', 'task.completed'], { env });
    await until(() => rowsShown() >= 3);
    io.sendSignal('SIGINT');
    expect(await done).toBe(0);
    const lines = stripColour(io.stdout.text).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+EVENT\s+EVENT ID\s+STATUS/);
    expect(lines.filter((l) => l.startsWith('TIME'))).toHaveLength(1);
    // The first print showed 2 rows (--limit 2), not all 5.
    expect(lines.slice(1, 3).every((l) => /succeeded/.test(l))).toBe(true);
    const columnStarts = (l: string, words: string[]) => words.map((w) => l.indexOf(w));
    const header = lines[0]!;
    const statusAt = header.indexOf('STATUS');
    const eventAt = header.indexOf('EVENT ID');
    for (const l of lines.slice(1)) {
      expect(l.slice(statusAt).match(/^(succeeded|pending|failed|dead)/), l).not.toBeNull();
      expect(l.slice(eventAt).match(/^evt_|^[0-9a-f-]{8}/), l).not.toBeNull();
    }
    expect(columnStarts(header, ['TIME'])).toEqual([0]);
    await receiver.close();
  });
});

describe('bidirectional controls and line separators from the API and the record', () => {
  // U+202E would show the rest of a cell reversed (an id that reads as another), U+2066 isolates,
  // U+200F/U+061C are marks, U+2028/U+2029 break lines in some terminals and viewers.
  const BIDI = '\u202e\u2066\u200f\u061c\u2028\u2029';
  const SHOWN = '\\u202e\\u2066\\u200f\\u061c\\u2028\\u2029';
  const UNSAFE = /[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
  const hostileWebhook = {
    id: `wh_${BIDI}gpj.exe`,
    project_id: 'proj',
    url: 'https://hooks.example.com/bidi',
    description: `desc ${BIDI} end`,
    subscribed_events: [`task.completed${BIDI}`],
    enabled: true,
    created_at: '2023-11-07T05:31:56Z',
    updated_at: '2023-11-07T05:31:56Z',
  };
  const hostileDelivery = {
    id: 'del_1',
    external_event_id: `evt_${BIDI}1`,
    event_type: `task.${BIDI}failed`,
    status: 'failed',
    attempt: 1,
    response_status: 500,
    error_message: `boom ${BIDI}`,
    scheduled_at: '2023-11-07T05:31:56Z',
  };

  async function scripted() {
    const { startScriptServer } = await import('../helpers/script-server.js');
    const api = await startScriptServer();
    const env = {
      ANCHOR_API_URL: api.url,
      ANCHOR_API_KEY: 'bidi-escape-key-1234',
      ANCHOR_CONFIG_DIR: projectEnv(emu.url).ANCHOR_CONFIG_DIR!,
    };
    return { api, env };
  }

  it('webhooks list (table and TSV) and get show U+202E, U+2066, U+200F, U+061C, U+2028 and U+2029 escaped', async () => {
    const { api, env } = await scripted();
    for (let i = 0; i < 2; i++) api.expect('GET', '/v1/webhooks', { body: { webhooks: [hostileWebhook] } });
    api.expect('GET', `/v1/webhooks/${encodeURIComponent(hostileWebhook.id)}`, { body: hostileWebhook });

    const io = fakeIO({ env, tty: true });
    io.stdout.columns = 300;
    expect(await main(['webhooks', 'list'], io)).toBe(0);
    expect(io.stdout.text).not.toMatch(UNSAFE);
    expect(io.stdout.text).toContain(`wh_${SHOWN}gpj.exe`);
    expect(io.stdout.text).toContain(`task.completed${SHOWN}`);
    expect(io.stdout.text).toContain(`desc ${SHOWN} end`);
    expect(stripColour(io.stdout.text).trim().split('\n')).toHaveLength(2);

    const piped = await runCli(['webhooks', 'list'], { env });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toMatch(UNSAFE);
    expect(piped.stdout.split('\n').filter(Boolean)).toEqual([
      `wh_${SHOWN}gpj.exe\thttps://hooks.example.com/bidi\ttask.completed${SHOWN}\tenabled\tdesc ${SHOWN} end\t2023-11-07T05:31:56Z`,
    ]);

    const get = await runCli(['webhooks', 'get', hostileWebhook.id], { env, tty: true });
    expect(get.code).toBe(0);
    expect(get.stdout).not.toMatch(UNSAFE);
    expect(get.stdout).toContain(`Description:  desc ${SHOWN} end`);
    expect(api.unexpected).toEqual([]);
    await api.close();
  });

  it('webhooks deliveries (table and TSV) show the event type, event id and error escaped', async () => {
    const { api, env } = await scripted();
    const body = { events: [hostileDelivery], pagination: { limit: 100, offset: 0, total: 1 } };
    for (let i = 0; i < 2; i++) api.expect('GET', '/v1/webhooks/wh_x/events', { body });

    const io = fakeIO({ env, tty: true });
    io.stdout.columns = 300;
    expect(await main(['webhooks', 'deliveries', 'wh_x'], io)).toBe(0);
    expect(io.stdout.text).not.toMatch(UNSAFE);
    expect(io.stdout.text).toContain(`task.${SHOWN}failed`);
    expect(io.stdout.text).toContain(`evt_${SHOWN}1`);
    expect(io.stdout.text).toContain(`boom ${SHOWN}`);

    const piped = await runCli(['webhooks', 'deliveries', 'wh_x'], { env });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toMatch(UNSAFE);
    expect(piped.stdout).toContain(`task.${SHOWN}failed\tevt_${SHOWN}1\tfailed`);
    expect(api.unexpected).toEqual([]);
    await api.close();
  });

  it('webhooks received (table and TSV) and received show escape a recorded event type and id', async () => {
    const { RecordWriter, newRecordId } = await import('../../src/local/record.js');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const env = { ...projectEnv(emu.url), ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-bidi-state-')) };
    const now = Date.now();
    const id = newRecordId(now);
    const writer = RecordWriter.open(
      env,
      (s) => s,
      () => now,
    );
    writer.request({
      id,
      received_at: new Date(now).toISOString(),
      method: 'POST',
      path: `/hook${BIDI}`,
      headers: { 'x-note': `n${BIDI}` },
      body_b64: Buffer.from('{}').toString('base64'),
      verdict: 'ok',
      status: 200,
      event_type: `task.${BIDI}completed`,
      event_id: `evt_${BIDI}2`,
    });
    writer.close();

    const io = fakeIO({ env, tty: true });
    io.stdout.columns = 300;
    expect(await main(['webhooks', 'received'], io)).toBe(0);
    expect(io.stdout.text).not.toMatch(UNSAFE);
    expect(io.stdout.text).toContain(`task.${SHOWN}completed`);
    expect(io.stdout.text).toContain(`evt_${SHOWN}2`);

    const piped = await runCli(['webhooks', 'received'], { env });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toMatch(UNSAFE);
    expect(piped.stdout).toContain(`task.${SHOWN}completed\tevt_${SHOWN}2\tok`);

    const show = await runCli(['webhooks', 'received', 'show', id], { env, tty: true });
    expect(show.code).toBe(0);
    expect(show.stdout).not.toMatch(UNSAFE);
    expect(show.stdout).toContain(`/hook${SHOWN}`);
  });
  it("apply --dry-run and test print the API's webhook and event ids escaped", async () => {
    const { api, env } = await scripted();
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'anchor-bidi-apply-')), 'hooks.yaml');
    writeFileSync(file, 'webhooks:\n  - url: https://hooks.example.com/bidi\n    events: [task.failed]\n');
    api.expect('GET', '/v1/webhooks', { body: { webhooks: [hostileWebhook] } });
    const plan = await runCli(['webhooks', 'apply', '-f', file, '--dry-run'], { env });
    expect(plan.code).toBe(0);
    expect(plan.stdout + plan.stderr).not.toMatch(UNSAFE);
    expect(plan.stdout).toContain(`wh_${SHOWN}gpj.exe`);

    api.expect('POST', '/v1/webhooks/wh_x/test', {
      body: { external_event_id: `evt_${BIDI}9`, event_type: 'task.completed' },
    });
    const sent = await runCli(['webhooks', 'test', 'wh_x', '--event', 'task.completed'], { env });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toBe(`evt_${SHOWN}9\n`);
    expect(api.unexpected).toEqual([]);
    await api.close();
  });
});
