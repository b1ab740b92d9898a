// check_receiver and trigger_event from the built binary over stdio, against the reference
// receivers (one correct, one per classic mistake): each graded exactly as the command line grades
// the same receiver (its --json), signed with the server's ANCHOR_WEBHOOK_SECRET or else the local
// forwarding secret, never sent off this machine, never offered with --read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { connectMcp, resultText, type McpSession } from '../helpers/mcp-stdio.js';
import { startReferenceReceiver, type Mistake, type ReferenceReceiver } from '../helpers/reference-receivers.js';

let emu: RunningEmulator;
const secret = `whsec_agents_${randomBytes(16).toString('hex')}`;
let env: Record<string, string>;
let s: McpSession;
const receivers: ReferenceReceiver[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: true, retryDelaysMs: [5] });
  env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: 'agents-key', ANCHOR_WEBHOOK_SECRET: secret });
  s = await connectMcp({ apiUrl: emu.url, env });
});
afterAll(async () => {
  await s.close();
  await Promise.all(receivers.map((r) => r.close()));
  await emu.close();
});

/** A new receiver of this kind for each run, so that one run's envelopes are not the next one's duplicates. */
async function receiver(mistake: Mistake, with_ = secret): Promise<ReferenceReceiver> {
  const r = await startReferenceReceiver(mistake, with_);
  receivers.push(r);
  return r;
}

interface Check {
  id: string;
  required: boolean;
  ok: boolean;
  fix?: string;
}
const verdicts = (checks: Check[]) => checks.map((c) => ({ id: c.id, required: c.required, ok: c.ok }));

describe('check_receiver', () => {
  it.each<Mistake>(['correct', 'reserialised', 'single_v1', 'no_freshness'])(
    'grades a %s receiver as the command line does, with the fix of each failure',
    async (mistake) => {
      const cli = await runBin(['webhooks', 'check-receiver', (await receiver(mistake)).url, '--json'], { env });
      const expected = JSON.parse(cli.stdout) as { passed: boolean; checks: Check[] };
      const r = await s.call('check_receiver', { url: (await receiver(mistake)).url });
      // A failed check is the answer, not an error.
      expect(r.isError, resultText(r)).toBeFalsy();
      const got = r.structuredContent as { passed: boolean; checks: Check[] };
      expect(got.passed).toBe(expected.passed);
      // Each mistake breaks a required check (raw_body, rotation, rejects_stale).
      expect(got.passed).toBe(mistake === 'correct');
      expect(verdicts(got.checks)).toEqual(verdicts(expected.checks));
      const failed = got.checks.filter((c) => !c.ok);
      if (mistake === 'correct') expect(failed).toEqual([]);
      else expect(failed.length).toBeGreaterThan(0);
      for (const c of failed) {
        expect(c.fix).toBeTruthy();
        // The text a model reads carries each fix too.
        expect(resultText(r)).toContain(`${c.id}: ${c.fix!.split('\n')[0]}`);
      }
      expect(JSON.stringify(r) + s.stderr()).not.toContain(secret);
    },
    30_000,
  );
});

