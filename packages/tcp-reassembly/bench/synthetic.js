// Synthetic echo-protocol capture for benchmarks (used by tcp-reassembly, protocol, runner and
// publisher benchmarks). Written once per parameter set under <repo>/.cache/bench/ and reused.
// Traffic: IPv4 clients 10.x.y.z:ephemeral -> server 10.0.0.1:3030 over Ethernet; each connection
// does a handshake, `pairs` request/response pairs (request '>...\n' 40-60 bytes, response the same
// line with '<'), an ACK for each response, and a FIN/FIN-ACK/ACK close: 3 + 3*pairs + 3 packets.
// `concurrent` connections are interleaved packet by packet, so that many are open at once.
const fs = require('fs');
const path = require('path');
const { PcapWriter, buildTcpFrame, LinkType, TcpFlags } = require('../dist/index.js');

const CACHE_DIR = path.resolve(__dirname, '../../..', '.cache', 'bench');
const FORMAT_VERSION = 1;
const SERVER_IP = 0x0a000001;
const SERVER_PORT = 3030;
const START_MS = Date.UTC(2026, 0, 1);
const { SYN, ACK, FIN, PSH } = TcpFlags;

/** Deterministic request line for connection `c`, pair `k` (40-60 bytes including '\n'). */
function requestLine(c, k) {
  const head = `>c${c} m${k} `;
  const len = 40 + ((c * 7919 + k * 104729) % 21);
  return (
    head +
    'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.slice(0, len - head.length - 1) +
    '\n'
  );
}

/**
 * Generator of one connection's frames in wire order: handshake, `pairs` exchanges (request,
 * response, ACK; `exchange(c, k)` gives the Latin-1 request and response text), FIN close.
 */
function* connectionSteps(c, pairs, port, exchange) {
  const client = 0x0a010000 + c; // 10.1.0.0 upwards: 10.x.y.z
  const cport = 1024 + (c % 64000);
  let cseq = (c * 2654435761) >>> 0; // spread ISNs so that some wrap around 2^32
  let sseq = (c * 40503 + 12345) >>> 0;
  const fc = (flags, payload) => ({
    src: client,
    dst: SERVER_IP,
    srcPort: cport,
    dstPort: port,
    seq: cseq,
    ack: flags & ACK ? sseq : 0,
    flags,
    payload,
  });
  const fs_ = (flags, payload) => ({
    src: SERVER_IP,
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
    const f = fc(PSH | ACK, req);
    cseq = (cseq + Buffer.byteLength(req, 'latin1')) >>> 0;
    yield f;
    const g = fs_(PSH | ACK, resp);
    sseq = (sseq + Buffer.byteLength(resp, 'latin1')) >>> 0;
    yield g;
    yield fc(ACK);
  }
  yield fc(FIN | ACK);
  cseq = (cseq + 1) >>> 0;
  yield fs_(FIN | ACK);
  sseq = (sseq + 1) >>> 0;
  yield fc(ACK);
}

/** The echo exchange: a request line and the same line with '<'. */
function echoExchange(c, k) {
  const req = requestLine(c, k);
  return [req, '<' + req.slice(1)];
}

/**
 * Writes a request/response capture to `file` (through a temporary name, so concurrent callers
 * never see half a file): `concurrent` connections interleaved packet by packet.
 */
function writeExchangeCapture(
  file,
  { port, exchange, connections = 20000, pairs = 10, concurrent = 200, packetIntervalMs = 1 },
) {
  const tmp = `${file}.${process.pid}.tmp`;
  const w = PcapWriter.create(tmp, LinkType.ETHERNET, 65535);
  const active = [];
  let next = 0;
  let ts = START_MS;
  const open = () => connectionSteps(next++, pairs, port, exchange);
  while (next < connections && active.length < concurrent) active.push(open());
  let i = 0;
  while (active.length > 0) {
    if (i >= active.length) i = 0;
    const r = active[i].next();
    if (r.done) {
      if (next < connections) active[i] = open();
      else active.splice(i, 1);
      continue;
    }
    w.writePacket(ts, buildTcpFrame(r.value));
    ts += packetIntervalMs;
    i++;
  }
  w.close();
  fs.renameSync(tmp, file);
  return file;
}

/**
 * Returns the path of the synthetic capture for these parameters, generating it on first use.
 * Defaults: 20,000 connections x 10 pairs = 720,000 packets, 200 interleaved, 1 ms apart.
 */
async function ensureSyntheticCapture({
  connections = 20000,
  pairs = 10,
  concurrent = 200,
  packetIntervalMs = 1,
} = {}) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const file = path.join(
    CACHE_DIR,
    `synthetic-v${FORMAT_VERSION}-c${connections}-p${pairs}-k${concurrent}-i${packetIntervalMs}.pcap`,
  );
  if (!fs.existsSync(file))
    writeExchangeCapture(file, {
      port: SERVER_PORT,
      exchange: echoExchange,
      connections,
      pairs,
      concurrent,
      packetIntervalMs,
    });
  return file;
}

/** Packets in a synthetic capture with these parameters (for reports). */
function syntheticPacketCount({ connections = 20000, pairs = 10 } = {}) {
  return connections * (6 + 3 * pairs);
}

module.exports = {
  ensureSyntheticCapture,
  writeExchangeCapture,
  syntheticPacketCount,
  requestLine,
  SERVER_PORT,
  CACHE_DIR,
};

if (require.main === module) {
  ensureSyntheticCapture().then((f) => console.log(f));
}
