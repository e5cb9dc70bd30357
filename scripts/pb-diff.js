#!/usr/bin/env node
// Compares two NDJSON event files transaction by transaction, field by field: typically Packetbeat's
// output.file and a wirebeat beat's output on the same capture. Events are paired by protocol,
// client and server address/port and start time (then by order), so field differences are counted
// per protocol. Fields that differ between any two runs (agent, host, ids, ingest metadata) are left
// out. Usage: node scripts/pb-diff.js left.ndjson right.ndjson [--ignore a.b,c] [--examples N] [--json]
const fs = require('fs');

/** Top-level keys and dotted paths left out by default: they name the run, not the transaction. */
const DEFAULT_IGNORED = ['@metadata', '_id', 'agent', 'host', 'ecs', 'event.ingested', 'observer'];

/** The events of an NDJSON file; a line that is not JSON is a one-line error naming the file and line. */
function readEvents(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${err.code || err.message}`);
  }
  const events = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      events.push(JSON.parse(line));
    } catch {
      throw new Error(`${file}:${i + 1}: not a JSON line`);
    }
  });
  return events;
}

/** Flattens an event into dotted paths; arrays stay whole values (order matters for comparison). */
function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, path, out);
    else out[path] = v;
  }
  return out;
}

/** True when `path` is one of the ignored paths or lies under one. */
function isIgnored(path, ignored) {
  return ignored.some((p) => path === p || path.startsWith(`${p}.`));
}

/** Start of a transaction in milliseconds (event.start, else @timestamp). */
function startMs(flat) {
  const t = Date.parse(flat['event.start'] || flat['@timestamp']);
  return Number.isNaN(t) ? 0 : t;
}

/** The protocol of an event: `type`, else event.dataset. */
function protocolOf(flat) {
  return flat.type || flat['event.dataset'] || 'unknown';
}

/** Connection key of an event: protocol and both endpoints. */
function connKey(flat) {
  const c = (side) => `${flat[`${side}.ip`]}:${flat[`${side}.port`]}`;
  return `${protocolOf(flat)} ${c('client') === 'undefined:undefined' ? c('source') : c('client')} > ${
    c('server') === 'undefined:undefined' ? c('destination') : c('server')
  }`;
}

/** Pairs the events of both sides: same connection, nearest start within `slackMs`, in order. */
function pairEvents(left, right, slackMs) {
  const byConn = new Map();
  right.forEach((flat, i) => {
    const k = connKey(flat);
    if (!byConn.has(k)) byConn.set(k, []);
    byConn.get(k).push(i);
  });
  const used = new Set();
  const pairs = [];
  const onlyLeft = [];
  for (const flat of left) {
    const candidates = (byConn.get(connKey(flat)) || []).filter((i) => !used.has(i));
    let best = -1;
    let bestDelta = Infinity;
    for (const i of candidates) {
      const delta = Math.abs(startMs(right[i]) - startMs(flat));
      if (delta <= slackMs && delta < bestDelta) {
        best = i;
        bestDelta = delta;
      }
    }
    if (best < 0) onlyLeft.push(flat);
    else {
      used.add(best);
      pairs.push([flat, right[best]]);
    }
  }
  const onlyRight = right.filter((_, i) => !used.has(i));
  return { pairs, onlyLeft, onlyRight };
}

/** JSON with object keys sorted, so that two objects differing only in key order compare equal. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** A short printable form of a value for examples. */
function show(v) {
  const s = v === undefined ? '(absent)' : canonical(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Field-level comparison per protocol: counts and, per differing path, how often and an example. */
function compare(leftEvents, rightEvents, { ignored = DEFAULT_IGNORED, slackMs = 5 } = {}) {
  const clean = (events) =>
    events.map((e) => {
      const flat = flatten(e);
      for (const p of Object.keys(flat)) if (isIgnored(p, ignored)) delete flat[p];
      return flat;
    });
  const left = clean(leftEvents);
  const right = clean(rightEvents);
  const { pairs, onlyLeft, onlyRight } = pairEvents(left, right, slackMs);
  const report = {};
  const proto = (name) =>
    (report[name] ??= { left: 0, right: 0, paired: 0, onlyLeft: [], onlyRight: [], fields: {} });
  left.forEach((f) => proto(protocolOf(f)).left++);
  right.forEach((f) => proto(protocolOf(f)).right++);
  onlyLeft.forEach((f) => proto(protocolOf(f)).onlyLeft.push(`${connKey(f)} @${f['@timestamp']}`));
  onlyRight.forEach((f) => proto(protocolOf(f)).onlyRight.push(`${connKey(f)} @${f['@timestamp']}`));
  for (const [l, r] of pairs) {
    const p = proto(protocolOf(l));
    p.paired++;
    for (const path of new Set([...Object.keys(l), ...Object.keys(r)])) {
      const a = canonical(l[path]);
      const b = canonical(r[path]);
      if (a === b) continue;
      const kind = l[path] === undefined ? 'onlyRight' : r[path] === undefined ? 'onlyLeft' : 'differs';
      const entry = (p.fields[path] ??= { onlyLeft: 0, onlyRight: 0, differs: 0, examples: [] });
      entry[kind]++;
      entry.examples.push(`${show(l[path])} | ${show(r[path])}`);
    }
  }
  return report;
}

/** Prints a report as text: one block per protocol, one line per differing field. */
function printReport(report, names, maxExamples) {
  for (const [name, p] of Object.entries(report).sort()) {
    console.log(`== ${name}: ${names[0]} ${p.left}, ${names[1]} ${p.right}, paired ${p.paired}`);
    for (const k of p.onlyLeft.slice(0, maxExamples)) console.log(`   only in ${names[0]}: ${k}`);
    for (const k of p.onlyRight.slice(0, maxExamples)) console.log(`   only in ${names[1]}: ${k}`);
    for (const [path, f] of Object.entries(p.fields).sort()) {
      const counts = [
        f.onlyLeft && `only ${names[0]} ${f.onlyLeft}`,
        f.onlyRight && `only ${names[1]} ${f.onlyRight}`,
        f.differs && `differs ${f.differs}`,
      ].filter(Boolean);
      console.log(`   ${path}: ${counts.join(', ')}`);
      for (const ex of [...new Set(f.examples)].slice(0, maxExamples)) console.log(`      ${ex}`);
    }
  }
}

/** Command line: two files, optional --ignore, --examples, --slack-ms, --json. */
function main(argv) {
  const files = [];
  let ignored = DEFAULT_IGNORED;
  let maxExamples = 2;
  let slackMs = 5;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ignore')
      ignored = [
        ...DEFAULT_IGNORED,
        ...String(argv[++i] || '')
          .split(',')
          .filter(Boolean),
      ];
    else if (a === '--examples') maxExamples = Number(argv[++i]);
    else if (a === '--slack-ms') slackMs = Number(argv[++i]);
    else if (a === '--json') json = true;
    else files.push(a);
  }
  if (files.length !== 2 || !Number.isFinite(maxExamples) || !Number.isFinite(slackMs)) {
    throw new Error(
      'usage: pb-diff.js LEFT.ndjson RIGHT.ndjson [--ignore a.b,c] [--examples N] [--slack-ms N] [--json]',
    );
  }
  const report = compare(readEvents(files[0]), readEvents(files[1]), { ignored, slackMs });
  if (json) console.log(JSON.stringify(report, null, 2));
  else printReport(report, ['left', 'right'], maxExamples);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`pb-diff: ${err.message}`);
    process.exit(2);
  }
}

module.exports = { compare, flatten, readEvents };
