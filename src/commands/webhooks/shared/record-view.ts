// The delivery record as the commands show it: a request listed (`received --json`, the
// inspector's list) and shown in full (`received show --json`, the inspector's detail), and the
// warning for a damaged record line.
import type { Context } from '../../../context.js';
import type { Check, ForwardResult, RecordedRequest } from '../../../local/record.js';

/** Skipped lines of a damaged record, said once each with their place. */
export function corruptionReporter(ctx: Context): (where: string) => void {
  let said = 0;
  return (where) => {
    if (said++ < 5)
      ctx.err(`Warning: skipped an unreadable record line at ${where} (a torn write, or a damaged file).\n`);
  };
}

/** The reader's notices, on stderr: damaged lines, and lines a newer anchor wrote (said once). */
export function readerNotices(ctx: Context): { onCorrupt: (where: string) => void; onNewer: (count: number) => void } {
  return {
    onCorrupt: corruptionReporter(ctx),
    onNewer: (count) =>
      ctx.err(
        `Note: ${count} record${count === 1 ? ' was' : 's were'} written by a newer anchor and skipped (the npm package and a single executable of another version may share this state folder); update anchor to read ${count === 1 ? 'it' : 'them'}.\n`,
      ),
  };
}

/** A refused request's event fields are what it claimed: shown with this mark, never as fact. */
export const CLAIMED = '?';

/** A record as `received --json` lists it. */
export function listed(r: RecordedRequest) {
  return {
    id: r.id,
    received_at: r.received_at,
    event_type: r.event_type ?? null,
    event_id: r.event_id ?? null,
    delivery_id: r.delivery_id ?? null,
    verdict: r.verdict,
    status: r.status,
    ...(r.backfilled ? { backfilled: true } : {}),
    ...(r.replay_of ? { replay_of: r.replay_of } : {}),
    ...(r.forward
      ? {
          forward: {
            url: r.forward.url,
            ...(r.forward.route !== undefined ? { route: r.forward.route } : {}),
            status: r.forward.status,
            latency_ms: r.forward.latency_ms,
          },
        }
      : {}),
  };
}

export type ListedRequest = ReturnType<typeof listed>;

/** The body as text when it is UTF-8, else base64. */
export function bodyOf(r: RecordedRequest): { body: string } | { body_base64: string } {
  const bytes = Buffer.from(r.body_b64, 'base64');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { body: text } : { body_base64: r.body_b64 };
}

/** A record as `received show --json` shows it: all of it, the app's answer included. */
export type ShownRequest = Omit<ListedRequest, 'forward'> & {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body_truncated?: boolean;
  checks: Check[];
  reason?: string;
  diagnosis?: string;
  forward?: ForwardResult;
  /** An original's replays, newest first. */
  replays?: Array<{ id: string; received_at: string; status: number }>;
} & ({ body: string } | { body_base64: string });

export function shown(r: RecordedRequest, replays: readonly RecordedRequest[] = []): ShownRequest {
  // The app's answer in full, where the list has its summary (the same place in the object).
  const { forward: _summary, ...head } = listed(r);
  return {
    ...head,
    ...(r.forward ? { forward: r.forward } : {}),
    method: r.method,
    path: r.path,
    headers: r.headers,
    ...bodyOf(r),
    ...(r.body_truncated ? { body_truncated: true } : {}),
    checks: r.checks ?? [],
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.diagnosis ? { diagnosis: r.diagnosis } : {}),
    ...(r.replay_of
      ? {}
      : { replays: replays.map((x) => ({ id: x.id, received_at: x.received_at, status: x.status })) }),
  };
}
