// Which failed deliveries a later one got through, computed at read time (the record stays
// append-only). `--failed` means what the app has not taken: an event whose delivery later
// succeeded — Anchor's own retry (a later verified record of the same event id), a backfill, or a
// replay of any of its records — is resolved, every failed row of it. `received` and the
// inspector both ask this module, so they say the same.
import type { RecordedRequest } from './record-types.js';
import { is2xx } from '../lib/http-status.js';

export interface Resolution {
  /** The record the app took. */
  id: string;
  status: number;
  /** How it got through: a replay, or a delivery from Anchor (its retry, or a backfill). */
  by: 'replay' | 'delivery';
}

/** What --failed finds, and what a later delivery may resolve: forwarded, and the app answered other than 2xx or was not reached. */
export const appFailed = (r: RecordedRequest): boolean =>
  r.forward !== undefined && (r.forward.error !== undefined || !is2xx(r.forward.status));

/**
 * The app took it. A duplicate never counts (anyone who saw a delivery can send it again); a
 * refused request counts only as a replay, which the user chose to send.
 */
export const tookIt = (r: RecordedRequest): boolean =>
  r.forward !== undefined &&
  r.forward.error === undefined &&
  is2xx(r.forward.status) &&
  !r.duplicate &&
  (r.verdict === 'ok' || r.replay_of !== undefined);

/** Arrival order; the sortable record id breaks a tie within one millisecond. */
const later = (a: RecordedRequest, b: RecordedRequest): boolean =>
  a.received_at > b.received_at || (a.received_at === b.received_at && a.id > b.id);

/**
 * Which delivery a record belongs to: the event id of the verified original at the top of its
 * replay chain. A refused request's ids are a stranger's claim, so it (and its replays) only
 * stand for themselves; so does a record without an event id.
 */
function deliveryKeys(all: readonly RecordedRequest[]): (r: RecordedRequest) => string {
  const byId = new Map(all.map((r) => [r.id, r]));
  return (r) => {
    const chain = [r];
    for (let up = r.replay_of && byId.get(r.replay_of); up; up = up.replay_of && byId.get(up.replay_of)) {
      const loop = chain.indexOf(up);
      // A cycle, which a hand-edited record could make: the same key from wherever it is entered.
      if (loop !== -1)
        return `cycle:${
          chain
            .slice(loop)
            .map((x) => x.id)
            .sort()[0]
        }`;
      chain.push(up);
    }
    const top = chain.at(-1)!;
    return top.verdict === 'ok' && !top.duplicate && top.event_id ? `evt:${top.event_id}` : `rec:${top.id}`;
  };
}

/**
 * For each of `failed` that a later record of the same delivery got through, the first such
 * record. `all` is every record the reader keeps (any order; bodies not needed).
 */
export function resolutions(
  failed: readonly RecordedRequest[],
  all: readonly RecordedRequest[],
): Map<string, Resolution> {
  const keyOf = deliveryKeys(all);
  const successes = new Map<string, RecordedRequest[]>();
  for (const r of all) {
    if (!tookIt(r)) continue;
    const key = keyOf(r);
    successes.set(key, [...(successes.get(key) ?? []), r]);
  }
  const out = new Map<string, Resolution>();
  for (const f of failed) {
    let first: RecordedRequest | undefined;
    for (const s of successes.get(keyOf(f)) ?? []) if (later(s, f) && (!first || later(first, s))) first = s;
    if (first)
      out.set(f.id, { id: first.id, status: first.forward!.status, by: first.replay_of ? 'replay' : 'delivery' });
  }
  return out;
}

/**
 * The resolutions of the failures among `listed` (what `received` and the inspector show): the
 * whole record (`readAll`) is read only when one of them failed.
 */
export function resolutionsOfListed(
  listed: readonly RecordedRequest[],
  readAll: () => readonly RecordedRequest[],
): Map<string, Resolution> {
  const failed = listed.filter(appFailed);
  return failed.length ? resolutions(failed, readAll()) : new Map<string, Resolution>();
}
