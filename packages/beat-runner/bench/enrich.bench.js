// Cost of what the beat adds to every event (EventEnricher): events/s of building an echo event
// alone, then with the enrichment on its fast path (appended to the JSON text), then on the object
// path (a processor configured: the event is parsed and serialised again); network.direction (on
// every event, as Packetbeat 8) is written into the text on the fast path.
const { TransactionEventBuilder } = require('@wirebeat/applayer');
const { agentInfo, buildProcessors, EventEnricher, hostInfo } = require('../dist/internal');
const { directionRule } = require('../dist/events/direction');

const N = Number(process.env.ENRICH_BENCH_EVENTS || 300_000);
const tuple = {
  ipVersion: 4,
  srcIp: '10.0.0.1',
  srcPort: 40000,
  dstIp: '10.0.0.2',
  dstPort: 3030,
  connectionId: 'c1',
};
const conn = new TransactionEventBuilder('echo').forConnection(tuple);
const base = {
  host: hostInfo(),
  agent: agentInfo('pb_echo', '0.1.0', 'bench', '6c3a7c57-3b41-4b8e-9d1e-2a3f4b5c6d7e'),
  tags: [],
  fields: {},
  fieldsUnderRoot: false,
  processors: [],
};

function build(i) {
  const ts = 1_796_000_000_000 + i;
  return conn.build(
    { index: i, request: { ts, size: 13 }, response: { ts: ts + 1, size: 13 }, notes: undefined },
    { status: 'OK', fieldsJson: '{"echoed":true}' },
  );
}

/** Best events/s of five rounds of N events through `step`; bytes are summed so nothing is optimised away. */
function measure(name, step) {
  let best = 0;
  let bytes = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const e = step(build(i));
      bytes += (e.json ?? JSON.stringify(e.fields)).length;
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, N / s);
  }
  console.log(
    `${name.padEnd(48)} ${Math.round(best).toLocaleString('en')} events/s (${Math.round(bytes / N / 5)} bytes/event)`,
  );
  return best;
}

const plain = measure('build only', (e) => e);
const fast = new EventEnricher(base);
const fastRate = measure('build + enrich (fast path)', (e) => fast.apply(e));
const directed = new EventEnricher({ ...base, direction: directionRule([], ['10.0.0.2']) });
const directedRate = measure('build + enrich + network.direction (fast path)', (e) => directed.apply(e));
const slow = new EventEnricher({
  ...base,
  processors: buildProcessors([{ drop_fields: { fields: ['echo.x'] } }]),
});
const slowRate = measure('build + enrich + 1 processor (object path)', (e) => slow.apply(e));
console.log(
  `enrichment cost per event: fast path ${(1e9 / fastRate - 1e9 / plain).toFixed(0)} ns, with network.direction ${(1e9 / directedRate - 1e9 / plain).toFixed(0)} ns, object path ${(1e9 / slowRate - 1e9 / plain).toFixed(0)} ns`,
);
