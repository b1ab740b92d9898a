// The inspector page's detail of one record: its outcome in words and colour, what a refused
// request claimed (unverified), its link to an original it replays, the body, the app's answer, and
// the replay buttons, the editor of "Edit and replay" included. Script text, joined into the page's
// script (inspector-page.ts), where `el`, `api`, `toast`, `detail`, `data`, `config` and `select` are.

export const DETAIL_JS = String.raw`
/** The answer of each record's last replay, by record id. */
const replayed = new Map();
function jsonTree(value, key) {
  const label = key === undefined ? '' : key;
  if (value && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const d = el('details', { open: '' }, el('summary', {}, el('span', { class: 'k', text: label === '' ? '' : JSON.stringify(label) + ': ' }), Array.isArray(value) ? '[' + entries.length + ']' : '{' + entries.length + '}'));
    for (const [k, v] of entries) d.append(jsonTree(v, Array.isArray(value) ? undefined : k));
    return d;
  }
  const cls = typeof value === 'string' ? 's' : 'n';
  return el('div', {}, label === '' ? '' : el('span', { class: 'k', text: JSON.stringify(label) + ': ' }), el('span', { class: cls, text: JSON.stringify(value) }));
}
function table(pairs, attrs) {
  const t = el('table', attrs);
  for (const [k, v] of pairs) t.append(el('tr', {}, el('td', { text: k }), el('td', { text: v })));
  return t;
}
function render(r) {
  detail.replaceChildren();
  const o = outcomeOf(r);
  detail.append(el('h2', { text: r.verdict === 'refused' ? 'Refused request' : r.event_type || 'Verified request' }));
  detail.append(el('div', { class: 'time', text: r.received_at + ' · ' + r.method + ' ' + r.path + ' · ' + r.id + (r.backfilled ? ' · backfilled' : '') }));
  const dash = o.words.indexOf(' — ');
  detail.append(el('div', { class: 'verdict ' + o.kind, id: 'outcome', 'data-outcome': o.kind },
    el('strong', { class: o.kind, text: o.words.slice(0, dash) }), o.words.slice(dash) + '.',
    r.reason ? el('div', { text: 'Why: ' + r.reason }) : null,
    r.diagnosis ? el('div', { class: 'diagnosis', text: 'Likely cause: ' + r.diagnosis }) : null));
  if (r.replay_of) {
    const link = el('button', { class: 'link', id: 'replay-of' }, r.replay_of);
    link.addEventListener('click', () => select(r.replay_of));
    detail.append(el('p', { class: 'note' }, 'A replay of ', link, '.'));
  }
  const resolvedBy = data.get(r.id)?.resolved_by;
  if (resolvedBy) {
    const link = el('button', { class: 'link', id: 'resolved-by' }, resolvedBy);
    link.addEventListener('click', () => select(resolvedBy));
    detail.append(el('p', { class: 'note' }, 'Resolved: a later delivery of this event got through, ', link, '.'));
  }
  const replays = [...data.values()].filter((x) => x.replay_of === r.id);
  if (replays.length) {
    const p = el('p', { class: 'note', id: 'replays' }, 'Replayed as ');
    replays.forEach((x, i) => { const b = el('button', { class: 'link' }, x.id); b.addEventListener('click', () => select(x.id)); p.append(i ? ', ' : '', b); });
    detail.append(p);
  }
  // What a refused request says of itself is a stranger's word: shown, marked, never trusted.
  const claims = [['type', r.event_type], ['event id', r.event_id], ['delivery id', r.delivery_id]].filter(([, v]) => v);
  if (r.verdict === 'refused' && claims.length)
    detail.append(el('h3', { text: 'Claimed, unverified' }), table(claims, { class: 'claimed', id: 'claimed' }));
  if (r.checks && r.checks.length) {
    detail.append(el('h3', { text: 'Checks' }), table(r.checks.map((c) => [(c.ok ? '✓ ' : '✗ ') + c.name, c.detail])));
  }
  detail.append(actions(r));
  const h = el('table');
  for (const [k, val] of Object.entries(r.headers)) h.append(el('tr', {}, el('td', { text: k }), el('td', { text: Array.isArray(val) ? val.join(', ') : val })));
  detail.append(el('h3', { text: 'Headers' }), h);
  detail.append(el('h3', { text: 'Body' + (r.body_truncated ? ' (first 64 KiB)' : '') }));
  if (r.body !== undefined) {
    let parsed;
    try { parsed = JSON.parse(r.body); } catch { parsed = undefined; }
    detail.append(parsed !== undefined && typeof parsed === 'object' ? el('div', { class: 'json' }, jsonTree(parsed)) : el('pre', { text: r.body || '(empty)' }));
  } else detail.append(el('pre', { text: '(not UTF-8: ' + r.body_base64.length + ' base64 characters)' }));
  if (r.forward) {
    detail.append(el('h3', { text: 'Your app’s answer' }));
    // The route by type that chose the app (listen --forward-to 'task.*=…'), when one did.
    detail.append(el('div', { class: 'time', id: 'forward-target', text: (r.forward.route ? 'route ' + r.forward.route + ' → ' : '') + r.forward.url + ' · ' + (r.forward.error ? 'failed: ' + r.forward.error : r.forward.status + ' in ' + r.forward.latency_ms + ' ms') }));
    if (r.forward.response_body) detail.append(el('pre', { text: r.forward.response_body }));
  }
  // A live update re-renders the record: the answer of its last replay stays.
  detail.append(el('h3', { text: 'Last replay' }), el('pre', { id: 'replay-result', text: replayed.get(r.id) ?? 'Not replayed yet.' }));
}
function actions(r) {
  const box = el('div');
  const row = el('div', { class: 'actions' });
  const btn = (text, fn, id, disabled) => {
    const b = el('button', { id }, text);
    if (disabled) { b.disabled = true; b.setAttribute('aria-describedby', 'resign-unavailable'); }
    b.addEventListener('click', fn); row.append(b); return b;
  };
  // A refused request is a stranger's until proven otherwise: it is never signed with the secret here.
  if (r.verdict !== 'refused') {
    const off = !config.can_resign;
    btn('Replay (re-signed)', () => replay(r.id, 'resigned'), 'replay-resigned', off);
    btn('Edit and replay', () => openEditor(r, box), 'edit-replay', off || r.body === undefined);
  }
  btn('Replay as received', () => replay(r.id, 'as-received'), 'replay-as-received');
  btn('Copy as curl', () => copy(curlCommand(r), 'curl command'), 'copy-curl');
  btn('Copy as anchor verify', () => copy(verifyCommand(r), 'verify command'), 'copy-verify');
  box.append(row);
  if (r.verdict === 'refused')
    box.append(el('p', { class: 'note', id: 'refused-replay-note', text: 'Refused, so it is replayed only as received: re-signing would put your signature on a stranger’s body. If you know where it came from: anchor webhooks replay ' + r.id + ' --resign-refused' }));
  else if (!config.can_resign)
    box.append(el('p', { class: 'note warn', id: 'resign-unavailable', text: 'Re-signed replays are off: ' + config.resign_reason + '.' }));
  return box;
}
/**
 * The body in a text area, re-signed and sent as edited. Like ngrok's "Replay with modifications",
 * any bytes may go (a receiver's handling of a broken body is worth testing), but a body that is not
 * JSON is said so, and sent only once "Send it anyway" is ticked.
 */
function openEditor(r, box) {
  if (document.getElementById('editor')) return document.getElementById('edit-body').focus();
  const area = el('textarea', { id: 'edit-body', spellcheck: 'false', 'aria-label': 'Body to send' });
  area.value = r.body;
  const state = el('span', { id: 'edit-state', class: 'note' });
  const anyway = el('input', { type: 'checkbox', id: 'edit-anyway' });
  const anywayLabel = el('label', { hidden: '' }, anyway, ' Send it anyway');
  const send = el('button', { id: 'send-edited' }, 'Send edited (re-signed)');
  const check = () => {
    let problem = '';
    try { JSON.parse(area.value); } catch (e) { problem = e.message; }
    state.textContent = problem ? 'Not valid JSON: ' + problem : 'Valid JSON.';
    state.className = problem ? 'note warn' : 'note';
    anywayLabel.hidden = !problem;
    send.disabled = Boolean(problem) && !anyway.checked;
  };
  area.addEventListener('input', check);
  anyway.addEventListener('change', check);
  send.addEventListener('click', () => replay(r.id, 'edited', area.value));
  box.append(el('div', { id: 'editor' }, el('h3', { text: 'Edit the body, then replay it re-signed' }), area, el('div', { class: 'row' }, send, anywayLabel, state)));
  check();
  area.focus();
}
async function copy(text, what) {
  window.lastCopied = text;
  try { await navigator.clipboard.writeText(text); toast('Copied the ' + what + '.'); }
  catch { toast('Copy it from here: ' + text); }
}
async function replay(id, mode, body) {
  if (mode !== 'as-received' && !config.can_resign) return toast('Not sent: ' + config.resign_reason + '.');
  const out = document.getElementById('replay-result');
  if (out) out.textContent = 'Sending…';
  let text, ok = false, status;
  try {
    const res = await fetch(api('/api/replay/' + encodeURIComponent(id) + '?mode=' + mode), body === undefined ? { method: 'POST' } : { method: 'POST', body });
    const got = await res.json();
    ok = res.ok; status = got.status;
    text = res.ok ? got.status + ' in ' + got.latency_ms + ' ms from ' + got.url + (got.edited ? ' (re-signed, edited)' : got.resigned ? ' (re-signed)' : ' (as received)') + (got.response_body ? '\n' + got.response_body : '') : 'Error: ' + got.error;
  } catch (e) {
    text = 'Error: the inspector did not answer (' + e.message + ')';
  }
  replayed.set(id, text);
  const shown = document.getElementById('replay-result');
  if (shown && current && current.id === id) shown.textContent = text;
  toast(ok ? 'Replayed: your app answered ' + status + '.' : text);
}
`;
