// The dashboard's browser code, served inline (no external asset). It draws a snapshot (see
// snapshot.ts) as SVG and tables, and, when the page is served by a beat, fetches the next one
// every second (live) or when the time range or protocol changes (Elasticsearch). Plain ES2017 in
// a string: the package is compiled for Node, not for browsers.

/** The page's script; reads its first snapshot from `#snapshot` and its mode from `data-poll`. */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  // Charts are drawn at the width they get (a viewBox of the same size): text keeps its size.
  var W = 600, H = 140;
  function chartWidth(wide) {
    var main = document.getElementById('main'), w = main.clientWidth - 48;
    if (!wide && window.matchMedia('(min-width: 900px)').matches) w = (w - 12) / 2;
    return Math.max(240, Math.floor(w));
  }
  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function num(n) {
    if (n == null || isNaN(n)) return '–';
    if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k';
    if (n >= 100 || n === Math.round(n)) return String(Math.round(n));
    return n.toFixed(n < 10 ? 2 : 1);
  }
  function ms(n) {
    if (n == null) return '–';
    if (n >= 1000) return (n / 1000).toFixed(n >= 10000 ? 0 : 1) + ' s';
    if (n >= 1) return n.toFixed(n >= 100 ? 0 : 1) + ' ms';
    return (n * 1000).toFixed(0) + ' µs';
  }
  function time(t) {
    var d = new Date(t);
    return d.toISOString().replace('T', ' ').replace('Z', '').slice(0, 23);
  }
  function tile(label, value, bad) {
    return '<div class="tile' + (bad ? ' bad' : '') + '"><b>' + esc(value) + '</b><span>' + esc(label) + '</span></div>';
  }
  // A rate chart: one path per series (values per step, divided by the step in seconds).
  function rateChart(cls, series, stepMs, from, colors, labels) {
    var n = series[0].length, max = 0, i, k, perSec = 1000 / stepMs;
    for (k = 0; k < series.length; k++) for (i = 0; i < n; i++) if (series[k][i] > max) max = series[k][i];
    max = max * perSec || 1;
    var out = '<svg class="' + cls + '" viewBox="0 0 ' + W + ' ' + H + '" role="img">';
    out += '<line x1="30" y1="' + (H - 14) + '" x2="' + W + '" y2="' + (H - 14) + '" stroke="#e3e8ef"/>';
    out += '<text x="0" y="10">' + num(max) + '/s</text><text x="0" y="' + (H - 16) + '">0</text>';
    out += '<text x="30" y="' + (H - 2) + '">' + esc(time(from).slice(11, 19)) + '</text>';
    out += '<text x="' + (W - 50) + '" y="' + (H - 2) + '">' + esc(time(from + n * stepMs).slice(11, 19)) + '</text>';
    for (k = 0; k < series.length; k++) {
      var d = '', s = series[k];
      for (i = 0; i < n; i++) {
        var x = 30 + ((W - 30) * (i + 0.5)) / n, y = H - 14 - ((H - 26) * s[i] * perSec) / max;
        d += (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
      }
      out += '<path class="series s' + k + '" d="' + d + '" fill="none" stroke="' + colors[k] + '" stroke-width="2" vector-effect="non-scaling-stroke"/>';
    }
    out += '</svg><div class="legend">';
    for (k = 0; k < labels.length; k++) out += '<i style="background:' + colors[k] + '"></i>' + esc(labels[k]);
    return out + '</div>';
  }
  function histogram(counts, bounds) {
    var max = 0, i, n = counts.length, bw = (W - 10) / n;
    for (i = 0; i < n; i++) if (counts[i] > max) max = counts[i];
    var out = '<svg class="histogram" viewBox="0 0 ' + W + ' ' + H + '" role="img">';
    for (i = 0; i < n; i++) {
      if (!counts[i]) continue;
      var h = ((H - 28) * counts[i]) / max;
      out += '<rect class="bar" x="' + (5 + i * bw + 1).toFixed(1) + '" y="' + (H - 16 - h).toFixed(1) + '" width="' + (bw - 2).toFixed(1) + '" height="' + h.toFixed(1) + '" fill="#6b8fd6"><title>≤ ' + esc(i < bounds.length ? ms(bounds[i]) : '∞') + ': ' + counts[i] + '</title></rect>';
      out += '<text x="' + (5 + i * bw + 1).toFixed(1) + '" y="' + (H - 19 - h).toFixed(1) + '">' + num(counts[i]) + '</text>';
    }
    for (i = 0; i < n; i += 3) out += '<text x="' + (5 + i * bw).toFixed(1) + '" y="' + (H - 3) + '">' + esc(i < bounds.length ? ms(bounds[i]) : '>') + '</text>';
    return out + '</svg>';
  }
  function table(cls, head, rows, empty) {
    if (!rows.length) return '<p class="empty ' + cls + '">' + esc(empty) + '</p>';
    var out = '<table class="' + cls + '"><thead><tr>';
    for (var i = 0; i < head.length; i++) out += '<th' + (head[i].charAt(0) === '#' ? ' class="num">' + esc(head[i].slice(1)) : '>' + esc(head[i])) + '</th>';
    return out + '</tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }
  function protocolCard(p, snap) {
    W = chartWidth(false);
    // Live: the rate of the last complete seconds; a report or a chosen range: totals.
    var recent = Math.min(5, p.tx.length - 1), last = p.tx.length - 1 - recent;
    var rates = snap.source !== 'live' ? null : [sum(p.tx.slice(last, -1)) / recent, sum(p.err.slice(last, -1)) / recent];
    var out = '<section class="card protocol" data-protocol="' + esc(p.name) + '"><h2>' + esc(p.name);
    out += ' <small>' + num(p.transactions) + ' transactions, ' + num(p.errors) + ' errors</small></h2>';
    out += '<div class="tiles">';
    if (rates) out += tile('tx/s', num(rates[0])) + tile('errors/s', num(rates[1]), rates[1] > 0);
    else out += tile('transactions', num(p.transactions)) + tile('errors', num(p.errors), p.errors > 0);
    out += tile('p50', ms(p.p50)) + tile('p90', ms(p.p90)) + tile('p99', ms(p.p99)) + '</div>';
    out += '<h3>Transactions and errors per second</h3>' + rateChart('rate', [p.tx, p.err], snap.stepMs, snap.from, ['#2b6cb0', '#d64545'], ['transactions/s', 'errors/s']);
    out += '<h3>Latency</h3>' + histogram(p.latency, snap.bounds);
    out += '<div class="grid2"><div><h3>Top ' + esc(p.resourceField || 'resources') + '</h3>';
    var top = p.top.map(function (r) {
      return '<tr><td>' + esc(r.resource) + '</td><td class="num">' + num(r.count) + '</td><td class="num">' + num(r.errors) + '</td></tr>';
    });
    out += table('top', [p.resourceField || 'resource', '#count', '#errors'], top, 'no resource declared or seen');
    out += '</div><div><h3>Slowest</h3>';
    var slow = p.slowest.map(function (r) {
      return '<tr class="' + r.status + '"><td class="num">' + ms(r.ms) + '</td><td>' + esc(r.resource) + '</td><td>' + esc(time(r.ts).slice(11)) + '</td><td>' + esc(r.client) + '</td></tr>';
    });
    out += table('slowest', ['#latency', 'resource', 'time', 'client'], slow, 'no transaction with a latency');
    return out + '</div></div></section>';
  }
  function sum(a) { var s = 0; for (var i = 0; i < a.length; i++) s += a[i]; return s; }
  function healthCard(h, snap) {
    W = chartWidth(true);
    var out = '<section class="card wide health"><h2>Capture health</h2><div class="tiles">';
    if (h.packetsPerSec) out += tile('packets/s', num(h.packetsPerSec[h.packetsPerSec.length - 2] || 0));
    out += tile('packets', num(h.packets)) + tile('capture loss', num(h.captureLossBytes) + ' B', h.captureLossBytes > 0);
    out += tile('gaps', num(h.gaps), h.gaps > 0) + tile(h.packetsPerSec ? 'connections open' : 'connections', num(h.connectionsOpen));
    if (h.queueFill != null) out += tile('queue fill', (h.queueFill * 100).toFixed(0) + ' %', h.queueFill > 0.8);
    out += tile('output errors', num(h.outputErrors), h.outputErrors > 0) + '</div>';
    if (h.packetsPerSec) out += '<h3>Packets per second</h3>' + rateChart('packets', [h.packetsPerSec], 1000, h.packetsFrom, ['#2f855a'], ['packets/s']);
    return out + '</section>';
  }
  function errorsCard(snap) {
    var withFrames = snap.errors.some(function (e) { return e.frames; });
    var rows = snap.errors.map(function (e) {
      var f = e.frames ? (e.frames[0] === e.frames[1] ? e.frames[0] : e.frames[0] + '–' + e.frames[1]) : '';
      var filter = e.frames ? 'frame.number >= ' + e.frames[0] + ' && frame.number <= ' + e.frames[1] : '';
      return '<tr class="Error"><td>' + esc(time(e.ts)) + '</td><td>' + esc(e.protocol) + '</td><td>' + esc(e.resource) + '</td><td>' + esc(e.error) + '</td><td>' + esc(e.notes.join('; ')) + '</td>' + (withFrames ? '<td class="num" title="' + esc(filter) + '">' + esc(f) + '</td>' : '') + '<td>' + esc(e.client) + ' → ' + esc(e.server) + '</td></tr>';
    });
    var out = '<section class="card wide errors"><h2>Error transactions <small>' + snap.errors.length + (snap.errorsOmitted ? ' (and ' + snap.errorsOmitted + ' more)' : '') + (withFrames ? '; frame numbers as Wireshark counts them' : ', latest first') + '</small></h2>';
    var head = ['time', 'protocol', 'resource', 'error', 'notes'].concat(withFrames ? ['#frames'] : [], ['connection']);
    // On a phone the table scrolls sideways inside its card, not the page.
    return out + '<div class="scroll">' + table('errors', head, rows, 'no Error transaction') + '</div></section>';
  }
  function render(snap) {
    var t0 = performance.now();
    var filter = document.getElementById('protocol');
    var only = filter && filter.value;
    if (filter) {
      var names = snap.protocols.map(function (p) { return p.name; });
      var opts = '<option value="">all protocols</option>' + names.map(function (n) { return '<option' + (n === only ? ' selected' : '') + '>' + esc(n) + '</option>'; }).join('');
      if (filter.getAttribute('data-names') !== names.join(',')) { filter.innerHTML = opts; filter.setAttribute('data-names', names.join(',')); }
    }
    document.getElementById('range').textContent = time(snap.from).slice(0, 19) + ' – ' + time(snap.to).slice(0, 19) + ' UTC';
    var html = '';
    if (snap.health) html += healthCard(snap.health, snap);
    for (var i = 0; i < snap.protocols.length; i++) if (!only || snap.protocols[i].name === only) html += protocolCard(snap.protocols[i], snap);
    if (snap.errors) html += errorsCard(snap);
    if (!snap.protocols.length) html += '<section class="card"><p class="empty">no transaction yet</p></section>';
    document.getElementById('main').innerHTML = html;
    state.renders++;
    state.lastRenderMs = performance.now() - t0;
    state.snapshot = snap;
  }
  var state = { render: render, renders: 0, lastRenderMs: 0, snapshot: null, fetches: 0 };
  window.__dashboard = state;
  var poll = document.body.getAttribute('data-poll');
  function query() {
    var r = document.getElementById('since'), p = document.getElementById('protocol');
    var q = [];
    if (r) q.push('since=' + encodeURIComponent(r.value));
    if (p && p.value) q.push('protocol=' + encodeURIComponent(p.value));
    return q.length ? '?' + q.join('&') : '';
  }
  function refresh() {
    return fetch('dashboard.json' + query(), { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status)); })
      .then(function (snap) { state.fetches++; document.getElementById('status').textContent = ''; render(snap); })
      .catch(function (e) { document.getElementById('status').textContent = 'update failed: ' + e.message; });
  }
  var first = JSON.parse(document.getElementById('snapshot').textContent);
  render(first);
  if (poll) {
    var controls = document.getElementById('controls');
    if (controls) controls.addEventListener('change', function () { refresh(); });
    setInterval(refresh, Number(poll));
  } else {
    var pf = document.getElementById('protocol');
    if (pf) pf.addEventListener('change', function () { render(state.snapshot); });
  }
})();
`;
