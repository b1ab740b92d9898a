// check-receiver's results read together, on results made here: which failure follows from a
// refused correct delivery, accepts_valid's likely cause, and the Express parser behind a 413
// when its error page does not say (NODE_ENV=production hides the stack).
import { describe, expect, it } from 'vitest';
import { followsFrom, wordFixes, type Graded } from '../../src/local/check-receiver-causes.js';
import type { ReceiverCheckId } from '../../src/core/receiver-checks.js';

const g = (id: ReceiverCheckId, status: number, ok = false): Graded => ({ id, ok, status });
const EXPRESS = { id: 'express' as const, by: 'X-Powered-By: Express' };
const fixes = (results: Graded[], answers: Record<string, string> = {}, recognised?: typeof EXPRESS) => {
  wordFixes(results, new Map(Object.entries(answers)) as Map<ReceiverCheckId, string>, recognised, '/hooks');
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

describe('accepts_valid: the likely cause from the other results', () => {
  it('raw_body failed the same way: the body, not the secret, first', () => {
    const fix = fixes([g('accepts_valid', 401), g('raw_body', 401)]).accepts_valid!;
    expect(fix).toMatch(/^Your endpoint refused a correct delivery \(answered 401\), and raw_body failed the same way/);
  });
  it('raw_body passed: the signature check works, look past it', () => {
    const fix = fixes([g('accepts_valid', 401), g('raw_body', 200, true)]).accepts_valid!;
    expect(fix).toContain('its signature check works');
    expect(fix).not.toContain('secret');
  });
  it('raw_body not run (--only): the secret', () => {
    expect(fixes([g('accepts_valid', 401)]).accepts_valid).toMatch(
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
