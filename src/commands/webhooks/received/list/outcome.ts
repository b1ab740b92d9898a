// What `received` says of a record in a terminal: its outcome, worded and coloured by the rules of
// the inspector (src/local/inspector-outcome.ts, whose test holds the two to the same answers), so
// that a delivery the app answered 500 is never a green "ok": verified and the app took it,
// verified and the app failed or was unreachable, verified and not forwarded, or refused.
import type { RecordedRequest } from '../../../../local/record.js';

export type OutcomeKind = 'app-ok' | 'app-failed' | 'refused' | 'not-forwarded' | 'pending';

/** The words of each outcome, the inspector's own. */
export const OUTCOME_WORDS: Record<OutcomeKind, string> = {
  'app-ok': 'app ok',
  'app-failed': 'app failed',
  refused: 'refused',
  'not-forwarded': 'not forwarded',
  pending: 'forwarding…',
};

/** A record's outcome; only `forward.status` and `verdict` and `status` decide it. */
export function outcomeOf(r: Pick<RecordedRequest, 'verdict' | 'status' | 'forward'>): OutcomeKind {
  if (r.verdict === 'refused') return 'refused';
  const f = r.forward;
  if (f) return f.status >= 200 && f.status < 300 ? 'app-ok' : 'app-failed';
  return r.status ? 'not-forwarded' : 'pending';
}
