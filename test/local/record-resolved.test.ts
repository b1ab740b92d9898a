// Which failures count as resolved, over hand-made records: the same event taken later by a
// verified delivery or a replay (of any of its records, through chains and new ids); never by a
// stranger's claim, a duplicate, or a success that came before the failure.
import { describe, expect, it } from 'vitest';
import { appFailed, resolutions } from '../../src/local/record-resolved.js';
import type { RecordedRequest } from '../../src/local/record.js';

let clock = Date.parse('2026-01-01T00:00:00Z');
/** A record arriving a second after the previous one. */
function rec(id: string, status: number, more: Partial<RecordedRequest> = {}): RecordedRequest {
  clock += 1000;
  return {
    id,
    received_at: new Date(clock).toISOString(),
    method: 'POST',
    path: '/',
    headers: {},
    body_b64: '',
    verdict: 'ok',
    status: status || 502,
    event_id: 'evt_a',
    forward: {
      url: 'http://127.0.0.1:1/',
      status,
      latency_ms: 1,
      response_body: '',
      ...(status ? {} : { error: 'ECONNREFUSED' }),
    },
    ...more,
  };
}
/** What resolved each failure among `all`: record id → resolving record id. */
const resolvedIn = (all: RecordedRequest[]) =>
  Object.fromEntries([...resolutions(all.filter(appFailed), [...all].reverse())].map(([k, v]) => [k, v.id]));

describe('resolutions', () => {
  it('Anchor’s later attempt resolves every earlier failed attempt, as a delivery', () => {
    const all = [rec('r1', 0), rec('r2', 500), rec('r3', 200), rec('r4', 200)];
    expect(resolvedIn(all)).toEqual({ r1: 'r3', r2: 'r3' });
    expect(resolutions([all[0]!], all).get('r1')!.by).toBe('delivery');
  });

  it('a replay of one attempt resolves them all, through a chain and a new id', () => {
    const all = [
      rec('r1', 0),
      rec('r2', 0),
      rec('p1', 500, { replay_of: 'r2' }),
      rec('p2', 200, { replay_of: 'p1', event_id: 'evt_new' }),
    ];
    expect(resolvedIn(all)).toEqual({ r1: 'p2', r2: 'p2', p1: 'p2' });
    expect(resolutions([all[0]!], all).get('r1')!.by).toBe('replay');
  });

  it('a success before the failure, a duplicate, another event or a stranger’s claim resolves nothing', () => {
    const all = [
      rec('ok1', 200),
      rec('f1', 500, { replay_of: 'ok1' }),
      rec('dup', 200, { duplicate: true }),
      rec('other', 200, { event_id: 'evt_b' }),
      rec('claim', 200, { verdict: 'refused' }),
    ];
    expect(resolvedIn(all)).toEqual({});
  });

  it('a refused request stands for itself: only its own replays resolve it', () => {
    const all = [
      rec('ref', 0, { verdict: 'refused' }),
      rec('ok', 200),
      rec('again', 200, { verdict: 'refused', replay_of: 'ref', event_id: 'evt_z' }),
    ];
    expect(resolvedIn(all)).toEqual({ ref: 'again' });
    expect(resolvedIn(all.slice(0, 2))).toEqual({});
  });

  it('a cycle of replays, as a hand-edited record could hold, ends', () => {
    const all = [
      rec('x', 0, { replay_of: 'y', event_id: 'evt_c' }),
      rec('y', 200, { replay_of: 'x', event_id: 'evt_d' }),
    ];
    expect(resolvedIn(all)).toEqual({ x: 'y' });
  });
});
