// `webhooks check-receiver`, `events trigger --scenario/--chaos/--set` and `events scenarios`,
// in-process against reference receivers on loopback: one correct, one per classic mistake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { runCli } from '../../../helpers/io.js';
import { startReferenceReceiver, type Mistake, type ReferenceReceiver } from '../../../helpers/reference-receivers.js';
import { RECEIVER_CHECK_IDS } from '../../../../src/core/receiver-checks.js';
import { SCENARIOS } from '../../../../src/core/scenarios.js';

const SECRET = 'whsec_reference_receiver_secret_0123456789';
const env = { ANCHOR_WEBHOOK_SECRET: SECRET, ANCHOR_CONFIG_DIR: '/nonexistent-anchor-test' };
const MISTAKES: Mistake[] = [
  'correct',
  'reserialised',
  'no_freshness',
  'single_v1',
  'no_idempotency',
  'crash_on_bad_signature',
  'order_sensitive',
];
const receivers = {} as Record<Mistake, ReferenceReceiver>;

beforeAll(async () => {
  for (const m of MISTAKES) receivers[m] = await startReferenceReceiver(m, SECRET);
});
afterAll(async () => {
  for (const m of MISTAKES) await receivers[m].close();
});

interface CheckJson {
  url: string;
  passed: boolean;
  checks: Array<{ id: string; required: boolean; ok: boolean; status: number; detail: string; fix?: string }>;
}

