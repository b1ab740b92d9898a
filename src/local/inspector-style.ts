// The inspector page's style: light and dark themes, and a colour per outcome (the app took it,
// the app failed, refused, not forwarded), so that a failure is never painted green.

export const INSPECTOR_CSS = String.raw`
:root { color-scheme: light dark; --bg:#f7f7f8; --panel:#fff; --line:#e3e3e8; --text:#1c1c21; --dim:#6b6b76;
  --ok:#137a3c; --bad:#b42318; --refused:#9a4a00; --accent:#3b5bdb; --code:#f1f1f4; --sel:#e8edff; }
@media (prefers-color-scheme: dark) { :root { --bg:#111114; --panel:#18181c; --line:#2a2a31; --text:#e7e7ea;
  --dim:#9a9aa6; --ok:#4ade80; --bad:#f87171; --refused:#fbbf24; --accent:#8ea2ff; --code:#1f1f25; --sel:#232a47; } }
:root[data-theme="light"] { --bg:#f7f7f8; --panel:#fff; --line:#e3e3e8; --text:#1c1c21; --dim:#6b6b76;
  --ok:#137a3c; --bad:#b42318; --refused:#9a4a00; --accent:#3b5bdb; --code:#f1f1f4; --sel:#e8edff; }
:root[data-theme="dark"] { --bg:#111114; --panel:#18181c; --line:#2a2a31; --text:#e7e7ea; --dim:#9a9aa6;
  --ok:#4ade80; --bad:#f87171; --refused:#fbbf24; --accent:#8ea2ff; --code:#1f1f25; --sel:#232a47; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--text); }
header { display:flex; align-items:center; gap:12px; padding:10px 16px; border-bottom:1px solid var(--line); background:var(--panel); }
header h1 { font-size:15px; margin:0; font-weight:600; }
header .live { color:var(--dim); font-size:12px; }
header .spacer { flex:1; }
button { font:inherit; color:inherit; background:var(--panel); border:1px solid var(--line); border-radius:6px; padding:5px 10px; cursor:pointer; }
button:hover:not(:disabled), button:focus-visible { border-color:var(--accent); outline:none; }
button:disabled { cursor:not-allowed; opacity:.55; }
input, select, textarea { font:inherit; color:inherit; background:var(--panel); border:1px solid var(--line); border-radius:6px; padding:4px 6px; }
input[aria-invalid="true"] { border-color:var(--bad); }
main { display:grid; grid-template-columns: minmax(340px, 38%) 1fr; height: calc(100vh - 49px); }
#side { display:flex; flex-direction:column; min-height:0; border-right:1px solid var(--line); }
#filters { display:grid; grid-template-columns: 1fr 1fr; gap:6px; padding:8px 10px; border-bottom:1px solid var(--line); background:var(--panel); }
#filters label { display:flex; flex-direction:column; font-size:11px; color:var(--dim); gap:2px; }
#filters .wide { grid-column: 1 / 3; }
#filters .count { grid-column: 1 / 3; font-size:12px; color:var(--dim); display:flex; justify-content:space-between; }
#list { overflow:auto; margin:0; padding:0; list-style:none; flex:1; }
#list li button { width:100%; text-align:left; border:0; border-bottom:1px solid var(--line); border-left:4px solid transparent; border-radius:0; padding:9px 14px 9px 10px; display:grid; grid-template-columns: 64px 1fr auto; gap:4px 10px; background:transparent; }
#list li button[aria-selected="true"] { background:var(--sel); }
#list li button[data-outcome="app-ok"] { border-left-color:var(--ok); }
#list li button[data-outcome="app-failed"] { border-left-color:var(--bad); }
#list li button[data-outcome="refused"] { border-left-color:var(--refused); }
#list li button[data-outcome="not-forwarded"], #list li button[data-outcome="pending"] { border-left-color:var(--line); }
.time { color:var(--dim); font-variant-numeric: tabular-nums; font-size:12px; }
.type { font-weight:600; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.tag { font-size:11px; font-weight:500; color:var(--refused); margin-left:6px; }
.tag.replay { color:var(--accent); }
.tag.resolved { color:var(--ok); }
.badge { font-size:12px; font-weight:600; padding:1px 8px; border-radius:10px; border:1px solid var(--dim); color:var(--dim); }
.badge.app-ok { color:var(--ok); border-color:var(--ok); }
.badge.app-failed { color:var(--bad); border-color:var(--bad); }
.badge.refused { color:var(--refused); border-color:var(--refused); }
.sub { grid-column: 2 / 4; color:var(--dim); font-size:12px; font-family: ui-monospace, Menlo, monospace; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
#detail { overflow:auto; padding:18px 22px; }
#detail h2 { margin:0 0 4px; font-size:18px; }
#detail h3 { margin:22px 0 8px; font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--dim); }
.verdict { padding:10px 12px; border-radius:8px; border:1px solid var(--line); background:var(--panel); }
.verdict.app-ok { border-color:var(--ok); } .verdict.app-failed { border-color:var(--bad); } .verdict.refused { border-color:var(--refused); }
.verdict strong.app-ok { color:var(--ok); } .verdict strong.app-failed { color:var(--bad); } .verdict strong.refused { color:var(--refused); }
table { border-collapse:collapse; width:100%; font-size:13px; }
td { border-bottom:1px solid var(--line); padding:4px 8px; vertical-align:top; word-break:break-all; }
td:first-child { color:var(--dim); white-space:nowrap; width:1%; }
pre, .json { background:var(--code); border-radius:8px; padding:10px 12px; overflow:auto; font: 12.5px/1.5 ui-monospace, Menlo, monospace; margin:0; }
.json details { margin-left:14px; } .json summary { cursor:pointer; margin-left:-14px; }
.json .k { color:var(--accent); } .json .s { color:var(--ok); } .json .n { color:#c2410c; }
.actions { display:flex; flex-wrap:wrap; gap:8px; margin-top:14px; }
.note { color:var(--dim); font-size:12px; margin:8px 0 0; }
.note.warn { color:var(--refused); }
#editor textarea { width:100%; min-height:220px; font: 12.5px/1.5 ui-monospace, Menlo, monospace; background:var(--code); }
#editor .row { display:flex; align-items:center; gap:10px; margin-top:6px; flex-wrap:wrap; }
.link { border:0; background:none; color:var(--accent); padding:0; text-decoration:underline; }
.empty { color:var(--dim); padding:40px; text-align:center; }
#toast { position:fixed; bottom:16px; right:16px; background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:10px 14px; display:none; max-width:60ch; }
kbd { border:1px solid var(--line); border-bottom-width:2px; border-radius:4px; padding:0 4px; font-size:11px; }
`;
