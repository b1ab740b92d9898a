// Journey J2 from the built binary against real receivers (Express 5, Fastify 5, Hono, Flask,
// FastAPI): the naive form of each is caught by `check-receiver` and by `--chaos`, with the fix
// of THAT framework, and its duplicates are seen processed twice in the app; the correct form,
// written with exactly the printed fix, passes both and processes each event once.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import {
  FRAMEWORKS,
  PYTHON_FRAMEWORKS,
  receiverSource,
  startExpressHalfFix,
  startFlaskNaiveDumps,
  startFrameworkReceiver,
  type Form,
  type Framework,
  type FrameworkReceiver,
} from '../helpers/frameworks/index.js';
import { lacks } from '../helpers/tools.js';

const SECRET = 'whsec_journey_receivers_0123456789abcdef';
const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
const skipped = (f: Framework) => PYTHON_FRAMEWORKS.includes(f) && lacks('python-frameworks');
const RUN = FRAMEWORKS.filter((f) => !skipped(f));

/** How each framework is named in a fix, and whether its answers say which it is. */
const NAMES: Record<Framework, { name: string; recognised: boolean }> = {
  express: { name: 'Express', recognised: true },
  fastify: { name: 'Fastify', recognised: false },
  hono: { name: 'Hono', recognised: false },
  flask: { name: 'Flask', recognised: true },
  fastapi: { name: 'FastAPI', recognised: true },
};
const ALL_NAMES = ['Express', 'Fastify', 'Hono', 'Next.js', 'Flask', 'FastAPI', 'Django'];

/** The required checks a naive receiver fails: Express's global parser also stops at 100 kB. */
const NAIVE_FAILS: Record<Framework, string[]> = {
  express: ['raw_body', 'rejects_stale', 'rotation', 'large_body'],
  fastify: ['raw_body', 'rejects_stale', 'rotation'],
  hono: ['raw_body', 'rejects_stale', 'rotation'],
  flask: ['raw_body', 'rejects_stale', 'rotation'],
  fastapi: ['raw_body', 'rejects_stale', 'rotation'],
};

interface CheckJson {
  passed: boolean;
  framework?: string;
  checks: Array<{
    id: string;
    required: boolean;
    ok: boolean;
    status: number;
    fix?: string;
    caveat?: string;
    follows_from?: string;
  }>;
}
interface Row {
  event_id: string;
  injected?: string;
  status: number;
  ok: boolean;
  caveat?: string;
}

const receivers = new Map<string, FrameworkReceiver>();
const key = (f: Framework, form: Form) => `${f}/${form}`;
const receiver = (f: Framework, form: Form) => receivers.get(key(f, form))!;

