// Transaction events: correlate a request/response pair and build its event (common fields,
// serialised JSON) for 1,000,000 transactions over 1,000 connections, keeping the last 8,192
// events alive as a publisher queue would. pb_echo's end-to-end target is 140,000
// transactions/s on one core, so this part must stay far above it.
const {
  TransactionCorrelator,
  TransactionEventBuilder,
  TransactionTimeouts,
  createCounters,
  makeTcpTuple,
} = require('../dist/index.js');

const TRANSACTIONS = 1_000_000;
const CONNECTIONS = 1_000;

function run() {
  const builder = new TransactionEventBuilder('bench', { sendRequest: true });
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
        const e = events.build(tx, { status: 'OK', request: 'GET /index.html' });
        bytes += e.json.length;
        queue[published++ & 8191] = e;
      },
    });
    conns.push({ tuple, correlator });
  }
  let ts = 1.7e12;
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
  if (published !== TRANSACTIONS) throw new Error(`published ${published}`);
  return { secs, bytes };
}

run();
const { secs, bytes } = run();
console.log(
  `applayer correlate + build event: ${Math.round(TRANSACTIONS / secs).toLocaleString('en-US')} transactions/s, ` +
    `${Math.round((secs / TRANSACTIONS) * 1e9)} ns each, ${Math.round(bytes / TRANSACTIONS)} bytes of JSON ` +
    '(pb_echo end-to-end target: 140,000 transactions/s)',
);
