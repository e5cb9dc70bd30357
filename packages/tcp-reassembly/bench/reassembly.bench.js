// Benchmark: read + decode + reassembly of synthetic echo captures with a no-op consumer.
// Case "throughput": 20,000 connections x 10 pairs (720,000 packets), target >= 2,000,000 packets/s,
// read with PcapReader.forEach ("throughput") and with `for await` ("throughput-for-await").
// Case "open-100k": 100,000 connections open at once, target peak RSS < 250 MB.
// Each case runs in its own child process so that peak RSS figures do not mix.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureSyntheticCapture } = require('./synthetic.js');

const CASES = {
  throughput: { capture: {}, runs: 5, target: 'target >= 2,000,000 packets/s' },
  'throughput-for-await': { capture: {}, runs: 5, iterate: true, target: 'target >= 2,000,000 packets/s' },
  'open-100k': {
    capture: { connections: 100000, pairs: 1, concurrent: 100000, packetIntervalMs: 0.1 },
    runs: 1,
    target: 'target: peak RSS < 250 MB with 100,000 connections open',
  },
};

async function runCase(name) {
  const { PcapReader, TcpReassembler } = require('../dist/index.js');
  const spec = CASES[name];
  const file = await ensureSyntheticCapture(spec.capture);
  const size = fs.statSync(file).size;
  let best = Infinity;
  let first = 0;
  let packets = 0;
  let maxOpen = 0;
  let counters;
  for (let run = 0; run < spec.runs; run++) {
    let data = 0;
    const consumer = {
      onConnectionOpen() {},
      onData(_c, _d, bytes) {
        data += bytes.length;
      },
      onGap() {},
      onFin() {},
      onConnectionClose() {},
    };
    const r = new TcpReassembler(consumer, { isServerPort: (p) => p === 3030 });
    const t0 = process.hrtime.bigint();
    const reader = PcapReader.open(file);
    let n = 0;
    if (spec.iterate) {
      for await (const frame of reader) {
        r.processFrame(frame);
        if ((++n & 4095) === 0 && r.activeConnections > maxOpen) maxOpen = r.activeConnections;
      }
    } else {
      await reader.forEach((frame) => {
        r.processFrame(frame);
        if ((++n & 4095) === 0 && r.activeConnections > maxOpen) maxOpen = r.activeConnections;
      });
    }
    if (r.activeConnections > maxOpen) maxOpen = r.activeConnections;
    r.closeAll();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.min(best, s);
    if (run === 0) first = s;
    packets = reader.framesRead;
    counters = r.counters();
    if (data === 0) throw new Error('no payload delivered');
  }
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      case: name,
      packets,
      seconds: +best.toFixed(3),
      firstRunPacketsPerSecond: Math.round(packets / first),
      packetsPerSecond: Math.round(packets / best),
      mbPerSecond: +(size / 1e6 / best).toFixed(1),
      peakRssMb: +rssMb.toFixed(1),
      maxConnectionsOpen: maxOpen,
      gaps: counters.gaps,
      connectionsOpened: counters.connectionsOpened,
      target: spec.target,
    }),
  );
}

async function main() {
  const only = process.argv[2];
  if (only) return runCase(only);
  for (const name of Object.keys(CASES)) {
    // Generate the capture in this process so that generation does not count in the child's RSS.
    await ensureSyntheticCapture(CASES[name].capture);
    const r = spawnSync(process.execPath, [path.join(__dirname, 'reassembly.bench.js'), name], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      throw new Error(`case ${name} failed with status ${r.status}`);
    }
    const res = JSON.parse(r.stdout.trim().split('\n').pop());
    const runs =
      CASES[name].runs > 1
        ? ` (best of ${CASES[name].runs}; cold first run ${res.firstRunPacketsPerSecond.toLocaleString('en-US')})`
        : '';
    console.log(
      `tcp-reassembly ${name}: ${res.packets} packets in ${res.seconds}s = ${res.packetsPerSecond.toLocaleString('en-US')} packets/s${runs}, ` +
        `${res.mbPerSecond} MB/s, peak RSS ${res.peakRssMb} MB, max ${res.maxConnectionsOpen} connections open ` +
        `(${res.target})`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
