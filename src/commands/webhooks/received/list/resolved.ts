// Which failures a later replay resolved: a replay linked to the failed record (`replay_of`, or a
// replay of such a replay) that the app answered 2xx. `received --failed` keeps listing them
// (the failure happened), marked, so that what is left to fix stands out.
import type { RecordedRequest } from '../../../../local/record.js';
import { is2xx } from '../../../../lib/http-status.js';

export interface Resolution {
  /** The replay record the app took. */
  id: string;
  status: number;
}

/**
 * The first replay the app took, for each of `failed` that has one. `replays` are every replay
 * record, newest first (as the reader returns them); a chain of replays counts as one line of
 * descent from the original.
 */
export function resolutions(
  failed: readonly RecordedRequest[],
  replays: readonly RecordedRequest[],
): Map<string, Resolution> {
  const children = new Map<string, RecordedRequest[]>();
  for (const r of replays) {
    if (!r.replay_of) continue;
    const list = children.get(r.replay_of) ?? [];
    list.push(r);
    children.set(r.replay_of, list);
  }
  const out = new Map<string, Resolution>();
  for (const original of failed) {
    let first: RecordedRequest | undefined;
    // Breadth over the descendants; `seen` stops a cycle that a hand-edited record could make.
    const seen = new Set<string>([original.id]);
    const queue = [original.id];
    while (queue.length) {
      for (const r of children.get(queue.shift()!) ?? []) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        queue.push(r.id);
        if (r.forward && is2xx(r.forward.status) && (!first || r.received_at < first.received_at)) first = r;
      }
    }
    if (first) out.set(original.id, { id: first.id, status: first.forward!.status });
  }
  return out;
}

/** What --failed finds, and what a replay may resolve: forwarded, and the app answered other than 2xx or was not reached. */
export const appFailed = (r: RecordedRequest): boolean =>
  r.forward !== undefined && (r.forward.error !== undefined || !is2xx(r.forward.status));
