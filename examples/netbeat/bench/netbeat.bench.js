// netbeat end to end on the HTTP, Redis and DNS synthetic captures (200,000 transactions each): the
// built beat reads each file with -t and writes its NDJSON events to /dev/null, beside tcpdump
// reading and rewriting the same file in the same run.
const fs = require('fs');
const path = require('path');
const { timeTcpdump } = require('../../../scripts/synthetic-capture.js');
const { runBeatOnFile } = require('../../../scripts/beat-bench-run.js');
const { ensureHttpCapture } = require('../../../packages/protocol-http/bench/exchanges.js');
const { ensureRedisCapture } = require('../../../packages/protocol-redis/bench/exchanges.js');
const { ensureDnsCapture } = require('../../../packages/protocol-dns/bench/exchanges.js');

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'examples/netbeat/bin/netbeat.js');
const RUNS = Number(process.env.NETBEAT_BENCH_RUNS || 1);

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'examples/netbeat/dist/main.js')))
    throw new Error('build first (npx tsc -b)');
  for (const [protocol, file] of [
    ['http', ensureHttpCapture()],
    ['redis', ensureRedisCapture()],
    ['dns', ensureDnsCapture()],
  ]) {
    const tcpdumpMs = timeTcpdump(file);
    let best;
    for (let i = 0; i < RUNS; i++) {
      const r = await runBeatOnFile(BIN, file);
      if (!best || r.ms < best.ms) best = r;
    }
    const packets = best.metrics.reassembly.packets;
    const tx = best.metrics.protocols[protocol].transactions;
    console.log(`${path.basename(file)}: ${packets} packets, ${tx} ${protocol} transactions`);
    console.log(
      `  tcpdump -r -w /dev/null : ${tcpdumpMs.toFixed(0).padStart(6)} ms  ${Math.round(packets / (tcpdumpMs / 1000)).toLocaleString('en-US')} packets/s`,
    );
    console.log(
      `  netbeat -I -t > /dev/null: ${best.ms.toFixed(0).padStart(6)} ms  ${Math.round(packets / (best.ms / 1000)).toLocaleString('en-US')} packets/s, ` +
        `${Math.round(tx / (best.ms / 1000)).toLocaleString('en-US')} transactions/s, peak RSS ${best.maxRssMb.toFixed(0)} MB, ` +
        `ratio ${(best.ms / tcpdumpMs).toFixed(1)}x (best of ${RUNS})`,
    );
  }
}

main().catch((err) => {
  console.error(`netbeat.bench: ${err.message}`);
  process.exit(1);
});
