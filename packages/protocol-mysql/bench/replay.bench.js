// MySQL analyzer on a synthetic capture of 200,000 transactions (20,000 connections x 10: SELECTs,
// INSERTs, errors, prepared statements with binary rows, pings), through the pipeline a beat runs
// (PcapReader -> TcpReassembler -> dispatcher -> mysql -> event JSON), side by side with tcpdump
// reading and writing the same file. Medians of 3 runs, with the machine's load.
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { mysqlProtocol } = require('../dist/index.js');
const { loadNote, median, medianTcpdump } = require('../../../scripts/bench-stats.js');
const { ensureMysqlCapture } = require('./exchanges.js');

const RUNS = Number(process.env.PROTOCOL_BENCH_RUNS || 3);

async function main() {
  const file = ensureMysqlCapture();
  const tcpdumpMs = medianTcpdump(file, RUNS);
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    global.gc?.();
    const t0 = process.hrtime.bigint();
    last = await replayCaptureDetailed(file, [{ module: mysqlProtocol, config: {} }]);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const ms = median(times);
  const c = last.counters.mysql;
  if (c.transactions !== 200_000) throw new Error(`expected 200000 transactions, got ${c.transactions}`);
  const packets = last.reassembly.packets;
  console.log(`capture: ${require('path').basename(file)} (${packets} packets; ${loadNote()})`);
  console.log(`  tcpdump -r -w /dev/null : ${tcpdumpMs.toFixed(0).padStart(6)} ms (median of ${RUNS})`);
  console.log(
    `  mysql replay + events  : ${ms.toFixed(0).padStart(6)} ms (median of ${RUNS}), ` +
      `${Math.round(c.transactions / (ms / 1000)).toLocaleString('en-US')} transactions/s, ` +
      `${Math.round(packets / (ms / 1000)).toLocaleString('en-US')} packets/s`,
  );
  console.log(
    `  ratio mysql/tcpdump: ${(ms / tcpdumpMs).toFixed(1)}x; ${c.transactions} transactions, ${c.errors} errors, ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

main().catch((err) => {
  console.error(`mysql replay.bench: ${err.message}`);
  process.exit(1);
});
