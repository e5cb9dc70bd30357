// Memory of open echo connections: 300,000 connections (handshake + one request, no response yet)
// fed through pb_echo's pipeline stages in process: TcpReassembler -> ProtocolDispatcher -> echo.
// Prints peak RSS and the heap they hold; target: peak RSS < 400 MB with 300,000 pending requests.
// Each case runs in its own child process so that peak RSS figures do not mix:
//  - reassembly-only: the reassembler with a consumer that keeps nothing (its share of the memory);
//  - echo: the full stack with the default options (send_request / send_response off);
//  - echo-send-request: the same with send_request and send_response on (request text kept).
// At the end every connection is closed (end of input) and each pending request must come out as
// exactly one Error event: nothing evicted silently.
const { spawnSync } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '../../..');
const CONNECTIONS = Number(process.env.OPEN_CONNECTIONS || 300_000);
const TARGET_MB = 400;
const CASES = ['reassembly-only', 'echo', 'echo-send-request'];

/** Heap in use after full garbage collections (needs --expose-gc; NaN without it). */
function heapAfterGc() {
  if (typeof global.gc !== 'function') return NaN;
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

/** The frames of connection `c`: SYN, SYN-ACK, ACK, then one request (40-60 bytes). */
function* connectionFrames(c, build, flags, requestLine) {
  const client = `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`;
  const port = 1024 + (c % 64000);
  const cisn = (c * 2654435761) >>> 0;
  const sisn = (c * 40503 + 12345) >>> 0;
  const server = '10.0.0.1';
  yield build({
    src: client,
    dst: server,
    srcPort: port,
    dstPort: 3030,
    seq: cisn,
    ack: 0,
    flags: flags.SYN,
  });
  yield build({
    src: server,
    dst: client,
    srcPort: 3030,
    dstPort: port,
    seq: sisn,
    ack: (cisn + 1) >>> 0,
    flags: flags.SYN | flags.ACK,
  });
  yield build({
    src: client,
    dst: server,
    srcPort: port,
    dstPort: 3030,
    seq: (cisn + 1) >>> 0,
    ack: (sisn + 1) >>> 0,
    flags: flags.ACK,
  });
  yield build({
    src: client,
    dst: server,
    srcPort: port,
    dstPort: 3030,
    seq: (cisn + 1) >>> 0,
    ack: (sisn + 1) >>> 0,
    flags: flags.PSH | flags.ACK,
    payload: requestLine(c, 0),
  });
}

function runCase(name) {
  const { TcpReassembler, LinkType, TcpFlags, buildTcpFrame } = require(
    path.join(ROOT, 'packages/tcp-reassembly/dist/index.js'),
  );
  const { ProtocolDispatcher } = require(path.join(ROOT, 'packages/applayer/dist/index.js'));
  const { echoProtocol } = require(path.join(ROOT, 'packages/protocol-echo/dist/index.js'));
  const { requestLine } = require(path.join(ROOT, 'packages/tcp-reassembly/bench/synthetic.js'));
  const silent = { debug() {}, info() {}, warn() {}, error() {} };

  const heapBefore = heapAfterGc();
  const published = { total: 0, error: 0, withRequestText: 0 };
  let consumer;
  let dispatcher;
  if (name === 'reassembly-only') {
    consumer = {
      onConnectionOpen() {},
      onData() {},
      onGap() {},
      onFin() {},
      onConnectionClose() {},
    };
  } else {
    const sendText = name === 'echo-send-request';
    const config = echoProtocol.configSchema.parse({ send_request: sendText, send_response: sendText });
    dispatcher = new ProtocolDispatcher([{ module: echoProtocol, config }], {
      publish(e) {
        published.total++;
        const json = e.json ?? JSON.stringify(e.fields);
        if (json.includes('"status":"Error"')) published.error++;
        if (json.includes('"request":')) published.withRequestText++;
      },
      logger: silent,
    });
    consumer = dispatcher;
  }
  const reassembler = new TcpReassembler(consumer, {
    isServerPort: (p) => p === 3030,
    maxConnections: CONNECTIONS + 1,
  });
  // Every frame 5 µs apart: 300,000 connections take 6 s of packet time, under the 10 s
  // transaction timeout and the 60 s idle timeout, so that all of them are open at the end.
  const start = Date.UTC(2026, 0, 1);
  let ts = start;
  const t0 = process.hrtime.bigint();
  for (let c = 0; c < CONNECTIONS; c++) {
    for (const data of connectionFrames(c, buildTcpFrame, TcpFlags, requestLine)) {
      reassembler.processFrame({ ts, linktype: LinkType.ETHERNET, data, origLen: data.length });
      ts += 0.005;
    }
    if (dispatcher !== undefined && (c & 1023) === 0) dispatcher.tick(ts);
  }
  const feedSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const open = reassembler.activeConnections;
  const heapOpen = heapAfterGc();
  const rssOpen = process.memoryUsage().rss;
  const peakRssOpen = process.resourceUsage().maxRSS * 1024;
  const pending = dispatcher ? dispatcher.counters().echo : undefined;
  reassembler.closeAll('eof');
  const mb = (n) => +(n / 1048576).toFixed(1);
  const result = {
    case: name,
    connections: CONNECTIONS,
    open,
    feedSeconds: +feedSeconds.toFixed(2),
    heapHeldMb: mb(heapOpen - heapBefore),
    heapBytesPerConnection: Math.round((heapOpen - heapBefore) / CONNECTIONS),
    rssOpenMb: mb(rssOpen),
    peakRssMb: mb(peakRssOpen),
  };
  if (pending !== undefined) {
    Object.assign(result, {
      messagesBeforeClose: pending.messages,
      transactionsBeforeClose: pending.transactions,
      published: published.total,
      publishedError: published.error,
      publishedWithRequestText: published.withRequestText,
    });
    const counters = dispatcher.counters().echo;
    if (published.total !== CONNECTIONS || published.error !== CONNECTIONS) {
      throw new Error(`expected ${CONNECTIONS} Error events at close, got ${JSON.stringify(published)}`);
    }
    if (counters.missing_responses !== CONNECTIONS) {
      throw new Error(`expected ${CONNECTIONS} missing responses, got ${counters.missing_responses}`);
    }
    if (counters.evicted_requests !== undefined) result.evictedRequests = counters.evicted_requests;
  }
  if (open !== CONNECTIONS) throw new Error(`expected ${CONNECTIONS} open connections, got ${open}`);
  console.log(JSON.stringify(result));
}

function main() {
  const rows = [];
  for (const name of CASES) {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', path.join(__dirname, 'open-connections.bench.js'), name],
      {
        encoding: 'utf8',
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (r.status !== 0) throw new Error(`case ${name} exited with ${r.status}: ${r.stdout}`);
    const row = JSON.parse(r.stdout.trim().split('\n').pop());
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  for (const row of rows) {
    console.log(
      `${row.case}: ${row.connections} connections open, peak RSS ${row.peakRssMb} MB, ` +
        `heap held ${row.heapHeldMb} MB (${row.heapBytesPerConnection} B per connection)`,
    );
  }
  const echo = rows.find((r) => r.case === 'echo');
  const verdict = echo.peakRssMb < TARGET_MB ? 'OK' : 'ABOVE TARGET';
  console.log(`echo, default options: peak RSS ${echo.peakRssMb} MB (target < ${TARGET_MB} MB): ${verdict}`);
}

if (process.argv[2]) runCase(process.argv[2]);
else main();
