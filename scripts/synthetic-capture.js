// Synthetic request/response captures for protocol benchmarks: `connections` TCP connections of
// `pairs` exchanges each (handshake, request, response, ACK per exchange, FIN close), 200 open at a
// time and interleaved packet by packet, 1 ms apart, over Ethernet. Written once under
// <repo>/.cache/bench/ and reused. The exchanges come from the caller, so every protocol gets
// a capture of the same shape as the echo benchmark's.
const fs = require('fs');
const path = require('path');
const { PcapWriter, buildTcpFrame, LinkType, TcpFlags } = require('../packages/tcp-reassembly/dist/index.js');

const CACHE_DIR = path.resolve(__dirname, '..', '.cache', 'bench');
const START_MS = Date.UTC(2026, 0, 1);
const { SYN, ACK, FIN, PSH } = TcpFlags;

function* connectionSteps(c, pairs, port, exchange) {
  const client = 0x0a010000 + c;
  const cport = 1024 + (c % 64000);
  let cseq = (c * 2654435761) >>> 0;
  let sseq = (c * 40503 + 12345) >>> 0;
  const server = 0x0a000001;
  const fc = (flags, payload) => ({
    src: client,
    dst: server,
    srcPort: cport,
    dstPort: port,
    seq: cseq,
    ack: flags & ACK ? sseq : 0,
    flags,
    payload,
  });
  const fs_ = (flags, payload) => ({
    src: server,
    dst: client,
    srcPort: port,
    dstPort: cport,
    seq: sseq,
    ack: cseq,
    flags,
    payload,
  });
  yield fc(SYN);
  cseq = (cseq + 1) >>> 0;
  yield fs_(SYN | ACK);
  sseq = (sseq + 1) >>> 0;
  yield fc(ACK);
  for (let k = 0; k < pairs; k++) {
    const [req, resp] = exchange(c, k);
    yield fc(PSH | ACK, req);
    cseq = (cseq + Buffer.byteLength(req, 'latin1')) >>> 0;
    yield fs_(PSH | ACK, resp);
    sseq = (sseq + Buffer.byteLength(resp, 'latin1')) >>> 0;
    yield fc(ACK);
  }
  yield fc(FIN | ACK);
  cseq = (cseq + 1) >>> 0;
  yield fs_(FIN | ACK);
  sseq = (sseq + 1) >>> 0;
  yield fc(ACK);
}

/**
 * The path of the capture `name` (generated on first use): `exchange(c, k)` returns the request and
 * response text (Latin-1, each sent as one segment) of exchange k of connection c.
 */
function ensureExchangeCapture(name, { port, exchange, connections = 20000, pairs = 10, concurrent = 200 }) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(CACHE_DIR, `${name}-c${connections}-p${pairs}-k${concurrent}.pcap`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  const w = PcapWriter.create(tmp, LinkType.ETHERNET, 65535);
  const active = [];
  let next = 0;
  let ts = START_MS;
  while (next < connections && active.length < concurrent)
    active.push(connectionSteps(next++, pairs, port, exchange));
  let i = 0;
  while (active.length > 0) {
    if (i >= active.length) i = 0;
    const r = active[i].next();
    if (r.done) {
      if (next < connections) active[i] = connectionSteps(next++, pairs, port, exchange);
      else active.splice(i, 1);
      continue;
    }
    w.writePacket(ts, buildTcpFrame(r.value));
    ts += 1;
    i++;
  }
  w.close();
  fs.renameSync(tmp, file);
  return file;
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