describe('trigger_event', () => {
  const CHAOS = ['duplicate', 'reorder', 'stale', 'bad-signature'];
  const grade = (rows: Array<{ event_type: string; injected?: string; expected: string; ok: boolean }>) =>
    rows.map((r) => ({ event_type: r.event_type, injected: r.injected, expected: r.expected, ok: r.ok }));

  it.each<Mistake>(['correct', 'no_idempotency', 'no_freshness'])(
    'plays a scenario with chaos at a %s receiver and grades it as the command line does',
    async (mistake) => {
      const cli = await runBin(
        [
          'events',
          'trigger',
          '--scenario',
          'human-in-the-loop',
          '--chaos',
          CHAOS.join(','),
          '--forward-to',
          (await receiver(mistake)).url,
          '--json',
        ],
        { env },
      );
      const expected = JSON.parse(cli.stdout) as Parameters<typeof grade>[0];
      const r = await s.call('trigger_event', {
        url: (await receiver(mistake)).url,
        scenario: 'human-in-the-loop',
        chaos: CHAOS,
      });
      expect(r.isError, resultText(r)).toBeFalsy();
      const got = r.structuredContent as { passed: boolean; deliveries: Parameters<typeof grade>[0] };
      expect(grade(got.deliveries)).toEqual(grade(expected));
      expect(got.passed).toBe(expected.every((row) => row.ok));
      expect(got.passed).toBe(mistake === 'correct');
      if (!got.passed) expect(resultText(r)).toMatch(/answer\(s\) wrong: .*To fix: /);
    },
    30_000,
  );

  it('sends one event with set overrides (an object or a list), signed with the server secret', async () => {
    const app = await receiver('correct');
    const byObject = await s.call('trigger_event', {
      url: app.url,
      event_type: 'task.completed',
      set: { 'data.task_id': 'tsk_from_agent', 'data.output': { ok: true } },
    });
    expect(byObject.isError, resultText(byObject)).toBeFalsy();
    expect(byObject.structuredContent).toMatchObject({
      passed: true,
      deliveries: [{ event_type: 'task.completed', status: 200, expected: '2xx', ok: true }],
    });
    expect(app.accepted.at(-1)!.envelope).toMatchObject({ data: { task_id: 'tsk_from_agent', output: { ok: true } } });
    const byList = await s.call('trigger_event', {
      url: app.url,
      event_type: 'task.completed',
      set: ['data.task_id=tsk_listed'],
    });
    expect(byList.isError, resultText(byList)).toBeFalsy();
    expect(app.accepted.at(-1)!.envelope).toMatchObject({ data: { task_id: 'tsk_listed' } });
    // The app refuses what another secret signed: the wrong answer is in the report.
    const stranger = await receiver('correct', 'another-secret');
    const refused = await s.call('trigger_event', { url: stranger.url, event_type: 'task.completed' });
    expect(refused.isError).toBeFalsy();
    expect(refused.structuredContent).toMatchObject({ passed: false, deliveries: [{ status: 401, ok: false }] });
  }, 30_000);

  it('refuses a URL off this machine, a bad event_type, reorder without a scenario, a bad set entry, in tool words', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'https://hooks.example.com/a', event_type: 'task.completed' }, 'sends only to this machine'],
      [{ url: 'http://10.0.0.7:3000/a', event_type: 'task.completed' }, 'sends only to this machine'],
      [{ url: 'http://app.localhost:3000/a', event_type: 'task.completed' }, 'sends only to this machine'],
      [{ url: 'localhost:3000', event_type: 'task.completed' }, 'invalid url'],
      [{ url: 'http://127.0.0.1:9/a', event_type: 'task.complete' }, 'Did you mean "task.completed"'],
      [{ url: 'http://127.0.0.1:9/a' }, 'give event_type (one event) or scenario'],
      [{ url: 'http://127.0.0.1:9/a', event_type: 'task.completed', chaos: ['reorder'] }, 'needs a scenario'],
      [{ url: 'http://127.0.0.1:9/a', event_type: 'task.completed', set: ['data.task_id'] }, 'invalid set entry'],
    ];
    for (const [args, words] of cases) {
      const r = await s.call('trigger_event', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(resultText(r)).toContain(words);
      expect(resultText(r)).not.toMatch(/(^|\s)--[a-z]|`anchor /);
    }
    const off = await s.call('check_receiver', { url: 'https://hooks.example.com/a' });
    expect(off.isError).toBe(true);
    expect(resultText(off)).toContain('check_receiver sends only to this machine');
  });
});

describe('the secret they sign with', () => {
  it('is the local forwarding secret when the server has no ANCHOR_WEBHOOK_SECRET, and none is a refusal', async () => {
    const bare = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: 'agents-key' });
    const none = await connectMcp({ apiUrl: emu.url, env: bare });
    try {
      const refused = await none.call('check_receiver', { url: (await receiver('correct')).url });
      expect(refused.isError).toBe(true);
      expect(resultText(refused)).toContain('no secret to sign with');
      expect(resultText(refused)).toContain('ANCHOR_WEBHOOK_SECRET');
      expect(resultText(refused)).not.toMatch(/(^|\s)--[a-z]|`anchor /);
      // The user creates the forwarding secret, as the README says; the app verifies with it.
      const printed = await runBin(['webhooks', 'listen', '--print-secret'], { env: bare });
      expect(printed.code, printed.stderr).toBe(0);
      const forwarding = printed.stdout.trim();
      const checked = await none.call('check_receiver', {
        url: (await receiver('correct', forwarding)).url,
        only: ['accepts_valid', 'raw_body'],
      });
      expect(checked.isError, resultText(checked)).toBeFalsy();
      expect(checked.structuredContent).toMatchObject({ passed: true });
      expect((checked.structuredContent!.checks as Check[]).map((c) => c.id)).toEqual(['accepts_valid', 'raw_body']);
      expect(JSON.stringify(checked) + none.stderr()).not.toContain(forwarding);
    } finally {
      await none.close();
    }
  }, 30_000);

  it('takes no secret from an argument', async () => {
    const r = await s.call('trigger_event', {
      url: 'http://127.0.0.1:9/a',
      event_type: 'task.completed',
      secret: 'chosen-by-the-model',
    });
    const listed = (await s.client.listTools()).tools.filter((t) =>
      ['check_receiver', 'trigger_event'].includes(t.name),
    );
    expect(listed).toHaveLength(2);
    // A secret's file in the server's own folder, yes (secret_file); a secret's value, never.
    for (const t of listed)
      expect(Object.keys(t.inputSchema.properties ?? {}).filter((k) => /secret/.test(k))).toEqual(['secret_file']);
    // An unknown argument is never used to sign (it is refused, or at least ignored).
    expect(JSON.stringify(r)).not.toContain('chosen-by-the-model');
  });

  it("signs with secret_file, the webhook's own secret file that create_webhook returned, and no other file", async () => {
    const created = await s.call('create_webhook', {
      url: 'https://hooks.example.com/own',
      events: ['task.completed'],
    });
    expect(created.isError, resultText(created)).toBeFalsy();
    const file = (created.structuredContent as { secret_file: string }).secret_file;
    const own = (await import('node:fs')).readFileSync(file, 'utf8').trim();
    // A receiver that verifies with the webhook's secret, not the server's ANCHOR_WEBHOOK_SECRET.
    const app = await receiver('correct', own);
    const withFile = await s.call('check_receiver', { url: app.url, secret_file: file });
    expect(withFile.isError, resultText(withFile)).toBeFalsy();
    expect(withFile.structuredContent).toMatchObject({ passed: true });
    const without = await s.call('check_receiver', { url: app.url });
    expect(without.structuredContent).toMatchObject({ passed: false });
    const sent = await s.call('trigger_event', { url: app.url, event_type: 'task.completed', secret_file: file });
    expect(sent.structuredContent).toMatchObject({ passed: true });
    for (const other of ['/etc/passwd', 'relative.secret', `${file}.bak`]) {
      const r = await s.call('check_receiver', { url: app.url, secret_file: other });
      expect(r.isError, other).toBe(true);
      expect(resultText(r)).toContain('invalid secret_file');
    }
  }, 30_000);
});
