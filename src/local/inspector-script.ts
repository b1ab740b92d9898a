// The inspector page's list: rows coloured by outcome, the filters (kept in the URL's hash, so a
// reload keeps them, and applied to rows that arrive live), the live stream that reconnects after a
// restart of the inspector and catches up on what it missed, and the keyboard. Script text, joined
// into the page's script (inspector-page.ts) after the detail's.

export const LIST_JS = String.raw`
const rows = new Map();
let selected = null;
let current = null;
const form = document.getElementById('filters');
const fields = { type: form.elements.type, outcome: form.elements.outcome, status: form.elements.status, q: form.elements.q };
let filter = parseFilter(location.hash);
/** Ids whose body holds the text searched for, from the inspector (the page has no bodies); null until known. */
let bodyIds = null;
let searchSeq = 0;

function row(r) {
  const o = outcomeOf(r);
  const type = el('span', { class: 'type', text: r.event_type || (r.verdict === 'refused' ? 'refused request' : '-') });
  if (r.verdict === 'refused' && (r.event_type || r.event_id || r.delivery_id)) type.append(el('span', { class: 'tag', text: 'claimed, unverified' }));
  if (r.replay_of) type.append(el('span', { class: 'tag replay', text: 'replay' }));
  // A failure a later delivery of its event got through, worded as received's table words it.
  if (r.resolved_by) type.append(el('span', { class: 'tag resolved', title: 'resolved by ' + r.resolved_by, text: resolvedWords(r) }));
  const b = el('button', { role: 'option', 'aria-selected': 'false', 'data-id': r.id, 'data-outcome': o.kind },
    el('span', { class: 'time', text: time(r.received_at) }), type,
    el('span', { class: 'badge ' + o.kind, text: o.badge }),
    el('span', { class: 'sub', text: r.id + (r.event_id ? '  ' + r.event_id : '') + (r.replay_of ? '  replay of ' + r.replay_of : '') }));
  b.addEventListener('click', () => select(r.id));
  const li = el('li', {}, b);
  li.hidden = !matchesFilter(r, filter, bodyIds);
  rows.set(r.id, li);
  data.set(r.id, r);
  return li;
}
function resolvedWords(r) {
  const by = data.get(r.resolved_by);
  return by && by.forward ? (by.replay_of ? 'replayed → ' : 'retried → ') + by.forward.status : 'resolved';
}
function add(r, atTop) {
  document.getElementById('none')?.remove();
  if (rows.has(r.id)) { rows.get(r.id).replaceWith(row(r)); if (selected === r.id) mark(r.id); return; }
  const li = row(r);
  if (atTop) list.prepend(li); else list.append(li);
  addType(r.event_type);
}
function addType(t) {
  const known = document.getElementById('types');
  if (t && ![...known.options].some((o) => o.value === t)) known.append(el('option', { value: t }));
}
function mark(id) {
  for (const [k, li] of rows) li.firstChild.setAttribute('aria-selected', String(k === id));
}
async function select(id) {
  selected = id; mark(id);
  rows.get(id)?.firstChild.focus();
  const res = await fetch(api('/api/records/' + encodeURIComponent(id)));
  if (!res.ok) { detail.textContent = 'Could not load ' + id; return; }
  current = await res.json();
  render(current);
}

function applyFilter() {
  let shown = 0;
  for (const [id, li] of rows) { li.hidden = !matchesFilter(data.get(id), filter, bodyIds); if (!li.hidden) shown++; }
  document.getElementById('shown').textContent = shown + ' of ' + rows.size + ' shown';
}
/** The body search, asked again whenever the text or the records change; an older answer is dropped. */
async function searchBodies() {
  const seq = ++searchSeq;
  if (!filter.q) { bodyIds = null; return applyFilter(); }
  try {
    const res = await fetch(api('/api/search?q=' + encodeURIComponent(filter.q)));
    const got = res.ok ? await res.json() : { ids: [] };
    if (seq === searchSeq) { bodyIds = new Set(got.ids); applyFilter(); }
  } catch { /* the stream's reconnection asks again */ }
}
function readForm() {
  filter = { type: fields.type.value.trim(), outcome: fields.outcome.value, status: fields.status.value.trim(), q: fields.q.value.trim() };
  fields.status.setAttribute('aria-invalid', String(Boolean(filter.status) && !statusFilterOk(filter.status)));
  history.replaceState(null, '', location.pathname + location.search + filterHash(filter));
  bodyIds = null;
  applyFilter();
  searchBodies();
}
function writeForm() { for (const k of Object.keys(fields)) fields[k].value = filter[k]; }
form.addEventListener('input', readForm);
form.addEventListener('submit', (e) => e.preventDefault());
document.getElementById('clear').addEventListener('click', () => { filter = parseFilter(''); writeForm(); readForm(); });
window.addEventListener('hashchange', () => { filter = parseFilter(location.hash); writeForm(); bodyIds = null; applyFilter(); searchBodies(); });

document.getElementById('theme').addEventListener('click', () => {
  const root = document.documentElement;
  const dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  root.dataset.theme = dark ? 'light' : 'dark';
  try { localStorage.setItem('anchor-theme', root.dataset.theme); } catch {}
});
try { const t = localStorage.getItem('anchor-theme'); if (t) document.documentElement.dataset.theme = t; } catch {}
document.addEventListener('keydown', (e) => {
  const t = e.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || e.metaKey || e.ctrlKey || e.altKey) return;
  // Only the rows the filters show.
  const ids = [...list.querySelectorAll('li:not([hidden]) button[data-id]')].map((b) => b.dataset.id);
  const at = ids.indexOf(selected);
  if (e.key === 'j' || e.key === 'ArrowDown') { e.preventDefault(); if (ids.length) select(ids[Math.min(ids.length - 1, at + 1)]); }
  else if (e.key === 'k' || e.key === 'ArrowUp') { e.preventDefault(); if (ids.length) select(ids[Math.max(0, at - 1)]); }
  // r replays the way the detail's first button does: as received for a refused request.
  else if (e.key === 'r' && current) replay(current.id, current.verdict === 'refused' ? 'as-received' : 'resigned');
  else if (e.key === 'c' && current) copy(curlCommand(current), 'curl command');
});

/** The records and what the page may offer, at the start and again after the stream comes back. */
async function load() {
  const [all, cfg] = await Promise.all([fetch(api('/api/records')).then((r) => r.json()), fetch(api('/api/config')).then((r) => r.json())]);
  config = cfg;
  for (const r of [...all].reverse()) if (!rows.has(r.id) || JSON.stringify(data.get(r.id)) !== JSON.stringify(r)) add(r, true);
  // A resolved failure is older than what resolved it, so it was drawn before that was known.
  for (const r of all) if (r.resolved_by) rows.get(r.id).replaceWith(row(r));
  if (selected) mark(selected);
  // Records missed while the stream was down came in out of order: newest first again.
  const order = [...rows.keys()].sort((a, b) => (data.get(b).received_at + b).localeCompare(data.get(a).received_at + a));
  for (const id of order) list.append(rows.get(id));
  if (!rows.size && !document.getElementById('none')) list.append(el('li', { class: 'empty', id: 'none', text: 'Nothing recorded yet.' }));
  applyFilter();
  searchBodies();
  if (current && !editing()) select(current.id);
}
/** A re-render would throw away what is typed in the editor. */
const editing = () => Boolean(document.getElementById('editor'));
const live = document.getElementById('live');
let events = null;
let dropped = false;
function connect() {
  events = new EventSource(api('/api/events'));
  events.onopen = () => {
    live.textContent = 'live';
    // Back after a restart: what arrived meanwhile is fetched, and the secret may have changed.
    if (dropped) { dropped = false; load(); }
  };
  events.onerror = () => {
    dropped = true;
    live.textContent = 'reconnecting…';
    // The browser retries by itself, unless the answer was not a stream (a 403: a new token).
    if (events.readyState === EventSource.CLOSED) setTimeout(check, 1000);
  };
  events.addEventListener('record', (e) => {
    const r = JSON.parse(e.data);
    add(r, true);
    applyFilter();
    if (filter.q) searchBodies();
    if (selected === r.id && !editing()) select(r.id);
  });
}
async function check() {
  try {
    const res = await fetch(api('/api/config'));
    if (res.status === 403) { live.textContent = 'this tab’s token was replaced (inspect --reset-token): open the URL the inspector printed'; return; }
  } catch { return setTimeout(check, 1000); }
  connect();
}
writeForm();
fields.status.setAttribute('aria-invalid', String(Boolean(filter.status) && !statusFilterOk(filter.status)));
load();
connect();
`;
