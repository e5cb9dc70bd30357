// Transaction events: correlate a request/response pair and build its event (common fields,
// serialised JSON) for 1,000,000 transactions over 1,000 connections, keeping the last 8,192
// events alive as a publisher queue would. pb_echo's end-to-end target is 140,000
// transactions/s on one core, so this part must stay far above it. A second case gives each
// event an HTTP-like namespace object and top-level fields, written by the serialiser compiled
// from the protocol's field definitions.
const {
  TransactionCorrelator,
  TransactionEventBuilder,
  TransactionTimeouts,
  createCounters,
  makeTcpTuple,
} = require('../dist/index.js');

const TRANSACTIONS = 1_000_000;
const CONNECTIONS = 1_000;

const f = (name, type) => ({ name, type, description: name });
const FIELDS = [
  f('bench.version', 'keyword'),
  f('bench.request.method', 'keyword'),
  f('bench.request.bytes', 'long'),
  f('bench.request.body.bytes', 'long'),
  f('bench.response.status_code', 'long'),
  f('bench.response.status_phrase', 'keyword'),
  f('bench.response.bytes', 'long'),
  f('bench.response.body.bytes', 'long'),
  f('url.scheme', 'keyword'),
  f('url.original', 'keyword'),
  f('url.path', 'keyword'),
  f('method', 'keyword'),
  f('query', 'keyword'),
];

/** The details of a plain event (common fields and request text only). */
const plain = () => ({ status: 'OK', request: 'GET /index.html' });

/** The details of an event with HTTP-like protocol fields, built afresh as a protocol does. */
const withFields = (i) => ({
  status: 'OK',
  request: 'GET /index.html',
  fields: {
    version: '1.1',
    request: { method: 'GET', bytes: 48 + (i & 7), body: { bytes: 0 } },
    response: { status_code: 200, status_phrase: 'OK', bytes: 48, body: { bytes: i & 1023 } },
  },
  root: {
    url: { scheme: 'http', original: '/index.html', path: '/index.html' },
    method: 'GET',
    query: 'GET /index.html',
  },
});

function run(details) {
  let n = 0;
  const builder = new TransactionEventBuilder('bench', { sendRequest: true, fields: FIELDS });
  const timeouts = new TransactionTimeouts();
  const counters = createCounters();
  const queue = new Array(8192);
  let published = 0;
  let bytes = 0;
  const conns = [];
  for (let c = 0; c < CONNECTIONS; c++) {
    const tuple = makeTcpTuple({
      ipVersion: 4,
      clientIp: `10.0.${c >> 8}.${c & 255}`,
      clientPort: 20000 + c,
      serverIp: '10.0.0.1',
      serverPort: 3030,
      openedAt: 1.7e12,
    });
    const events = builder.forConnection(tuple);
    const correlator = new TransactionCorrelator({
      counters,
      timeouts,
      onTransaction: (tx) => {
        const e = events.build(tx, details(n++));
        bytes += e.json.length;
        queue[published++ & 8191] = e;
      },
    });
    conns.push({ tuple, correlator });
  }
  let ts = 1.7e12;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < TRANSACTIONS; i++) {
    const { tuple, correlator } = conns[i % CONNECTIONS];
    correlator.onRequest({
      ts,
      tuple,
      transport: 'tcp',
      direction: 0,
      isRequest: true,
      size: 48,
      notes: undefined,
    });
    correlator.onResponse({
      ts: ts + 0.4,
      tuple,
      transport: 'tcp',
      direction: 1,
      isRequest: false,
      size: 48,
      notes: undefined,
    });
    ts += 0.01;
    if ((i & 1023) === 0) timeouts.tick(ts);
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuSecs = (used.user + used.system) / 1e6;
  if (published !== TRANSACTIONS) throw new Error(`published ${published}`);
  return { secs, cpuSecs, bytes };
}

for (const [name, details] of [
  ['correlate + build event', plain],
  ['correlate + build event with protocol fields', withFields],
]) {
  // Best of three, by CPU time (wall time follows the machine's load).
  let best;
  for (let r = 0; r < 4; r++) {
    const got = run(details);
    if (r > 0 && (best === undefined || got.cpuSecs < best.cpuSecs)) best = got;
  }
  const { secs, cpuSecs, bytes } = best;
  console.log(
    `applayer ${name}: ${Math.round(TRANSACTIONS / secs).toLocaleString('en-US')} transactions/s, ` +
      `${Math.round((secs / TRANSACTIONS) * 1e9)} ns each (${Math.round((cpuSecs / TRANSACTIONS) * 1e9)} ns of CPU), ` +
      `${Math.round(bytes / TRANSACTIONS)} bytes of JSON ` +
      '(pb_echo end-to-end target: 140,000 transactions/s)',
  );
}
