// Engine workers: each synthetic capture (echo, HTTP and Redis: 720k packets and 200,000
// transactions each, of the same shape; the line before each result prints the counts) replayed
// by the built beat with 1 and with 2 workers, medians of 3 runs
// (interleaved, so both see the same load), beside tcpdump -r on the same file in the same run.
// Target: 2 workers within 0.6x of 1 worker's wall time on a 2-core machine. Every line gives the
// machine's load: on a busy machine the workers compete with everything else for the cores. The
// CPU of the main thread and of the busiest other thread (the engine worker with 2) shows whether
// the two engines are balanced; with 1 worker the busiest other thread is V8's (compiler, GC).
const fs = require('fs');
const path = require('path');
const { ensureSyntheticCapture } = require('../../../packages/tcp-reassembly/bench/synthetic.js');
const { runBeatOnFile } = require('../../../scripts/beat-bench-run.js');
const { loadNote, median, medianTcpdump } = require('../../../scripts/bench-stats.js');
const { ensureHttpCapture } = require('../../../packages/protocol-http/bench/exchanges.js');
const { ensureRedisCapture } = require('../../../packages/protocol-redis/bench/exchanges.js');

const ROOT = path.resolve(__dirname, '../../..');
const RUNS = Number(process.env.WORKERS_BENCH_RUNS || 3);
const ONLY = process.env.WORKERS_BENCH_ONLY; // e.g. "echo"
const TARGET = 0.6;

const beats = {
  pb_echo: path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js'),
  netbeat: path.join(ROOT, 'examples/netbeat/bin/netbeat.js'),
};

async function bench(name, protocol, beat, file) {
  const tcpdump = medianTcpdump(file, RUNS);
  const tcpdumpLoad = loadNote();
  const runs = { 1: [], 2: [] };
  for (let i = 0; i < RUNS; i++)
    for (const w of [1, 2])
      runs[w].push(await runBeatOnFile(beats[beat], file, ['-E', `${beat}.workers=${w}`], { threads: true }));
  const runLoad = loadNote();
  const m = runs[1][0].metrics;
  console.log(
    `${name}: ${path.basename(file)}, ${m.reassembly.packets} packets, ${m.protocols[protocol].transactions} transactions`,
  );
  console.log(
    `  tcpdump -r -w /dev/null: ${tcpdump.toFixed(0).padStart(6)} ms median of ${RUNS} (${tcpdumpLoad})`,
  );
  const med = {};
  for (const w of [1, 2]) {
    med[w] = median(runs[w].map((r) => r.ms));
    const rss = Math.max(...runs[w].map((r) => r.maxRssMb));
    const cpu = median(runs[w].map((r) => r.cpuS));
    const tx = runs[w].map((r) => r.metrics.protocols[protocol].transactions);
    // The thread that finishes last sets the wall time: with 2 workers the two engines' threads
    // should be about as busy (the main thread also writes every event).
    const mainS = median(runs[w].map((r) => r.threads.mainS));
    const otherS = median(runs[w].map((r) => r.threads.busiestOtherS));
    console.log(
      `  ${beat} workers=${w}: ${med[w].toFixed(0).padStart(6)} ms median of ${RUNS}, ${(med[w] / tcpdump).toFixed(1)}x tcpdump, ` +
        `CPU ${cpu.toFixed(2)} s (main thread ${mainS.toFixed(2)}, busiest other ${otherS.toFixed(2)}), ` +
        `peak RSS ${rss.toFixed(0)} MB, transactions ${[...new Set(tx)].join('/')} (${runLoad})`,
    );
  }
  const ratio = med[2] / med[1];
  console.log(
    `  2 workers / 1 worker: ${ratio.toFixed(2)} (target <= ${TARGET}) ${ratio <= TARGET ? 'met' : 'NOT met'}`,
  );
}

async function main() {
  for (const b of Object.values(beats))
    if (!fs.existsSync(b.replace(/bin\/(\w+)\.js$/, 'dist/main.js')))
      throw new Error('build first (npx tsc -b)');
  const cases = [
    ['echo', 'echo', 'pb_echo', () => ensureSyntheticCapture()],
    ['http', 'http', 'netbeat', () => ensureHttpCapture()],
    ['redis', 'redis', 'netbeat', () => ensureRedisCapture()],
  ];
  for (const [name, protocol, beat, capture] of cases) {
    if (ONLY && !ONLY.split(',').includes(name)) continue;
    await bench(name, protocol, beat, await capture());
  }
}

main().catch((err) => {
  console.error(`workers.bench: ${err.message}`);
  process.exit(1);
});
