// The inspector's page: one HTML document, its style and script inline (with the response's CSP
// nonce), no framework. It lists the recorded requests as they arrive (server-sent events), shows
// one in full, replays it, and builds `curl` and `anchor webhooks verify` commands for it.

import { COMMAND_BUILDERS_JS } from './inspector-commands.js';

export function inspectorPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>anchor inspector</title>
<style nonce="${nonce}">
:root { color-scheme: light dark; --bg:#f7f7f8; --panel:#fff; --line:#e3e3e8; --text:#1c1c21; --dim:#6b6b76;
  --ok:#137a3c; --bad:#b42318; --accent:#3b5bdb; --code:#f1f1f4; --sel:#e8edff; }
@media (prefers-color-scheme: dark) { :root { --bg:#111114; --panel:#18181c; --line:#2a2a31; --text:#e7e7ea;
  --dim:#9a9aa6; --ok:#4ade80; --bad:#f87171; --accent:#8ea2ff; --code:#1f1f25; --sel:#232a47; } }
:root[data-theme="light"] { --bg:#f7f7f8; --panel:#fff; --line:#e3e3e8; --text:#1c1c21; --dim:#6b6b76;
  --ok:#137a3c; --bad:#b42318; --accent:#3b5bdb; --code:#f1f1f4; --sel:#e8edff; }
:root[data-theme="dark"] { --bg:#111114; --panel:#18181c; --line:#2a2a31; --text:#e7e7ea; --dim:#9a9aa6;
  --ok:#4ade80; --bad:#f87171; --accent:#8ea2ff; --code:#1f1f25; --sel:#232a47; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--text); }
header { display:flex; align-items:center; gap:12px; padding:10px 16px; border-bottom:1px solid var(--line); background:var(--panel); }
header h1 { font-size:15px; margin:0; font-weight:600; }
header .live { color:var(--dim); font-size:12px; }
header .spacer { flex:1; }
button { font:inherit; color:inherit; background:var(--panel); border:1px solid var(--line); border-radius:6px; padding:5px 10px; cursor:pointer; }
button:hover, button:focus-visible { border-color:var(--accent); outline:none; }
main { display:grid; grid-template-columns: minmax(320px, 38%) 1fr; height: calc(100vh - 49px); }
#list { overflow:auto; border-right:1px solid var(--line); margin:0; padding:0; list-style:none; }
#list li button { width:100%; text-align:left; border:0; border-bottom:1px solid var(--line); border-radius:0; padding:9px 14px; display:grid; grid-template-columns: 64px 1fr auto; gap:4px 10px; background:transparent; }
#list li button[aria-selected="true"] { background:var(--sel); }
.time { color:var(--dim); font-variant-numeric: tabular-nums; font-size:12px; }
.type { font-weight:600; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.badge { font-size:12px; font-weight:600; padding:1px 8px; border-radius:10px; }
.badge.ok { color:var(--ok); border:1px solid var(--ok); }
.badge.refused { color:var(--bad); border:1px solid var(--bad); }
.sub { grid-column: 2 / 4; color:var(--dim); font-size:12px; font-family: ui-monospace, Menlo, monospace; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
#detail { overflow:auto; padding:18px 22px; }
#detail h2 { margin:0 0 4px; font-size:18px; }
#detail h3 { margin:22px 0 8px; font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--dim); }
.verdict { padding:10px 12px; border-radius:8px; border:1px solid var(--line); background:var(--panel); }
.verdict.ok { border-color:var(--ok); } .verdict.refused { border-color:var(--bad); }
.verdict strong.ok { color:var(--ok); } .verdict strong.refused { color:var(--bad); }
table { border-collapse:collapse; width:100%; font-size:13px; }
td { border-bottom:1px solid var(--line); padding:4px 8px; vertical-align:top; word-break:break-all; }
td:first-child { color:var(--dim); white-space:nowrap; width:1%; }
pre, .json { background:var(--code); border-radius:8px; padding:10px 12px; overflow:auto; font: 12.5px/1.5 ui-monospace, Menlo, monospace; margin:0; }
.json details { margin-left:14px; } .json summary { cursor:pointer; margin-left:-14px; }
.json .k { color:var(--accent); } .json .s { color:var(--ok); } .json .n { color:#c2410c; }
.actions { display:flex; flex-wrap:wrap; gap:8px; margin-top:14px; }
.empty { color:var(--dim); padding:40px; text-align:center; }
#toast { position:fixed; bottom:16px; right:16px; background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:10px 14px; display:none; max-width:60ch; }
kbd { border:1px solid var(--line); border-bottom-width:2px; border-radius:4px; padding:0 4px; font-size:11px; }
</style>
</head>
<body>
<header>
  <h1>anchor inspector</h1><span class="live" id="live" aria-live="polite">connecting…</span>
  <span class="spacer"></span>
  <span class="live"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>r</kbd> replay · <kbd>c</kbd> copy curl</span>
  <button id="theme" title="Switch between light and dark">Theme</button>
</header>
<main>
  <ul id="list" role="listbox" aria-label="Recorded requests"></ul>
  <section id="detail" aria-live="polite"><p class="empty">No request selected. Deliveries appear here as <code>anchor webhooks listen</code> receives them.</p></section>
</main>
<div id="toast" role="status"></div>
<script nonce="${nonce}">
(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const api = (path) => path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
  const list = document.getElementById('list');
  const detail = document.getElementById('detail');
  const rows = new Map();
  let selected = null;
  let current = null;
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const kid of kids) if (kid != null) e.append(kid);
    return e;
  };
  const toast = (text) => {
    const t = document.getElementById('toast');
    t.textContent = text; t.style.display = 'block';
    clearTimeout(toast.timer); toast.timer = setTimeout(() => (t.style.display = 'none'), 4000);
  };
  const time = (iso) => new Date(iso).toLocaleTimeString([], { hour12: false });

  function row(r) {
    const b = el('button', { role: 'option', 'aria-selected': 'false', 'data-id': r.id },
      el('span', { class: 'time', text: time(r.received_at) }),
      el('span', { class: 'type', text: r.verdict === 'refused' ? 'refused request' + (r.event_type ? ' · claims ' + r.event_type + '?' : '') : (r.event_type || '-') }),
      el('span', { class: 'badge ' + r.verdict, text: r.verdict === 'ok' ? String(r.status || 'ok') : 'refused ' + r.status }),
      el('span', { class: 'sub', text: r.id + (r.event_id ? '  ' + r.event_id + (r.verdict === 'refused' ? '?' : '') : '') + (r.forward ? '  → app ' + r.forward.status : '') }));
    b.addEventListener('click', () => select(r.id));
    const li = el('li', {}, b);
    rows.set(r.id, li);
    return li;
  }
  function add(r, atTop) {
    if (rows.has(r.id)) { rows.get(r.id).replaceWith(row(r)); if (selected === r.id) mark(r.id); return; }
    const li = row(r);
    if (atTop) list.prepend(li); else list.append(li);
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
  function render(r) {
    detail.replaceChildren();
    // A refused request's event_type is only what it claimed (unverified): never the heading.
    detail.append(el('h2', { text: r.verdict === 'refused' ? 'Refused request' : (r.event_type || '-') }));
    detail.append(el('div', { class: 'time', text: r.received_at + ' · ' + r.method + ' ' + r.path + ' · ' + r.id + (r.backfilled ? ' · backfilled' : '') }));
    const v = el('div', { class: 'verdict ' + r.verdict },
      el('strong', { class: r.verdict, text: r.verdict === 'ok' ? 'Verified' : 'Refused' }),
      ' — listen answered ' + (r.status || 'pending') + '. ',
      r.reason ? el('div', { text: 'Why: ' + r.reason }) : null,
      r.diagnosis ? el('div', { class: 'diagnosis', text: 'Likely cause: ' + r.diagnosis }) : null);
    detail.append(v);
    if (r.checks && r.checks.length) {
      const t = el('table');
      for (const c of r.checks) t.append(el('tr', {}, el('td', { text: (c.ok ? '✓ ' : '✗ ') + c.name }), el('td', { text: c.detail })));
      detail.append(el('h3', { text: 'Checks' }), t);
    }
    const actions = el('div', { class: 'actions' });
    const btn = (text, fn, id) => { const b = el('button', { id }, text); b.addEventListener('click', fn); actions.append(b); };
    // A refused request is a stranger's until proven otherwise: it is never signed with the secret here.
    if (r.verdict !== 'refused') btn('Replay (re-signed)', () => replay(r.id, 'resigned'), 'replay-resigned');
    btn('Replay as received', () => replay(r.id, 'as-received'), 'replay-as-received');
    btn('Copy as curl', () => copy(curlCommand(r), 'curl command'), 'copy-curl');
    btn('Copy as anchor verify', () => copy(verifyCommand(r), 'verify command'), 'copy-verify');
    detail.append(actions);
    if (r.verdict === 'refused')
      detail.append(el('p', { class: 'time', id: 'refused-replay-note', text: 'Refused, so it is replayed only as received: re-signing would put your signature on a stranger’s body. If you know where it came from: anchor webhooks replay ' + r.id + ' --resign-refused' }));
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
      detail.append(el('div', { class: 'time', text: r.forward.url + ' · ' + (r.forward.error ? 'failed: ' + r.forward.error : r.forward.status + ' in ' + r.forward.latency_ms + ' ms') }));
      if (r.forward.response_body) detail.append(el('pre', { text: r.forward.response_body }));
    }
    // A live update re-renders the record: the answer of its last replay stays.
    detail.append(el('h3', { text: 'Last replay' }), el('pre', { id: 'replay-result', text: replayed.get(r.id) ?? 'Not replayed yet.' }));
  }
  ${COMMAND_BUILDERS_JS}
  async function copy(text, what) {
    window.lastCopied = text;
    try { await navigator.clipboard.writeText(text); toast('Copied the ' + what + '.'); }
    catch { toast('Copy it from here: ' + text); }
  }
  /** The answer of each record's last replay, by record id. */
  const replayed = new Map();
  async function replay(id, mode) {
    const out = document.getElementById('replay-result');
    if (out) out.textContent = 'Sending…';
    const res = await fetch(api('/api/replay/' + encodeURIComponent(id) + '?mode=' + mode), { method: 'POST' });
    const body = await res.json();
    const text = res.ok ? body.status + ' in ' + body.latency_ms + ' ms from ' + body.url + (body.resigned ? ' (re-signed)' : ' (as received)') + (body.response_body ? '\\n' + body.response_body : '') : 'Error: ' + body.error;
    replayed.set(id, text);
    const shown = document.getElementById('replay-result');
    if (shown && current && current.id === id) shown.textContent = text;
    toast(res.ok ? 'Replayed: your app answered ' + body.status + '.' : text);
  }
  document.getElementById('theme').addEventListener('click', () => {
    const root = document.documentElement;
    const dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'light' : 'dark';
    try { localStorage.setItem('anchor-theme', root.dataset.theme); } catch {}
  });
  try { const t = localStorage.getItem('anchor-theme'); if (t) document.documentElement.dataset.theme = t; } catch {}
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.metaKey || e.ctrlKey || e.altKey) return;
    const ids = [...list.querySelectorAll('button[data-id]')].map((b) => b.dataset.id);
    const at = ids.indexOf(selected);
    if (e.key === 'j' || e.key === 'ArrowDown') { e.preventDefault(); if (ids.length) select(ids[Math.min(ids.length - 1, at + 1)]); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { e.preventDefault(); if (ids.length) select(ids[Math.max(0, at - 1)]); }
    // r replays the way the detail's first button does: as received for a refused request.
    else if (e.key === 'r' && current) replay(current.id, current.verdict === 'refused' ? 'as-received' : 'resigned');
    else if (e.key === 'c' && current) copy(curlCommand(current), 'curl command');
  });
  fetch(api('/api/records')).then((r) => r.json()).then((all) => {
    for (const r of all) add(r, false);
    if (!all.length) list.append(el('li', { class: 'empty', id: 'none', text: 'Nothing recorded yet.' }));
  });
  const live = document.getElementById('live');
  const events = new EventSource(api('/api/events'));
  events.onopen = () => (live.textContent = 'live');
  events.onerror = () => (live.textContent = 'reconnecting…');
  events.addEventListener('record', (e) => {
    document.getElementById('none')?.remove();
    const r = JSON.parse(e.data);
    add(r, true);
    if (selected === r.id) select(r.id);
  });
})();
</script>
</body>
</html>
`;
}
