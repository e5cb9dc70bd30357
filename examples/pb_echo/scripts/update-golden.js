#!/usr/bin/env node
// Proposes pcaps/<name>.expected.ndjson from the BUILT pb_echo for every capture in pcaps/ (or the
// ones named): a changed one is written as <name>.expected.ndjson.new beside the golden file, never
// over it, and the script then exits 1. Review every changed event against tshark's view of the
// capture (the protocol-echo test tshark-golden.test.ts checks it) before moving it over.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '../../..');
const pcaps = path.join(root, 'pcaps');
const main = path.join(root, 'examples/pb_echo/dist/main.js');
// Keep in sync with GOLDEN_ARGS in test/pb-echo-cli.ts.
const args = ['-t', '-E', 'pb_echo.protocols=[{type: echo, send_request: true, send_response: true}]'];
// Keep in sync with BEAT_FIELDS in test/pb-echo-cli.ts.
const BEAT_FIELDS = ['ecs', 'host', 'agent', 'tags'];

const wanted = process.argv.slice(2);
const proposed = [];
const captures = fs
  .readdirSync(pcaps)
  .filter(
    (f) => (f.endsWith('.pcap') || f.endsWith('.pcapng')) && (wanted.length === 0 || wanted.includes(f)),
  )
  .sort();
for (const f of captures) {
  const r = spawnSync(process.execPath, [main, '-I', path.join('pcaps', f), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const golden = path.join(pcaps, f.replace(/\.pcap(ng)?$/, '') + '.expected.ndjson');
  const before = fs.existsSync(golden) ? fs.readFileSync(golden, 'utf8') : '';
  // Only the protocol's events: the fields beat-runner adds are left out (BEAT_FIELDS in test/pb-echo-cli.ts).
  const stdout = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const event = JSON.parse(l);
      for (const f of BEAT_FIELDS) delete event[f];
      return JSON.stringify(event) + '\n';
    })
    .join('');
  const changed = before !== stdout;
  if (changed) {
    fs.writeFileSync(golden + '.new', stdout);
    proposed.push(path.relative(root, golden + '.new'));
  } else fs.rmSync(golden + '.new', { force: true });
  const n = stdout.split('\n').filter(Boolean).length;
  const note = r.stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('{'))
    .join(' | ');
  console.log(
    `${f}: exit ${r.status}, ${n} events${changed ? ' (CHANGED: review the .new file)' : ' (unchanged)'}${note ? ` — ${note}` : ''}`,
  );
}
if (proposed.length > 0) {
  console.error(`proposed (review, then move over the golden files): ${proposed.join(' ')}`);
  process.exit(1);
}
