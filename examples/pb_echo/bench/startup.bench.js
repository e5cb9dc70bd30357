// Start-up: pb_echo replaying pcaps/echo.pcap (107 packets) with -t, events to /dev/null, beside
// `node -e 0` in the same run, interleaved so that both see the same load. Target: 0.10 s wall.
// `node -e 0` is timed as the environment is and without NODE_EXTRA_CA_CERTS, which Node 20 parses
// at every start (the beat's launcher defers it: see README).
const fs = require('fs');
const path = require('path');
const { loadNote, median, timeCommand } = require('../../../scripts/bench-stats.js');

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js');
const RUNS = Number(process.env.STARTUP_BENCH_RUNS || 15);
const TARGET_MS = 100;

function main() {
  if (!fs.existsSync(path.join(ROOT, 'examples/pb_echo/dist/main.js')))
    throw new Error('build first (npx tsc -b)');
  const beat = [];
  const bare = [];
  const { NODE_EXTRA_CA_CERTS: extraCa, ...withoutExtraCa } = process.env;
  const bareNoCa = [];
  // One untimed run of each first: the files are then in the page cache, as for any later start.
  timeCommand(BIN, ['-I', 'pcaps/echo.pcap', '-t'], { cwd: ROOT });
  for (let i = 0; i < RUNS; i++) {
    bare.push(timeCommand(process.execPath, ['-e', '0']));
    bareNoCa.push(timeCommand(process.execPath, ['-e', '0'], { env: withoutExtraCa }));
    beat.push(timeCommand(BIN, ['-I', 'pcaps/echo.pcap', '-t'], { cwd: ROOT }));
  }
  const b = median(beat);
  const n = median(bare);
  console.log(
    `runs: ${RUNS} each, interleaved; ${loadNote()}; NODE_EXTRA_CA_CERTS ${extraCa ? `is ${extraCa}` : 'is not set'}`,
  );
  const nc = median(bareNoCa);
  console.log(
    `  node -e 0 without NODE_EXTRA_CA_CERTS: median ${nc.toFixed(0)} ms, min ${Math.min(...bareNoCa).toFixed(0)} ms`,
  );
  console.log(
    `  node -e 0                           : median ${n.toFixed(0)} ms, min ${Math.min(...bare).toFixed(0)} ms`,
  );
  console.log(
    `  pb_echo -I pcaps/echo.pcap -t >/dev/null: median ${b.toFixed(0)} ms, min ${Math.min(...beat).toFixed(0)} ms ` +
      `(target ${TARGET_MS} ms: ${b <= TARGET_MS ? 'met' : 'NOT met'}; ${(b - nc).toFixed(0)} ms above node -e 0 ` +
      `without NODE_EXTRA_CA_CERTS, ${(b / nc).toFixed(2)}x it: on a loaded machine the ratio says more than the times)`,
  );
}

try {
  main();
} catch (err) {
  console.error(`startup.bench: ${err.message}`);
  process.exit(1);
}
