// What the inspector page says of a record and which records its filters keep: script text for the
// page, apart from it so that tests run this very code outside a browser. A row is coloured and
// worded by the outcome, not by whether listen verified it: verified and the app took it (2xx),
// verified and the app failed (another status, or unreachable), verified and not forwarded, or refused.

/**
 * Defines `outcomeOf(r)` ({ kind, badge, words }), `parseFilter(hash)`, `filterHash(f)`,
 * `statusFilterOk(s)` and `matchesFilter(r, f, bodyIds)` over a record as `received --json` lists it.
 */
export const OUTCOME_JS = String.raw`
const OUTCOMES = { 'app-ok': 'app ok', 'app-failed': 'app failed', refused: 'refused', 'not-forwarded': 'not forwarded' };
function outcomeOf(r) {
  if (r.verdict === 'refused')
    return { kind: 'refused', badge: 'refused ' + r.status, words: 'Refused — listen answered ' + r.status };
  const f = r.forward;
  if (f && f.status >= 200 && f.status < 300)
    return { kind: 'app-ok', badge: 'app ' + f.status, words: 'Verified — your app answered ' + f.status };
  if (f && f.status)
    return { kind: 'app-failed', badge: 'app ' + f.status, words: 'Verified — your app answered ' + f.status };
  if (f)
    return { kind: 'app-failed', badge: 'app unreachable', words: 'Verified — your app could not be reached' + (f.error ? ': ' + f.error : '') };
  if (!r.status)
    return { kind: 'pending', badge: 'forwarding…', words: 'Verified — waiting for your app’s answer' };
  return { kind: 'not-forwarded', badge: 'verified', words: 'Verified — not forwarded (listen answered ' + r.status + ')' };
}
/** "500", "5xx": an app status filter; anything else is not one. */
function statusFilterOk(s) { return /^[1-5]([0-9][0-9]|xx)$/i.test(s); }
function parseFilter(hash) {
  const p = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const f = { type: p.get('type') || '', outcome: p.get('outcome') || '', status: p.get('status') || '', q: p.get('q') || '' };
  if (!Object.prototype.hasOwnProperty.call(OUTCOMES, f.outcome)) f.outcome = '';
  return f;
}
function filterHash(f) {
  const p = new URLSearchParams();
  for (const k of ['type', 'outcome', 'status', 'q']) if (f[k]) p.set(k, f[k]);
  const s = p.toString();
  return s ? '#' + s : '';
}
/** Whether a listed record passes every filter given; bodyIds: the ids whose body holds f.q (null: not known yet). */
function matchesFilter(r, f, bodyIds) {
  if (f.type) {
    const t = r.event_type || '';
    if (f.type.endsWith('*') ? !t.startsWith(f.type.slice(0, -1)) : t !== f.type) return false;
  }
  if (f.outcome && outcomeOf(r).kind !== f.outcome) return false;
  if (f.status && statusFilterOk(f.status)) {
    const got = r.forward && r.forward.status ? String(r.forward.status) : '';
    const want = f.status.toLowerCase();
    if (!got || (want.endsWith('xx') ? got[0] !== want[0] : got !== want)) return false;
  }
  if (f.q) {
    const q = f.q.toLowerCase();
    const fields = [r.id, r.event_id, r.delivery_id, r.event_type, r.replay_of];
    if (!fields.some((v) => v && String(v).toLowerCase().includes(q)) && !(bodyIds && bodyIds.has(r.id))) return false;
  }
  return true;
}
`;
