// The dashboard page: one HTML document with its style, script and first snapshot inline, so a
// report opens without network and the beat serves a single asset.
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';
import type { DashboardSnapshot } from './snapshot';

/** Options of {@link dashboardPage}. */
export interface PageOptions {
  snapshot: DashboardSnapshot;
  /** Fetch `dashboard.json` every `pollMs` (live, Elasticsearch); a report does not poll. */
  pollMs?: number;
  /** Show the time range picker (Elasticsearch), as `since` values the server understands. */
  ranges?: ReadonlyArray<{ value: string; label: string; selected?: boolean }>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The dashboard page as one self-contained HTML document. */
export function dashboardPage(opts: PageOptions): string {
  const snap = opts.snapshot;
  // Inside <script>, "</" would end the element: escape every "<" of the JSON.
  const data = JSON.stringify(snap).replace(/</g, '\\u003c');
  const ranges = opts.ranges
    ? `<select id="since" aria-label="time range">${opts.ranges
        .map(
          (r) =>
            `<option value="${escapeHtml(r.value)}"${r.selected ? ' selected' : ''}>${escapeHtml(r.label)}</option>`,
        )
        .join('')}</select>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(snap.title)}</title>
<style>${PAGE_STYLE}</style></head>
<body data-source="${snap.source}"${opts.pollMs ? ` data-poll="${opts.pollMs}"` : ''}>
<header><h1>${escapeHtml(snap.title)}</h1><span class="meta">${snap.source} · <span id="range"></span> <span id="status"></span></span>
<form id="controls" onsubmit="return false">${ranges}<select id="protocol" aria-label="protocol"></select></form></header>
<main id="main"></main>
<script type="application/json" id="snapshot">${data}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
