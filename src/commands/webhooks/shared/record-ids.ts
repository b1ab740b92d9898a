// The records a command names by id: a record id (rec_…), or an event id (evt_…) or delivery id,
// which means the newest verified original record of it (src/local/record-select.ts). Shared by
// `received show` and `replay`.
import type { Context } from '../../../context.js';
import { NotFoundError } from '../../../errors.js';
import { readRecords, type RecordedRequest } from '../../../local/record.js';
import { claimantsOf, pickRecord } from '../../../local/record-select.js';
import { escapeControl } from '../../../ui/format.js';
import { readerNotices } from './record-view.js';

/** Every retained record, newest first, without bodies (to resolve ids against). */
export const allRecords = (ctx: Context): RecordedRequest[] =>
  readRecords(ctx.env, { ...readerNotices(ctx), nowMs: ctx.now().getTime() });

/**
 * The records `ids` name, in the order given, with their bodies; an id that names none is a
 * not-found error, saying when only refused requests or copies claim it.
 */
export function recordsNamed(
  ctx: Context,
  ids: readonly string[],
): { named: RecordedRequest[]; all: RecordedRequest[] } {
  const all = allRecords(ctx);
  const picked = ids.map((id) => ({ id, r: pickRecord(all, id) }));
  const missing = picked.filter((p) => !p.r);
  if (missing.length) {
    const first = missing[0]!.id;
    const claimants = claimantsOf(all, first);
    throw new NotFoundError(`no recorded request ${missing.map((m) => escapeControl(m.id)).join(', ')}`, {
      hint: claimants.length
        ? `Only requests that claim ${escapeControl(first)} are recorded (refused ones, replays or duplicates), and an event or delivery id names only a verified original. Name one by its record id: ${claimants
            .slice(0, 3)
            .map((r) => r.id)
            .join(', ')}.`
        : 'List the recorded requests with `anchor webhooks received`: a record id (rec_…), an event id (evt_…) or a delivery id names one.',
    });
  }
  const want = new Set(picked.map((p) => p.r!.id));
  // Read again with the chosen bodies only: a listing of every record does not hold them all.
  const withBodies = readRecords(ctx.env, { nowMs: ctx.now().getTime(), withBodies: (id) => want.has(id) });
  const named = picked.map((p) => {
    const r = withBodies.find((w) => w.id === p.r!.id);
    if (!r) throw new NotFoundError(`${p.r!.id} was removed from the record while it was read (retention, or a clear)`);
    return r;
  });
  return { named, all };
}
