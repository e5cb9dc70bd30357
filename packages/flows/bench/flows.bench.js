// Network flows on the synthetic Redis capture (20,000 TCP connections, 200 open at a time, about
// 540,000 packets over 9 minutes of packet time): the engine with no protocol and flows off, then
// with flows on (timeout 30s, period 10s), each timed 3 times beside `tcpdump -r` on the same file
// in the same run; medians printed with packets/s, flows/s and the ratio to tcpdump.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Engine } = require('@wirebeat/engine');
const { PcapReader } = require('@wirebeat/tcp-reassembly');
const { ensureRedisCapture } = require('../../protocol-redis/bench/exchanges.js');

const RUNS = 3;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time in ms of one `tcpdump -r FILE -w /dev/null`. */
function tcpdumpOnce(file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('tcpdump', ['-r', file, '-w', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`tcpdump failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** One replay through the engine; flows on when `flows` is given. */
async function replayOnce(file, flows) {
  let events = 0;
  let finals = 0;
  const engine = new Engine({
    protocols: [],
    publish: (e) => {
      events++;
      if (e.fields.flow.final) finals++;
    },
    logger: silent,
    ...(flows ? { flows } : {}),
  });
  global.gc?.();
  const t0 = process.hrtime.bigint();
  for await (const frame of PcapReader.open(file)) engine.processFrame(frame);
  engine.finish();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, events, finals, packets: engine.counters().frames, counters: engine.counters().flows };
}

const rate = (n, ms) =>
  Math.round(n / (ms / 1000))
    .toLocaleString('en-US')
    .padStart(10);

async function main() {
  const file = ensureRedisCapture();
  const flows = { timeoutMs: 30_000, periodMs: 10_000, maxFlows: 100_000 };
  const times = { tcpdump: [], off: [], on: [] };
  let on;
  for (let i = 0; i < RUNS; i++) {
    times.tcpdump.push(tcpdumpOnce(file));
    times.off.push((await replayOnce(file)).ms);
    on = await replayOnce(file, flows);
    times.on.push(on.ms);
  }
  const [td, off, onMs] = [median(times.tcpdump), median(times.off), median(times.on)];
  const packets = on.packets;
  console.log(
    `capture: ${path.basename(file)} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${packets} packets, ` +
      `${on.counters.created} flows); medians of ${RUNS}, load ${require('os').loadavg()[0].toFixed(1)}`,
  );
  console.log(
    `  tcpdump -r -w /dev/null     : ${td.toFixed(0).padStart(6)} ms  ${rate(packets, td)} packets/s`,
  );
  console.log(
    `  engine, no protocol, no flows: ${off.toFixed(0).padStart(6)} ms  ${rate(packets, off)} packets/s`,
  );
  console.log(
    `  engine + flows (30s/10s)    : ${onMs.toFixed(0).padStart(6)} ms  ${rate(packets, onMs)} packets/s  ` +
      `${rate(on.finals, onMs).trim()} flows/s  ${rate(on.events, onMs).trim()} flow events/s`,
  );
  console.log(
    `  ratio flows/tcpdump: ${(onMs / td).toFixed(1)}x; flows cost ${(onMs / off).toFixed(2)}x the engine without them; ` +
      `${on.events} events (${on.finals} final), evicted ${on.counters.evicted}`,
  );
  if (on.counters.packets !== packets)
    throw new Error(`flows counted ${on.counters.packets} of ${packets} packets`);
}

main().catch((err) => {
  console.error(`flows.bench: ${err.message}`);
  process.exit(1);
});
