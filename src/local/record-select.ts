// Which record an id names. A record id (rec_…) names itself; an event id (evt_…, the envelope's
// `id`) or a delivery id (the Anchor-Delivery-Id header) names the newest *verified original* of
// it: a refused request only claims its ids (anyone can write them), and a replay or a duplicate
// is a copy, so none of them is ever what such an id means.
import type { RecordedRequest } from './record-types.js';

/** A delivery `listen` verified and took first: neither a replay, nor a duplicate, nor refused. */
export const isVerifiedOriginal = (r: RecordedRequest): boolean => r.verdict === 'ok' && !r.replay_of && !r.duplicate;

/**
 * A `replay --new-id` of a verified delivery, named by the envelope id anchor minted for it: no
 * original has that id, so the replay is the only record it can mean (a refused request that
 * claims it is still only a claim).
 */
function newIdReplay(records: readonly RecordedRequest[], id: string): RecordedRequest | undefined {
  return records.find((r) => {
    if (r.verdict !== 'ok' || r.replay_of === undefined || r.event_id !== id) return false;
    // Its original, kept, had another id: this one was minted for the replay.
    const original = records.find((o) => o.id === r.replay_of);
    return original !== undefined && original.event_id !== undefined && original.event_id !== id;
  });
}

/** The record `id` names among `records` (newest first), or undefined. */
export function pickRecord(records: readonly RecordedRequest[], id: string): RecordedRequest | undefined {
  return (
    records.find((r) => r.id === id) ??
    records.find((r) => isVerifiedOriginal(r) && (r.event_id === id || r.delivery_id === id)) ??
    newIdReplay(records, id)
  );
}

/** Records that only claim `id` (refused, replays, duplicates): named by their record ids in a hint. */
export function claimantsOf(records: readonly RecordedRequest[], id: string): RecordedRequest[] {
  return records.filter((r) => !isVerifiedOriginal(r) && (r.event_id === id || r.delivery_id === id));
}

/** The replays of a record, newest first. */
export const replaysOf = (records: readonly RecordedRequest[], id: string): RecordedRequest[] =>
  records.filter((r) => r.replay_of === id);
