// check-receiver's results read together, on results made here: which failure follows from a
// refused correct delivery, accepts_valid's likely cause, and the Express parser behind a 413
// when its error page does not say (NODE_ENV=production hides the stack).
import { describe, expect, it } from 'vitest';
import {
  followsFrom,
  signedEvidence,
  wordFixes,
  type Graded,
  type SecretEvidence,
} from '../../src/local/check-receiver-causes.js';
import type { ReceiverCheckId } from '../../src/core/receiver-checks.js';

const g = (id: ReceiverCheckId, status: number, ok = false): Graded => ({ id, ok, status });
const EXPRESS = { id: 'express' as const, by: 'X-Powered-By: Express' };
const fixes = (
  results: Graded[],
  answers: Record<string, string> = {},
  recognised?: typeof EXPRESS,
  evidence: SecretEvidence = signedEvidence(results),
) => {
  wordFixes(results, new Map(Object.entries(answers)) as Map<ReceiverCheckId, string>, recognised, {
    path: '/hooks',
    evidence,
    secretSource: 'the secret of --secret-file ./s',
  });
  return Object.fromEntries(results.map((r) => [r.id, r.fix]));
};

describe('followsFrom', () => {
  const root = g('accepts_valid', 401);
  it.each([
    ['the same answer as a refused correct delivery', g('large_body', 401), 'accepts_valid'],
    ['another answer (its own failure)', g('large_body', 413), undefined],
    ['raw_body, the evidence of the cause', g('raw_body', 401), undefined],
  ] as const)('%s', (_name, failed, expected) => {
    expect(followsFrom(failed, [root])).toBe(expected);
  });
  it('nothing follows from an accepts_valid that passed, or did not run', () => {
    expect(followsFrom(g('rotation', 401), [g('accepts_valid', 200, true)])).toBeUndefined();
    expect(followsFrom(g('rotation', 401), [])).toBeUndefined();
  });
});

describe('what the correctly signed deliveries showed about the secret', () => {
  it('one accepted proves it; every one refused (4xx) is to be probed; a crash tells nothing', () => {
    expect(signedEvidence([g('accepts_valid', 401), g('unknown_event_type', 200, true)])).toEqual({
      kind: 'secret-works',
      accepted: ['unknown_event_type'],
    });
    // rejects_stale refused, as it must: it is no correctly signed delivery that should pass.
    expect(signedEvidence([g('accepts_valid', 401), g('raw_body', 401), g('rejects_stale', 401, true)])).toEqual({
      kind: 'every-signed-refused',
      forms: [],
    });
    expect(signedEvidence([g('accepts_valid', 500), g('raw_body', 401)])).toEqual({ kind: 'unknown' });
    // A 400 to everything is a body the route never gets raw more often than a secret: not probed.
    expect(signedEvidence([g('accepts_valid', 400), g('raw_body', 400)])).toEqual({ kind: 'unknown' });
  });
});

describe('accepts_valid: the likely cause from the other results', () => {
  it('raw_body failed the same way while another signed delivery passed: the body, and the secret is right', () => {
    const fix = fixes([g('accepts_valid', 401), g('raw_body', 401), g('unknown_event_type', 200, true)]).accepts_valid!;
    expect(fix).toMatch(
      /^Your endpoint refused a correct delivery \(answered 401\), and raw_body failed the same way while unknown_event_type passed \(its secret is right\): most likely it checks the signature over JSON it parsed/,
    );
    expect(fix).not.toContain('--secret-file');
  });
  it('every signed delivery refused, re-serialised forms too: the secret first, and raw_body follows', () => {
    const results = [g('accepts_valid', 401), g('raw_body', 401), g('large_body', 401)];
    const out = fixes(results, {}, undefined, { kind: 'every-signed-refused', forms: ["Python's json.dumps"] });
    expect(out.accepts_valid).toMatch(
      /^Your endpoint refuses every correctly signed delivery \(answered 401 to each\), whatever the bytes of its JSON \(compact, unusual formatting, and re-written as Python's json.dumps\): its secret is not the one these are signed with\./,
    );
    expect(out.accepts_valid).toContain('check-receiver signed with the secret of --secret-file ./s');
    expect(out.accepts_valid).toContain('`anchor webhooks listen --print-secret`');
    expect(out.accepts_valid).not.toContain('Read the raw body first');
    expect(results[1]!.follows_from).toBe('accepts_valid');
    expect(out.raw_body).toMatch(/^Follows from accepts_valid/);
  });
  it('a re-serialised form accepted when the checks were all refused: the body, proven', () => {
    const fix = fixes([g('accepts_valid', 401), g('raw_body', 401)], {}, undefined, {
      kind: 'reserialised',
      form: "Python's json.dumps",
    }).accepts_valid!;
    expect(fix).toMatch(/yet it accepted the same kind of delivery re-written as Python's json.dumps/);
    expect(fix).toContain('Read the raw body first');
  });
  it('--only raw_body, refused whatever its bytes: its fix is the secret too', () => {
    const fix = fixes([g('raw_body', 403)], {}, undefined, { kind: 'every-signed-refused', forms: [] }).raw_body!;
    expect(fix).toMatch(/^Your endpoint refuses every correctly signed delivery \(answered 403 to each\)/);
  });
  it('raw_body passed: the signature check works, look past it', () => {
    const fix = fixes([g('accepts_valid', 401), g('raw_body', 200, true)]).accepts_valid!;
    expect(fix).toContain('its signature check works');
    expect(fix).not.toContain('secret');
  });
  it('raw_body not run (--only) and the probes told nothing: the secret, then the HMAC', () => {
    expect(fixes([g('accepts_valid', 401)], {}, undefined, { kind: 'unknown' }).accepts_valid).toMatch(
      /check that it uses the secret check-receiver signed with/,
    );
  });
});

describe('an Express 413 without a stack in its page', () => {
  const page = { large_body: 'Payload Too Large' };
  it('raw_body failed too: the global express.json() answered', () => {
    const fix = fixes(
      [g('accepts_valid', 200, true), g('raw_body', 401), g('large_body', 413)],
      page,
      EXPRESS,
    ).large_body!;
    expect(fix).toContain(
      'the 413 came from a global express.json() that reads the body before your route (raw_body failed too',
    );
    expect(fix.match(/`([^`]+)`/)![1]).toBe(
      "app.post('/hooks', express.raw({ type: 'application/json', limit: '1mb' }), handler)",
    );
  });
  it("raw_body passed: the route's express.raw() answered, and needs the limit", () => {
    const fix = fixes([g('raw_body', 200, true), g('large_body', 413)], page, EXPRESS).large_body!;
    expect(fix).toContain("the route's express.raw() answered 413 (raw_body passed");
  });
  it('neither known: the fix covers a raw() placed after a global json()', () => {
    const fix = fixes([g('large_body', 413)], page, EXPRESS).large_body!;
    expect(fix).toContain('registered BEFORE any global `app.use(express.json())`');
  });
});

describe('a crash where a refusal was due', () => {
  it('has its own fix when accepts_valid passed, and follows when it crashed the same way', () => {
    expect(fixes([g('accepts_valid', 200, true), g('rejects_stale', 500)]).rejects_stale).toMatch(
      /^Your app answered 500: it crashed instead of refusing/,
    );
    const both = [g('accepts_valid', 500), { ...g('rejects_stale', 500), follows_from: 'accepts_valid' as const }];
    expect(fixes(both).rejects_stale).toMatch(/^Follows from accepts_valid: .*crashed on both.*refused with a 4xx/);
  });
});