beforeAll(async () => {
  // Python starts slowly: every receiver starts at once, once for the whole file.
  const started = await Promise.allSettled(
    RUN.flatMap((f) =>
      (['naive', 'correct'] as const).map(async (form) =>
        receivers.set(key(f, form), await startFrameworkReceiver(f, form, { secret: SECRET })),
      ),
    ),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}, 30_000);
afterAll(async () => {
  await Promise.all([...receivers.values()].map((r) => r.close()));
});

const checkReceiver = (url: string, json: boolean) =>
  runBin(['webhooks', 'check-receiver', url, ...(json ? ['--json'] : [])], { env });
const chaos = (url: string, json: boolean, runEnv = env) =>
  runBin(
    [
      'events',
      'trigger',
      '--scenario',
      'human-in-the-loop',
      '--chaos',
      'duplicate,reorder,stale,bad-signature',
      '--forward-to',
      url,
      ...(json ? ['--json'] : []),
    ],
    { env: runEnv },
  );

/** The code a fix tells that framework to write: the first `…` of its part of the fix. */
function snippet(fix: string, f: Framework): string {
  const { name, recognised } = NAMES[f];
  const part = recognised ? fix : fix.split('\n').find((line) => line.startsWith(`${name}: `));
  const code = part?.match(/`([^`]+)`/)?.[1];
  if (!code) throw new Error(`no ${name} code in the fix:\n${fix}`);
  return code;
}
const squeeze = (s: string) => s.replace(/\s+/g, ' ');
const count = (ids: string[], id: string) => ids.filter((x) => x === id).length;

for (const f of FRAMEWORKS) {
  // The tests of a framework share its two receivers; each looks only at the event ids it sent.
  describe.skipIf(skipped(f))(`${NAMES[f].name}`, { concurrent: true }, () => {
    const { name, recognised } = NAMES[f];

    it('naive: check-receiver fails its required checks (exit 6) with the fix of this framework', async () => {
      const r = await checkReceiver(receiver(f, 'naive').url, true);
      expect(r.code).toBe(6);
      const out = JSON.parse(r.stdout) as CheckJson;
      expect(out.passed).toBe(false);
      expect(out.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(
        out.checks.filter((c) => NAIVE_FAILS[f].includes(c.id)).map((c) => c.id),
      );
      expect(out.checks.filter((c) => !c.ok).every((c) => c.required)).toBe(true);
      const rawBody = out.checks.find((c) => c.id === 'raw_body')!.fix!;
      if (recognised) {
        expect(out.framework).toBe(f);
        // Only this framework's way, not a list to choose from.
        for (const other of ALL_NAMES.filter((n) => n !== name)) expect(rawBody).not.toContain(`${other} `);
      } else {
        expect(out.framework).toBeUndefined();
        for (const n of ALL_NAMES) expect(rawBody).toMatch(new RegExp(`^${n.replace('.', '\\.')}: `, 'm'));
      }
      // The correct form is written with exactly the code the fix prints (and it passes below).
      const source = squeeze(readFileSync(receiverSource(f), 'utf8'));
      expect(source).toContain(squeeze(snippet(rawBody, f)));
      const largeBody = out.checks.find((c) => c.id === 'large_body')!;
      if (!largeBody.ok) {
        expect(largeBody.status).toBe(413);
        expect(source).toContain(squeeze(snippet(largeBody.fix!, f)));
      }
      expect(r.stdout + r.stderr).not.toContain(SECRET);

      const human = await checkReceiver(receiver(f, 'naive').url, false);
      expect(human.code).toBe(6);
      expect(human.stdout).toContain(recognised ? `How to fix (${name}):` : 'How to fix:');
      expect(human.stdout).toContain(snippet(rawBody, f));
      expect(human.stderr).toContain(`failed ${NAIVE_FAILS[f].length} required check(s)`);
    });

    it('naive: --chaos grades the stale delivery wrong (exit 6), and the app acted on each duplicate twice', async () => {
      const app = receiver(f, 'naive');
      const r = await chaos(app.url, true);
      expect(r.code).toBe(6);
      const rows = JSON.parse(r.stdout) as Row[];
      expect(rows.filter((x) => !x.ok).map((x) => x.injected)).toEqual(['stale']);
      const duplicates = rows.filter((x) => x.injected === 'duplicate');
      expect(duplicates).toHaveLength(3);
      // anchor saw a 2xx, which it cannot tell from "processed once": the row says so.
      for (const d of duplicates) expect(d.caveat).toMatch(/right only if your app did not act on this event twice/);
      const processed = await app.processed();
      for (const d of duplicates) expect(count(processed, d.event_id)).toBe(2);
      expect(count(processed, rows.find((x) => x.injected === 'stale')!.event_id)).toBe(1);
      expect(count(processed, rows.find((x) => x.injected === 'bad-signature')!.event_id)).toBe(0);
    });

    it('correct: check-receiver passes every check (exit 0)', async () => {
      const r = await checkReceiver(receiver(f, 'correct').url, true);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as CheckJson;
      expect(out.passed).toBe(true);
      expect(out.checks.filter((c) => !c.ok)).toEqual([]);
      expect(out.checks.find((c) => c.id === 'large_body')!.status).toBe(200);
      // A duplicate acknowledged is right as far as anchor can see, and it says only that.
      expect(out.checks.find((c) => c.id === 'duplicate_ack')!.caveat).toMatch(/deduplicate on the envelope id/);
    });

    it('correct: --chaos passes (exit 0) and the app acted on each event once', async () => {
      const app = receiver(f, 'correct');
      const r = await chaos(app.url, true);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.stdout) as Row[];
      expect(rows.every((x) => x.ok)).toBe(true);
      const processed = await app.processed();
      const events = rows.filter((x) => x.injected === undefined || x.injected === 'reorder');
      expect(events).toHaveLength(3);
      for (const e of events) expect(count(processed, e.event_id)).toBe(1);
      for (const refused of rows.filter((x) => x.injected === 'stale' || x.injected === 'bad-signature'))
        expect(count(processed, refused.event_id)).toBe(0);
    });
  });
}

describe('Express: the half-fixes people try first are caught, and the fix says what is missing', () => {
  const failing = (out: CheckJson) => out.checks.filter((c) => !c.ok).map((c) => c.id);

  it('express.raw() on the route after a global express.json() gets a parsed body: the fix says BEFORE', async () => {
    const app = await startExpressHalfFix('raw-after-json', { secret: SECRET });
    try {
      const r = await checkReceiver(app.url, true);
      expect(r.code).toBe(6);
      const out = JSON.parse(r.stdout) as CheckJson;
      expect(failing(out)).toContain('raw_body');
      expect(out.checks.find((c) => c.id === 'raw_body')!.fix).toContain(
        "register `app.post('/webhooks/anchor', express.raw({ type: 'application/json', limit: '1mb' }), handler)` BEFORE `app.use(express.json())`",
      );
    } finally {
      await app.close();
    }
  });

  it('express.raw() without a limit answers large_body 413: the run fails (exit 6) and the fix gives the limit', async () => {
    const app = await startExpressHalfFix('raw-without-limit', { secret: SECRET });
    try {
      const r = await checkReceiver(app.url, true);
      expect(r.code).toBe(6);
      const out = JSON.parse(r.stdout) as CheckJson;
      expect(out.passed).toBe(false);
      expect(failing(out)).toEqual(['large_body']);
      const large = out.checks.find((c) => c.id === 'large_body')!;
      expect(large).toMatchObject({ required: true, status: 413 });
      expect(large.fix).toContain("express.raw({ type: 'application/json', limit: '1mb' })");
      // raw_body passed, so the route reads the raw body: its own express.raw() answered.
      expect(large.fix).toContain("the route's express.raw() answered 413");
      expect(r.stderr).toContain('failed 1 required check(s): large_body');
    } finally {
      await app.close();
    }
  });

  it('as the walker wrote it (raw() with a limit after a global json(), req.body into the HMAC): the crash is no ✓, and each fix names the real cause', async () => {
    const app = await startExpressHalfFix('raw-after-json-crash', { secret: SECRET });
    try {
      const r = await checkReceiver(app.url, true);
      expect(r.code).toBe(6);
      const out = JSON.parse(r.stdout) as CheckJson;
      const check = (id: string) => out.checks.find((c) => c.id === id)!;
      expect(out.framework).toBe('express');
      // Every signed delivery crashes the app: a 500 to a bad signature is a crash, not a refusal.
      expect(check('accepts_valid')).toMatchObject({ ok: false, status: 500 });
      expect(check('rejects_bad_signature')).toMatchObject({ ok: false, status: 500, follows_from: 'accepts_valid' });
      expect(check('rejects_bad_signature').fix).toMatch(/crashed on both/);
      // accepts_valid's cause is the body parsed before the route (raw_body failed the same way), not the secret.
      expect(check('accepts_valid').fix).toMatch(
        /crashed on a correct delivery \(answered 500.*raw_body failed the same way/,
      );
      expect(check('accepts_valid').fix).not.toMatch(/^[^.]*check that it uses/);
      expect(check('raw_body').follows_from).toBeUndefined();
      expect(check('raw_body').fix).toContain('BEFORE `app.use(express.json())`');
      for (const id of ['rotation', 'duplicate_ack', 'unknown_event_type'])
        expect(check(id)).toMatchObject({ ok: false, status: 500, follows_from: 'accepts_valid' });
      // The 413 came from the global express.json(): the limit the route already has is not the fix.
      const large = check('large_body');
      expect(large).toMatchObject({ ok: false, status: 413 });
      expect(large.follows_from).toBeUndefined();
      expect(large.fix).toContain('the 413 came from a global express.json() that reads the body before your route');
      expect(large.fix).toContain('a limit on an express.raw() placed after it never runs');
      expect(snippet(large.fix!, 'express')).toBe(
        "app.post('/webhooks/anchor', express.raw({ type: 'application/json', limit: '1mb' }), handler)",
      );

      const human = await checkReceiver(app.url, false);
      expect(human.code).toBe(6);
      expect(human.stdout).toMatch(/✗ rejects_bad_signature +required +500 .*\(follows from accepts_valid\)/);
      expect(human.stdout).toMatch(
        /rejects_bad_signature, rotation, duplicate_ack, unknown_event_type: follow from accepts_valid/,
      );
      expect(human.stdout).toMatch(/checks failed \(\d+ required\); 4 of them follow from accepts_valid\./);
    } finally {
      await app.close();
    }
  });
});

describe.skipIf(lacks('python-frameworks'))('Flask over json.dumps defaults: one cause, one fix', () => {
  it('every check delivery is refused 401, a json.dumps-shaped one is not: accepts_valid names the re-serialised body, the rest follow from it', async () => {
    const app = await startFlaskNaiveDumps({ secret: SECRET });
    try {
      const r = await checkReceiver(app.url, true);
      expect(r.code).toBe(6);
      const out = JSON.parse(r.stdout) as CheckJson;
      const check = (id: string) => out.checks.find((c) => c.id === id)!;
      expect(out.framework).toBe('flask');
      expect(check('accepts_valid')).toMatchObject({ ok: false, status: 401 });
      expect(check('accepts_valid').fix).toMatch(
        /^Your endpoint refused a correct delivery \(answered 401\), yet it accepted the same kind of delivery re-written as Python's json.dumps with its defaults: its secret is right, and it checks the signature over JSON it parsed and serialised again/,
      );
      expect(check('accepts_valid').fix).not.toContain('refuses every correctly signed delivery');
      expect(check('raw_body').fix).toContain('`raw = request.get_data()`');
      expect(check('raw_body')).not.toHaveProperty('follows_from');
      // Not their own unrelated fixes: no MAX_CONTENT_LENGTH, no dedup, no new event types.
      for (const id of ['rotation', 'duplicate_ack', 'unknown_event_type', 'large_body']) {
        expect(check(id)).toMatchObject({ ok: false, status: 401, follows_from: 'accepts_valid' });
        expect(check(id).fix).toMatch(/^Follows from accepts_valid: a correct delivery got the same 401/);
        expect(check(id).fix).not.toMatch(/MAX_CONTENT_LENGTH|Deduplicate|event types you do not handle/);
      }
      // The refusals are refusals: 401s, each a ✓.
      for (const id of ['rejects_bad_signature', 'rejects_stale', 'rejects_missing_headers'])
        expect(check(id).ok).toBe(true);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
    } finally {
      await app.close();
    }
  });
});

describe.skipIf(lacks('python-frameworks'))('a correct Flask receiver that holds another secret', () => {
  it('check-receiver leads with the secret, not the body: every signed delivery was refused, whatever its bytes', async () => {
    // As in the walk: the app holds one secret (listen's forwarding secret), --secret-file names another.
    const dir = mkdtempSync(join(tmpdir(), 'anchor-wrong-secret-'));
    const secretFile = join(dir, 'webhook-secret');
    writeFileSync(secretFile, 'whsec_the_webhooks_own_secret_not_the_apps_0123', { mode: 0o600 });
    const r = await runBin(
      ['webhooks', 'check-receiver', receiver('flask', 'correct').url, '--secret-file', secretFile],
      {
        env,
      },
    );
    expect(r.code).toBe(6);
    const fixes = r.stdout.slice(r.stdout.indexOf('How to fix'));
    const first = fixes.split('\n')[1]!;
    expect(first).toMatch(
      /^ {2}accepts_valid: Your endpoint refuses every correctly signed delivery \(answered 401 to each\), whatever the bytes of its JSON \(compact, unusual formatting, and re-written as Python's json.dumps with its defaults and as compact JSON with sorted keys\): its secret is not the one these are signed with\./,
    );
    expect(first).toContain(`check-receiver signed with the secret of --secret-file ${secretFile}`);
    expect(first).toContain('`anchor webhooks listen --print-secret`');
    // The body advice is not there at all: raw_body follows from accepts_valid like the rest.
    expect(fixes).not.toContain('Read the raw body first');
    expect(fixes).not.toContain('request.get_data()');
    expect(fixes).toMatch(
      /raw_body, rotation, duplicate_ack, unknown_event_type, large_body: follow from accepts_valid/,
    );
    expect(r.stdout + r.stderr).not.toContain('whsec_the_webhooks_own_secret');
  });

  it('--chaos leads with the secret, not with ordering, and says why no duplicate was sent', async () => {
    const wrong = { ...env, ANCHOR_WEBHOOK_SECRET: 'whsec_the_webhooks_own_secret_not_the_apps_0123' };
    const r = await chaos(receiver('flask', 'correct').url, false, wrong);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('duplicate: not sent, because your endpoint acknowledged none of the events');
    const hint = r.stderr.slice(r.stderr.indexOf('answers were wrong')).split('\n')[1]!;
    expect(hint).toMatch(/^Your endpoint refused every correctly signed delivery \(401 to each, in order or not\)/);
    expect(r.stderr).not.toMatch(/out of order/i);
    expect(r.stdout + r.stderr).not.toContain('whsec_the_webhooks_own_secret');
  });
});

describe.skipIf(RUN.length === 0)('what people read', () => {
  it('a duplicate acknowledged is not a plain ✓: the line and the summary say what anchor cannot see', async () => {
    const r = await chaos(receiver(RUN[0]!, 'correct').url, false);
    expect(r.code).toBe(0);
    const duplicates = r.stdout.split('\n').filter((l) => l.includes('duplicate:'));
    expect(duplicates).toHaveLength(3);
    for (const line of duplicates) {
      expect(line).toMatch(/^ {2}\? 200 /);
      expect(line).toContain('acknowledged: right only if your app did not act on it twice');
    }
    expect(r.stdout).toContain('All 8 answers were right, as far as anchor can see.');
    expect(r.stdout).toContain('deduplicate on the envelope `id`');
  });
});