describe('webhooks check-receiver', () => {
  // Exactly the checks each receiver must fail: nothing more, nothing less.
  const expectedFailures: Record<Mistake, string[]> = {
    correct: [],
    reserialised: ['raw_body'],
    no_freshness: ['rejects_stale'],
    single_v1: ['rotation'],
    no_idempotency: ['duplicate_ack'],
    // A 500 is not a refusal: the app crashed, and Anchor would retry it.
    crash_on_bad_signature: ['rejects_bad_signature'],
    // check-receiver sends no intervention.resolved: order is --chaos reorder's to see.
    order_sensitive: [],
  };

  it.each(MISTAKES)('grades the %s receiver exactly right', async (mistake) => {
    const r = await runCli(['webhooks', 'check-receiver', receivers[mistake].url, '--json'], { env });
    const out = JSON.parse(r.stdout) as CheckJson;
    expect(out.checks.map((c) => c.id)).toEqual(RECEIVER_CHECK_IDS);
    expect(out.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(expectedFailures[mistake]);
    const requiredFailed = out.checks.some((c) => !c.ok && c.required);
    expect(out.passed).toBe(!requiredFailed);
    expect(r.code).toBe(requiredFailed ? 6 : 0);
    for (const c of out.checks) {
      expect(c.status).toBeGreaterThan(0);
      if (c.ok) expect(c.fix).toBeUndefined();
      else expect(c.fix).toMatch(/\w/);
    }
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('says the fix for raw_body with the way of each framework', async () => {
    const r = await runCli(['webhooks', 'check-receiver', receivers.reserialised.url], { env });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/✗ raw_body +required +401/);
    for (const framework of ['Express', 'Fastify', 'Next.js', 'Hono']) expect(r.stdout).toContain(framework);
    expect(r.stdout).toContain('1 of 10 checks failed (1 required).');
    expect(r.stderr).toContain('failed 1 required check(s): raw_body');
  });

  it('a crash where a refusal was due is ✗ with its own fix (exit 6), not a follow-on of a valid delivery', async () => {
    const r = await runCli(['webhooks', 'check-receiver', receivers.crash_on_bad_signature.url, '--json'], { env });
    expect(r.code).toBe(6);
    const bad = (JSON.parse(r.stdout) as CheckJson).checks.find((c) => c.id === 'rejects_bad_signature')!;
    expect(bad).toMatchObject({ ok: false, required: true, status: 500 });
    expect(bad).not.toHaveProperty('follows_from');
    expect(bad.fix).toMatch(/^Your app answered 500: it crashed instead of refusing, and Anchor retries a 5xx/);
    const human = await runCli(['webhooks', 'check-receiver', receivers.crash_on_bad_signature.url], { env });
    expect(human.stdout).toMatch(/✗ rejects_bad_signature +required +500/);
    expect(human.stderr).toContain('failed 1 required check(s): rejects_bad_signature');
  });

  it('--only runs the checks named; the URL rules refuse http:// off loopback', async () => {
    const r = await runCli(
      ['webhooks', 'check-receiver', receivers.correct.url, '--only', 'rotation,raw_body', '--json'],
      {
        env,
      },
    );
    expect((JSON.parse(r.stdout) as CheckJson).checks.map((c) => c.id)).toEqual(['raw_body', 'rotation']);
    const far = await runCli(['webhooks', 'check-receiver', 'http://example.com/hooks'], { env });
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('http:// is allowed only for a receiver on this machine');
    const bad = await runCli(['webhooks', 'check-receiver', receivers.correct.url, '--only', 'rotations'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid --only "rotations"');
  });

  it('a correct receiver that holds another secret: the secret first, raw_body follows, no body advice', async () => {
    const other = { ...env, ANCHOR_WEBHOOK_SECRET: 'whsec_not_the_receivers_secret_0123456789' };
    const r = await runCli(['webhooks', 'check-receiver', receivers.correct.url, '--json'], { env: other });
    expect(r.code).toBe(6);
    const out = JSON.parse(r.stdout) as CheckJson & { checks: Array<{ follows_from?: string }> };
    const check = (id: string) => out.checks.find((c) => c.id === id)!;
    expect(check('accepts_valid').fix).toMatch(
      /^Your endpoint refuses every correctly signed delivery \(answered 401 to each\), whatever the bytes of its JSON .*: its secret is not the one these are signed with\. .*check-receiver signed with the secret of ANCHOR_WEBHOOK_SECRET\./,
    );
    expect(check('raw_body')).toMatchObject({ ok: false, status: 401, follows_from: 'accepts_valid' });
    for (const c of out.checks) expect(c.fix ?? '').not.toContain('Read the raw body first');
    expect(r.stdout + r.stderr).not.toContain('whsec_not_the_receivers_secret');
  });

  it('a receiver that is not there is a network error (exit 1), not a list of failed checks', async () => {
    const r = await runCli(['webhooks', 'check-receiver', 'http://127.0.0.1:9/hooks'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not deliver to http://127.0.0.1:9');
  });
});

describe('events trigger --chaos', () => {
  interface Row {
    event_type: string;
    event_id: string;
    delivery_id: string;
    injected?: string;
    status: number;
    expected: string;
    ok: boolean;
  }
  const chaos = [
    'events',
    'trigger',
    '--scenario',
    'human-in-the-loop',
    '--chaos',
    'duplicate,reorder,stale,bad-signature',
  ];

  it.each([
    ['correct', [] as string[]],
    ['reserialised', []],
    ['single_v1', []],
    ['no_freshness', ['stale']],
    ['no_idempotency', ['duplicate', 'duplicate', 'duplicate']],
    // A 5xx is a crash, not a refusal: Anchor would retry it (check-receiver grades it so too).
    ['crash_on_bad_signature', ['bad-signature']],
    // Reversed, intervention.resolved keeps its place (so is not marked) but comes before its request.
    ['order_sensitive', [undefined]],
  ] as const)('grades the %s receiver exactly right', async (mistake, wrong) => {
    const r = await runCli([...chaos, '--forward-to', receivers[mistake].url, '--json'], { env });
    const rows = JSON.parse(r.stdout) as Row[];
    expect(rows.filter((x) => !x.ok).map((x) => x.injected)).toEqual(wrong);
    expect(r.code).toBe(wrong.length ? 6 : 0);
    // The deliveries: the three events out of order, each followed by its duplicate when taken,
    // then the stale one and the badly signed one.
    const kinds = rows.map((x) => x.injected ?? 'event');
    expect(kinds.filter((k) => k === 'stale')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'bad-signature')).toHaveLength(1);
    expect(rows.slice(-2).map((x) => x.expected)).toEqual(['not 2xx', 'not 2xx']);
    const events = rows.filter((x) => x.injected !== 'duplicate').slice(0, 3);
    expect(events.map((x) => x.event_type)).toEqual([
      'task.completed',
      'intervention.resolved',
      'intervention.requested',
    ]);
    expect(new Set(rows.map((x) => x.delivery_id)).size).toBe(rows.length);
    for (const d of rows.filter((x) => x.injected === 'duplicate')) {
      const original = rows[rows.indexOf(d) - 1]!;
      expect(d.event_id).toBe(original.event_id);
    }
  });

  it('in a terminal: a line a delivery, and the fix for what was wrong', async () => {
    const r = await runCli([...chaos, '--forward-to', receivers.no_freshness.url], { env, tty: true });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/✗.*200.*stale.*expected a refusal/);
    expect(r.stderr).toContain('1 of 8 answers were wrong: stale got 200');
    expect(r.stderr).toContain('Refuse a delivery whose Anchor-Timestamp is more than a few minutes old');
  });

  it('a crash where a refusal was due is wrong, and said to be a crash', async () => {
    const r = await runCli([...chaos, '--forward-to', receivers.crash_on_bad_signature.url], { env, tty: true });
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/✗.*500.*bad-signature.*your app crashed instead, and Anchor retries a 5xx/);
    expect(r.stderr).toContain('1 of 8 answers were wrong: bad-signature got 500');
    expect(r.stderr).toContain('answer 401 (or 400) when a check fails instead of throwing');
  });

  it('a receiver refusing every correctly signed delivery: the secret first, no ordering advice, duplicate said not sent', async () => {
    const other = { ...env, ANCHOR_WEBHOOK_SECRET: 'whsec_not_the_receivers_secret_0123456789' };
    const r = await runCli([...chaos, '--forward-to', receivers.correct.url], { env: other });
    expect(r.code).toBe(6);
    // Every event refused, in order or not; stale and bad-signature refused as they must be.
    expect(r.stdout.split('\n').filter((l) => l.includes('✗'))).toHaveLength(3);
    expect(r.stdout).not.toContain('duplicate:');
    expect(r.stderr).toContain('duplicate: not sent, because your endpoint acknowledged none of the events with a 2xx');
    expect(r.stderr).toContain('3 of 5 answers were wrong: every correctly signed delivery was refused, ');
    const hint = r.stderr.slice(r.stderr.indexOf('answers were wrong')).split('\n')[1]!;
    expect(hint).toMatch(
      /^Your endpoint refused every correctly signed delivery \(401 to each, in order or not\): its secret is not the one these are signed with, or it checks the signature over JSON it parsed and serialised again/,
    );
    expect(hint).toContain('`anchor webhooks listen --print-secret`');
    expect(hint).toContain(`\`anchor webhooks check-receiver ${receivers.correct.url}\``);
    expect(r.stderr).not.toMatch(/out of order/i);
    const json = await runCli([...chaos, '--forward-to', receivers.correct.url, '--json'], { env: other });
    expect((JSON.parse(json.stdout) as Row[]).some((x) => x.injected === 'duplicate')).toBe(false);
    expect(json.stderr).toContain('duplicate: not sent, because');
    expect(r.stdout + r.stderr + json.stdout + json.stderr).not.toContain('whsec_not_the_receivers_secret');
  });

  it('a receiver refusing only what came before its cause: ordering advice first, and the duplicates were sent', async () => {
    const r = await runCli([...chaos, '--forward-to', receivers.order_sensitive.url], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('1 of 7 answers were wrong: intervention.resolved got 409');
    const hint = r.stderr.slice(r.stderr.indexOf('answers were wrong')).split('\n')[1]!;
    expect(hint).toMatch(/^Events can arrive out of order: accept them in any order/);
    expect(hint).not.toContain('every correctly signed delivery');
    expect(r.stderr).not.toContain('not sent');
  });

  it('reorder needs a scenario; a plain trigger takes the other kinds', async () => {
    const r = await runCli(
      ['events', 'trigger', 'task.failed', '--chaos', 'reorder', '--forward-to', receivers.correct.url],
      {
        env,
      },
    );
    expect(r.code).toBe(2);
    const one = await runCli(
      [
        'events',
        'trigger',
        'task.failed',
        '--chaos',
        'duplicate,bad-signature',
        '--forward-to',
        receivers.correct.url,
        '--json',
      ],
      { env },
    );
    expect(one.code).toBe(0);
    expect((JSON.parse(one.stdout) as Row[]).map((x) => x.injected ?? 'event')).toEqual([
      'event',
      'duplicate',
      'bad-signature',
    ]);
  });
});

describe('scenarios', () => {
  it('events scenarios lists them with their events', async () => {
    const r = await runCli(['events', 'scenarios', '--json'], {});
    expect(JSON.parse(r.stdout)).toEqual(
      SCENARIOS.map((s) => ({ name: s.name, description: s.description, events: s.steps.map((e) => e.type) })),
    );
    const human = await runCli(['events', 'scenarios'], {});
    expect(human.stdout).toContain('intervention.requested → intervention.resolved → task.completed');
  });

  const data = (e: Record<string, unknown>) => e.data as Record<string, unknown>;

  it.each(SCENARIOS.map((s) => [s.name]))('%s is received in order, with its ids linked', async (name) => {
    const receiver = await startReferenceReceiver('correct', SECRET);
    try {
      const r = await runCli(['events', 'trigger', '--scenario', name, '--forward-to', receiver.url, '--json'], {
        env,
      });
      expect(r.code).toBe(0);
      const got = receiver.accepted.map((a) => a.envelope);
      expect(got.map((e) => e.type)).toEqual(SCENARIOS.find((s) => s.name === name)!.steps.map((s) => s.type));
      expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
      expect(new Set(got.map((e) => e.project_id)).size).toBe(1);
      // Each was sent with its own type in Anchor-Event, created in order.
      for (const a of receiver.accepted) expect(a.headers['anchor-event']).toBe(a.envelope.type);
      const created = got.map((e) => Date.parse(String(e.created)));
      expect([...created].sort((a, b) => a - b)).toEqual(created);
      const d = got.map(data);
      switch (name) {
        case 'session-lifecycle':
          expect(new Set(d.map((x) => x.session_id)).size).toBe(1);
          break;
        case 'human-in-the-loop':
          expect(d[0]!.request_id).toBe(d[1]!.request_id);
          expect(new Set(d.map((x) => x.session_id)).size).toBe(1);
          break;
        case 'batch': {
          const tasks = d.slice(0, 3);
          expect(new Set(tasks.map((x) => x.task_id)).size).toBe(3);
          expect(new Set([...tasks.map((x) => x.batch_id), d[3]!.batch_id]).size).toBe(1);
          expect(d[3]!.total_requests).toBe(3);
          break;
        }
        case 'failing-task-heals':
          expect(new Set(d.map((x) => x.task_id)).size).toBe(1);
          expect(d[1]!.failed_task_version_id).toBe(d[0]!.task_version_id);
          expect(d[2]!.task_version_id).toBe(d[1]!.healed_task_version_id);
          expect(d[2]!.task_version_id).not.toBe(d[0]!.task_version_id);
          break;
        case 'identity-login-retry':
          expect(d[0]!.identity_id).toBe(d[1]!.identity_id);
          break;
        default:
          throw new Error(`no check for scenario ${name}`);
      }
    } finally {
      await receiver.close();
    }
  });
});

describe('events trigger --set', () => {
  it('reaches the body that was signed: the receiver verifies it and sees the values', async () => {
    const receiver = await startReferenceReceiver('correct', SECRET);
    try {
      const r = await runCli(
        [
          'events',
          'trigger',
          'task.completed',
          '--forward-to',
          receiver.url,
          '--set',
          'data.task_id=tsk_set_by_test',
          '--set',
          'data.output={"order_id":"A-1","paid":true}',
          '--set',
          'data.duration_ms=12',
          '--set',
          'text=a, b = c',
          '--set',
          'data.new.deep=1',
        ],
        { env },
      );
      expect(r.code).toBe(0);
      const [{ envelope, raw, headers }] = receiver.accepted as [ReferenceReceiver['accepted'][number]];
      expect(envelope.text).toBe('a, b = c');
      expect(envelope.data).toMatchObject({
        task_id: 'tsk_set_by_test',
        output: { order_id: 'A-1', paid: true },
        duration_ms: 12,
        new: { deep: 1 },
      });
      // The signature is over exactly these bytes.
      const t = String(headers['anchor-timestamp']);
      const v1 = createHmac('sha256', SECRET).update(`v0:${t}:`).update(raw).digest('hex');
      expect(String(headers['anchor-signature'])).toBe(`t=${t},v1=${v1}`);
    } finally {
      await receiver.close();
    }
  });

  it.each([
    ['nope', 'give <path>=<value>'],
    ['=x', 'give <path>=<value>'],
    ['data..x=1', 'an empty part'],
    ['__proto__.polluted=1', '"__proto__" cannot be set'],
    ['data.constructor.prototype.x=1', '"constructor" cannot be set'],
    ['data.artifacts.9.name=x', 'is a list of 2'],
    ['data.status.x=1', 'data.status is "completed", not an object'],
  ])('refuses --set %s (exit 2)', async (set, message) => {
    const r = await runCli(
      ['events', 'trigger', 'task.completed', '--forward-to', 'http://127.0.0.1:9/', '--set', set],
      {
        env,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
