// pgsql analyzer on a synthetic capture of 200,000 transactions (20,000 connections x 10: startup,
// simple queries with rows, DML, errors, extended-protocol pipelines), through the pipeline a beat
// runs (PcapReader -> TcpReassembler -> dispatcher -> pgsql -> event JSON), beside `tcpdump -r`
// reading and writing the same file. Medians of 3 runs of each.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { replayCaptureDetailed } = require('@wirebeat/testing');
const { pgsqlProtocol } = require('../dist/index.js');
const { ensurePgsqlCapture } = require('./exchanges.js');

const RUNS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall time in ms of one `tcpdump -r FILE -w /dev/null`. */
function tcpdumpMs(file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('tcpdump', ['-r', file, '-w', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`tcpdump failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main() {
  const file = ensurePgsqlCapture();
  const tcpdump = [];
  const replay = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    tcpdump.push(tcpdumpMs(file));
    global.gc?.();
    const t0 = process.hrtime.bigint();
    result = await replayCaptureDetailed(file, [{ module: pgsqlProtocol, config: {} }]);
    replay.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const c = result.counters.pgsql;
  if (c.transactions !== 200_000) throw new Error(`expected 200000 transactions, got ${c.transactions}`);
  const t = median(tcpdump);
  const r = median(replay);
  const packets = result.reassembly.packets;
  console.log(
    `capture: ${path.basename(file)} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB, ${packets} packets)`,
  );
  console.log(`  tcpdump -r -w /dev/null : ${t.toFixed(0).padStart(6)} ms (median of ${RUNS})`);
  console.log(
    `  pgsql replay + events   : ${r.toFixed(0).padStart(6)} ms (median of ${RUNS})  ` +
      `${Math.round(c.transactions / (r / 1000)).toLocaleString('en-US')} transactions/s  ` +
      `${Math.round(packets / (r / 1000)).toLocaleString('en-US')} packets/s`,
  );
  console.log(
    `  ratio pgsql/tcpdump: ${(r / t).toFixed(1)}x; ${c.transactions} transactions, ${c.errors} errors`,
  );
}

main().catch((err) => {
  console.error(`pgsql replay.bench: ${err.message}`);
  process.exit(1);
});
