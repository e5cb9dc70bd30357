// TLS analyzer on a synthetic capture of 20,000 handshakes (real ones of the fixture, repeated),
// through the pipeline a beat runs (PcapReader -> TcpReassembler -> dispatcher -> tls -> event
// JSON), beside tcpdump reading and writing the same file: medians of 3 runs each. The servers'
// certificates repeat, so their descriptions come from the analyzer's cache after the first.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { tlsProtocol } = require('../dist/index.js');
const { ensureTlsCapture } = require('./handshakes.js');

const RUNS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time of one `tcpdump -r FILE -w /dev/null` in ms. */
function tcpdumpOnce(file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('tcpdump', ['-r', file, '-w', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`tcpdump failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main() {
  const file = ensureTlsCapture();
  const tcpdump = median(Array.from({ length: RUNS }, () => tcpdumpOnce(file)));
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    last = await replayCaptureDetailed(file, [{ module: tlsProtocol, config: {} }]);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const ms = median(times);
  const c = last.counters.tls;
  const packets = last.reassembly.packets;
  const rate = (n, t) => Math.round(n / (t / 1000)).toLocaleString('en-US');
  console.log(
    `capture: ${path.basename(file)} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${packets} packets)`,
  );
  console.log(
    `  tcpdump -r -w /dev/null : ${tcpdump.toFixed(0).padStart(6)} ms  ${rate(packets, tcpdump).padStart(10)} packets/s`,
  );
  console.log(
    `  tls replay + events     : ${ms.toFixed(0).padStart(6)} ms  ${rate(packets, ms).padStart(10)} packets/s  ` +
      `${rate(c.transactions, ms)} handshakes/s  (medians of ${RUNS})`,
  );
  console.log(
    `  ratio tls/tcpdump: ${(ms / tcpdump).toFixed(1)}x; ${c.transactions} handshakes, ${c.errors} errors`,
  );
  if (c.transactions !== 20_000) throw new Error(`expected 20000 handshakes, got ${c.transactions}`);
}

main().catch((err) => {
  console.error(`tls replay.bench: ${err.message}`);
  process.exit(1);
});
