// The inspector's page: one HTML document, its style and script inline (with the response's CSP
// nonce), no framework. It lists the recorded requests as they arrive (server-sent events), coloured
// by outcome and filtered, shows one in full, replays it (edited, if the user wants), and builds
// `curl` and `anchor webhooks verify` commands for it. The script is made of parts by job.

import { COMMAND_BUILDERS_JS } from './inspector-commands.js';
import { DETAIL_JS } from './inspector-detail.js';
import { OUTCOME_JS } from './inspector-outcome.js';
import { LIST_JS } from './inspector-script.js';
import { INSPECTOR_CSS } from './inspector-style.js';

/** What every part of the script shares: the token, the elements, the records and the settings. */
const SHARED_JS = String.raw`
const token = new URLSearchParams(location.search).get('token') || '';
const api = (path) => path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token);
const list = document.getElementById('list');
const detail = document.getElementById('detail');
/** Each record as listed, by id. */
const data = new Map();
/** What the inspector can do (re-signing needs a secret); asked at the start and after a reconnection. */
let config = { can_resign: false, resign_reason: 'asking the inspector…' };
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
`;

export function inspectorPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>anchor inspector</title>
<style nonce="${nonce}">${INSPECTOR_CSS}</style>
</head>
<body>
<header>
  <h1>anchor inspector</h1><span class="live" id="live" aria-live="polite">connecting…</span>
  <span class="spacer"></span>
  <span class="live"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>r</kbd> replay · <kbd>c</kbd> copy curl</span>
  <button id="theme" title="Switch between light and dark">Theme</button>
</header>
<main>
  <div id="side">
    <form id="filters" aria-label="Filters">
      <label>Event type<input name="type" list="types" placeholder="task.* or task.completed" autocomplete="off"></label>
      <label>Outcome<select name="outcome">
        <option value="">any</option><option value="app-ok">app ok (2xx)</option><option value="app-failed">app failed</option>
        <option value="refused">refused</option><option value="not-forwarded">not forwarded</option>
      </select></label>
      <label>App status<input name="status" placeholder="500 or 5xx" autocomplete="off"></label>
      <label>Text<input name="q" type="search" placeholder="ids, type, body" autocomplete="off"></label>
      <div class="count"><span id="shown"></span><button type="button" class="link" id="clear">clear filters</button></div>
      <datalist id="types"></datalist>
    </form>
    <ul id="list" role="listbox" aria-label="Recorded requests"></ul>
  </div>
  <section id="detail" aria-live="polite"><p class="empty">No request selected. Deliveries appear here as <code>anchor webhooks listen</code> receives them.</p></section>
</main>
<div id="toast" role="status"></div>
<script nonce="${nonce}">
(() => {
${SHARED_JS}
${OUTCOME_JS}
${COMMAND_BUILDERS_JS}
${DETAIL_JS}
${LIST_JS}
})();
</script>
</body>
</html>
`;
}
