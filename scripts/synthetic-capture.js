// Synthetic request/response captures for protocol benchmarks: `connections` TCP connections of
// `pairs` exchanges each (handshake, request, response, ACK per exchange, FIN close), 200 open at a
// time and interleaved packet by packet, 1 ms apart, over Ethernet. Written once under
// <repo>/.cache/bench/ and reused. The exchanges come from the caller, so every protocol gets
// a capture of the same shape as the echo benchmark's.
const fs = require('fs');
const path = require('path');
const { CACHE_DIR, writeExchangeCapture } = require('../packages/tcp-reassembly/bench/synthetic.js');

/**
 * The path of the capture `name` (generated on first use): `exchange(c, k)` returns the request and
 * response text (Latin-1, each sent as one segment) of exchange k of connection c.
 */
function ensureExchangeCapture(name, { port, exchange, connections = 20000, pairs = 10, concurrent = 200 }) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `${name}-c${connections}-p${pairs}-k${concurrent}.pcap`);
  if (fs.existsSync(file)) return file;
  return writeExchangeCapture(file, { port, exchange, connections, pairs, concurrent });
}

/** Best wall time in ms of `runs` `tcpdump -r FILE -w /dev/null`: the yardstick of every benchmark. */
function timeTcpdump(file, runs = 3) {
  const { spawnSync } = require('child_process');
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('tcpdump', ['-r', file, '-w', '/dev/null'], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`tcpdump failed: ${r.stderr}`);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best;
}

module.exports = { ensureExchangeCapture, timeTcpdump };
