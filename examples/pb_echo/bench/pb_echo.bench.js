// pb_echo end to end on the synthetic capture (about 720,000 packets, 200,000 transactions): the
// built beat reads the file with -t and writes its NDJSON events to /dev/null; tcpdump reads and
// rewrites the same file in the same run as the yardstick. Target: pb_echo within 10x of tcpdump.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ensureSyntheticCapture } = require('../../../packages/tcp-reassembly/bench/synthetic.js');

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'examples/pb_echo/dist/main.js');
// What `npx pb_echo` runs: the launcher, with its node flags.
const BIN = path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js');
const RUNS = Number(process.env.PB_ECHO_BENCH_RUNS || 3);
const TARGET_RATIO = 10;

/** Best wall time of `runs` tcpdump -r FILE -w /dev/null, in ms. */
function timeTcpdump(file, runs) {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('tcpdump', ['-r', file, '-w', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`tcpdump failed: ${r.stderr}`);
    best = Math.min(best, ms);
  }
  return best;
}

/** One pb_echo run: wall time, peak RSS (from /usr/bin/time) and the metrics line at exit. */
function runPbEcho(file, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync('/dev/null', 'w');
    const useTime = fs.existsSync('/usr/bin/time');
    const cmd = useTime ? '/usr/bin/time' : BIN;
    const args = [...(useTime ? ['-f', 'MAXRSS_KB=%M', BIN] : []), '-I', file, '-t', ...extraArgs];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', out, 'pipe'], cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      fs.closeSync(out);
      if (code !== 0) return reject(new Error(`pb_echo exited with ${code}: ${stderr.slice(0, 500)}`));
      const line = stderr.split('\n').find((l) => l.includes('"msg":"metrics at exit"'));
      if (!line) return reject(new Error(`no metrics line from pb_echo: ${stderr.slice(0, 500)}`));
      const m = JSON.parse(line).metrics;
      const rss = /MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ ms, metrics: m, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN });
    });
  });
}

async function main() {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} missing: build first (npx tsc -b)`);
  const file = await ensureSyntheticCapture();
  const size = fs.statSync(file).size;
  console.log(`capture: ${path.relative(ROOT, file)} (${(size / 1e6).toFixed(1)} MB)`);

  const tcpdumpMs = timeTcpdump(file, RUNS);
  let best;
  for (let i = 0; i < RUNS; i++) {
    const r = await runPbEcho(file);
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
