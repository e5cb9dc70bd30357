// pb_echo end to end on the synthetic capture (about 720,000 packets, 200,000 transactions): the
// built beat reads the file with -t and writes its NDJSON events to /dev/null; tcpdump reads and
// rewrites the same file in the same run as the yardstick. Target: pb_echo within 10x of tcpdump.
const fs = require('fs');
const path = require('path');
const { ensureSyntheticCapture } = require('../../../packages/tcp-reassembly/bench/synthetic.js');
const { timeTcpdump } = require('../../../scripts/synthetic-capture.js');
const { runBeatOnFile } = require('../../../scripts/beat-bench-run.js');

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/pb_echo/dist/main.js');
// What `npx pb_echo` runs: the launcher, with its node flags.
const BIN = path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js');
const RUNS = Number(process.env.PB_ECHO_BENCH_RUNS || 3);
const TARGET_RATIO = 10;

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} missing: build first (npx tsc -b)`);
  const file = await ensureSyntheticCapture();
  const size = fs.statSync(file).size;
  console.log(`capture: ${path.relative(ROOT, file)} (${(size / 1e6).toFixed(1)} MB)`);

  const tcpdumpMs = timeTcpdump(file, RUNS);
  let best;
  for (let i = 0; i < RUNS; i++) {
    const r = await runBeatOnFile(BIN, file);
    if (!best || r.ms < best.ms) best = r;
  }
  const packets = best.metrics.reassembly.packets;
  const tx = best.metrics.protocols.echo.transactions;
  const published = best.metrics.publisher.acked;
  const ratio = best.ms / tcpdumpMs;
  const pps = packets / (best.ms / 1000);
  const tps = tx / (best.ms / 1000);
  console.log(
    `tcpdump -r -w /dev/null: ${tcpdumpMs.toFixed(0)} ms (${(packets / (tcpdumpMs / 1000)).toFixed(0)} packets/s), best of ${RUNS}`,
  );
  console.log(
    `pb_echo (bin/pb_echo.js) -I -t > /dev/null: ${best.ms.toFixed(0)} ms for ${packets} packets, ${tx} transactions (${published} events written), best of ${RUNS}`,
  );
  console.log(
    `  ${pps.toFixed(0)} packets/s, ${tps.toFixed(0)} transactions/s, peak RSS ${best.maxRssMb.toFixed(0)} MB`,
  );
  console.log(
    `  ratio pb_echo/tcpdump: ${ratio.toFixed(1)}x (target: within ${TARGET_RATIO}x; ~500,000 packets/s, ~140,000 transactions/s)`,
  );
  if (published !== tx) console.log(`  WARNING: ${tx - published} transactions were not written`);
}

main().catch((err) => {
  console.error(`pb_echo.bench: ${err.message}`);
  process.exit(1);
});
