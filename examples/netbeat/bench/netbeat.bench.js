// netbeat end to end on the HTTP and Redis synthetic captures (200,000 transactions each): the
// built beat reads each file with -t and writes its NDJSON events to /dev/null, beside tcpdump
// reading and rewriting the same file in the same run.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const { timeTcpdump } = require('../../../scripts/synthetic-capture.js');
const { ensureHttpCapture } = require('../../../packages/protocol-http/bench/exchanges.js');
const { ensureRedisCapture } = require('../../../packages/protocol-redis/bench/exchanges.js');

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'examples/netbeat/bin/netbeat.js');
const RUNS = Number(process.env.NETBEAT_BENCH_RUNS || 1);

/** One netbeat run: wall time, peak RSS (from /usr/bin/time) and the metrics line at exit. */
function runNetbeat(file) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync('/dev/null', 'w');
    const useTime = fs.existsSync('/usr/bin/time');
    const cmd = useTime ? '/usr/bin/time' : BIN;
    const args = [...(useTime ? ['-f', 'MAXRSS_KB=%M', BIN] : []), '-I', file, '-t'];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', out, 'pipe'], cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      fs.closeSync(out);
      if (code !== 0) return reject(new Error(`netbeat exited with ${code}: ${stderr.slice(0, 500)}`));
      const line = stderr.split('\n').find((l) => l.includes('"msg":"metrics at exit"'));
      if (!line) return reject(new Error(`no metrics line from netbeat: ${stderr.slice(0, 500)}`));
      const rss = /MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ ms, metrics: JSON.parse(line).metrics, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN });
    });
  });
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'examples/netbeat/dist/main.js')))
    throw new Error('build first (npx tsc -b)');
  for (const [protocol, file] of [
    ['http', ensureHttpCapture()],
    ['redis', ensureRedisCapture()],
  ]) {
    const tcpdumpMs = timeTcpdump(file);
    let best;
    for (let i = 0; i < RUNS; i++) {
      const r = await runNetbeat(file);
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
