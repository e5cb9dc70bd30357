// The dashboard's stylesheet: one column on a phone, a grid on wider screens, dark-on-light.

/** CSS of the dashboard page. */
export const PAGE_STYLE = `
:root { --bg:#f4f6f8; --card:#fff; --ink:#1d2430; --dim:#677489; --tx:#2b6cb0; --err:#d64545; --bar:#6b8fd6; --line:#e3e8ef; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:var(--bg); color:var(--ink); }
header { padding:12px 16px; background:#1d2430; color:#fff; display:flex; flex-wrap:wrap; gap:8px 16px; align-items:baseline; }
header h1 { font-size:18px; margin:0; }
header .meta { color:#b8c2d3; font-size:12px; }
header form { display:flex; gap:8px; margin-left:auto; }
header select { font:inherit; padding:2px 4px; }
main { padding:12px; display:grid; gap:12px; grid-template-columns:1fr; }
section.card { background:var(--card); border-radius:8px; padding:12px; box-shadow:0 1px 2px rgba(0,0,0,.08); min-width:0; }
section.card h2 { font-size:16px; margin:0 0 8px; display:flex; flex-wrap:wrap; gap:4px 12px; align-items:baseline; }
section.card h2 small { color:var(--dim); font-weight:normal; font-size:12px; }
h3 { font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--dim); margin:12px 0 4px; }
.tiles { display:grid; grid-template-columns:repeat(auto-fill, minmax(96px, 1fr)); gap:8px; }
.tile { background:var(--bg); border-radius:6px; padding:6px 8px; }
.tile b { display:block; font-size:18px; }
.tile span { color:var(--dim); font-size:11px; }
.tile.bad b { color:var(--err); }
svg { width:100%; height:140px; display:block; }
svg text { font-size:10px; fill:var(--dim); }
.grid2 { display:grid; grid-template-columns:1fr; gap:8px 16px; }
table { width:100%; border-collapse:collapse; font-size:12px; }
td, th { text-align:left; padding:3px 4px; border-bottom:1px solid var(--line); vertical-align:top; overflow-wrap:anywhere; }
th { color:var(--dim); font-weight:600; }
td.num, th.num { text-align:right; white-space:nowrap; }
tr.Error td:first-child { border-left:3px solid var(--err); }
.legend { font-size:11px; color:var(--dim); }
.legend i { display:inline-block; width:10px; height:3px; margin:0 4px 2px 8px; vertical-align:middle; }
.empty { color:var(--dim); font-style:italic; }
.scroll { overflow-x:auto; }
.scroll table.errors { min-width:720px; }
@media (min-width: 900px) {
  main { grid-template-columns:1fr 1fr; }
  section.wide { grid-column:1 / -1; }
}
@media (min-width: 1500px) {
  .grid2 { grid-template-columns:1fr 1fr; }
}
`;
