// The inspector page's words and filters, the very script the page runs: each outcome gets its own
// kind and words (a failed app is never "verified" alone), the filters combine, and the hash that
// keeps them across a reload reads back what was written. The whole page script parses.
import { describe, expect, it } from 'vitest';
import { OUTCOME_JS } from '../../src/local/inspector-outcome.js';
import { inspectorPage } from '../../src/local/inspector-page.js';

interface Listed {
  id: string;
  verdict: 'ok' | 'refused';
  status: number;
  event_type?: string | null;
  event_id?: string | null;
  delivery_id?: string | null;
  replay_of?: string;
  forward?: { status: number; error?: string };
}
interface Filter {
  type: string;
  outcome: string;
  status: string;
  q: string;
}
const page = new Function(
  `${OUTCOME_JS}; return { outcomeOf, parseFilter, filterHash, matchesFilter, statusFilterOk };`,
) as () => {
  outcomeOf: (r: Listed) => { kind: string; badge: string; words: string };
  parseFilter: (hash: string) => Filter;
  filterHash: (f: Filter) => string;
  matchesFilter: (r: Listed, f: Filter, bodyIds: Set<string> | null) => boolean;
  statusFilterOk: (s: string) => boolean;
};
const { outcomeOf, parseFilter, filterHash, matchesFilter, statusFilterOk } = page();

const took: Listed = {
  id: 'rec_1',
  verdict: 'ok',
  status: 200,
  event_type: 'task.completed',
  event_id: 'evt_1',
  forward: { status: 204 },
};
const failed: Listed = {
  id: 'rec_2',
  verdict: 'ok',
  status: 500,
  event_type: 'task.failed',
  event_id: 'evt_2',
  forward: { status: 500 },
};
const unreachable: Listed = {
  id: 'rec_3',
  verdict: 'ok',
  status: 0,
  event_type: 'task.completed',
  forward: { status: 0 },
};
const kept: Listed = { id: 'rec_4', verdict: 'ok', status: 200, event_type: 'session.ready' };
const refused: Listed = {
  id: 'rec_5',
  verdict: 'refused',
  status: 401,
  event_type: 'task.completed',
  event_id: 'evt_claimed',
};
const replay: Listed = { ...took, id: 'rec_6', replay_of: 'rec_1' };
const all = [took, failed, unreachable, kept, refused, replay];
const none: Filter = { type: '', outcome: '', status: '', q: '' };
const ids = (f: Partial<Filter>, bodyIds: Set<string> | null = null) =>
  all.filter((r) => matchesFilter(r, { ...none, ...f }, bodyIds)).map((r) => r.id);

describe('the outcome of a row', () => {
  it('says what the app answered, and is green only for a 2xx', () => {
    expect(outcomeOf(took)).toEqual({ kind: 'app-ok', badge: 'app 204', words: 'Verified — your app answered 204' });
    expect(outcomeOf(failed)).toEqual({
      kind: 'app-failed',
      badge: 'app 500',
      words: 'Verified — your app answered 500',
    });
    expect(outcomeOf(unreachable).kind).toBe('app-failed');
    expect(outcomeOf(unreachable).words).toBe('Verified — your app could not be reached');
    expect(outcomeOf(kept)).toEqual({
      kind: 'not-forwarded',
      badge: 'verified',
      words: 'Verified — not forwarded (listen answered 200)',
    });
    expect(outcomeOf(refused)).toEqual({
      kind: 'refused',
      badge: 'refused 401',
      words: 'Refused — listen answered 401',
    });
    expect(outcomeOf({ id: 'x', verdict: 'ok', status: 0 }).kind).toBe('pending');
    for (const r of all) expect(outcomeOf(r).words).not.toMatch(/listen answered 5/);
  });
});

describe('the filters', () => {
  it('each one alone', () => {
    expect(ids({ type: 'task.completed' })).toEqual(['rec_1', 'rec_3', 'rec_5', 'rec_6']);
    expect(ids({ type: 'task.*' })).toEqual(['rec_1', 'rec_2', 'rec_3', 'rec_5', 'rec_6']);
    expect(ids({ outcome: 'app-failed' })).toEqual(['rec_2', 'rec_3']);
    expect(ids({ outcome: 'refused' })).toEqual(['rec_5']);
    expect(ids({ outcome: 'not-forwarded' })).toEqual(['rec_4']);
    expect(ids({ outcome: 'app-ok' })).toEqual(['rec_1', 'rec_6']);
    expect(ids({ status: '500' })).toEqual(['rec_2']);
    expect(ids({ status: '2xx' })).toEqual(['rec_1', 'rec_6']);
    expect(ids({ q: 'EVT_CLAIMED' })).toEqual(['rec_5']);
    expect(ids({ q: 'rec_1' })).toEqual(['rec_1', 'rec_6']); // a replay is found by its original's id
    expect(ids({ q: 'only in a body' }, new Set(['rec_4']))).toEqual(['rec_4']);
  });
  it('combined, every one must hold; a status that is not one is ignored', () => {
    expect(ids({ type: 'task.*', outcome: 'app-ok', q: 'rec_6' })).toEqual(['rec_6']);
    expect(ids({ type: 'task.completed', outcome: 'app-failed' })).toEqual(['rec_3']);
    expect(ids({ type: 'session.ready', status: '5xx' })).toEqual([]);
    expect(statusFilterOk('5xx')).toBe(true);
    expect(statusFilterOk('teapot')).toBe(false);
    expect(ids({ status: 'teapot' })).toHaveLength(all.length);
  });
  it('round-trip through the URL hash; an unknown outcome is dropped', () => {
    const f = { type: 'task.*', outcome: 'app-failed', status: '5xx', q: 'a b&c' };
    expect(parseFilter(filterHash(f))).toEqual(f);
    expect(filterHash(none)).toBe('');
    expect(parseFilter('#outcome=everything').outcome).toBe('');
  });
});

describe('the page', () => {
  it('has a script that parses, with no placeholder left', () => {
    const html = inspectorPage('N0NCE');
    const script = html.split('<script nonce="N0NCE">')[1]!.split('</script>')[0]!;
    expect(() => new Function(script)).not.toThrow();
    expect(html).not.toContain('${');
  });
});
