// Echo analyzer throughput without capture or reassembly: 20,000 connections x 10 request/response
// pairs pushed through ProtocolDispatcher -> echo plugin -> events -> JSON.stringify, the part of
// pb_echo's end-to-end budget (target ~140,000 transactions/s on one core) that this package owns.
const { ProtocolDispatcher } = require('@wirebeat/applayer');
const { echoProtocol } = require('../dist/index.js');

const CONNECTIONS = 20_000;
const PAIRS = 10;
const TARGET_TPS = 140_000;

function run(serialise) {
  let bytes = 0;
  let events = 0;
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  const publish = (e) => {
    bytes += Buffer.byteLength(serialise(e)); // flattens the string, as writing it out would
    events++;
  };
  const config = echoProtocol.configSchema.parse({});
  const d = new ProtocolDispatcher([{ module: echoProtocol, config }], { publish, logger });
  const segment = Buffer.alloc(128);
  let ts = 1_700_000_000_000;
  const start = process.hrtime.bigint();
  for (let c = 0; c < CONNECTIONS; c++) {
    const conn = {
      id: c,
      ipVersion: 4,
      clientIp: `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`,
      clientPort: 10000 + (c % 50000),
      serverIp: '10.0.0.1',
      serverPort: 3030,
      openedAt: ts,
      idleTimeoutMs: 60_000,
      userData: undefined,
    };
    d.onConnectionOpen(conn, ts);
    for (let p = 0; p < PAIRS; p++) {
      const n = segment.write(`>message number ${p} of connection ${c} padding...\n`, 'latin1');
      d.onData(conn, 0, segment.subarray(0, n), (ts += 1));
      segment[0] = 0x3c;
      d.onData(conn, 1, segment.subarray(0, n), (ts += 1));
      d.tick(ts);
    }
    d.onFin(conn, 0, ts);
    d.onFin(conn, 1, ts);
    d.onConnectionClose(conn, 'fin', ts);
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (events !== CONNECTIONS * PAIRS)
    throw new Error(`expected ${CONNECTIONS * PAIRS} events, got ${events}`);
  return { secs, bytes };
}

// Outputs write event.json (built flat by applayer); JSON.stringify(fields) is the generic path.
const modes = {
  'event.json': (e) => e.json,
};
for (const [name, serialise] of Object.entries(modes)) {
  run(serialise);
  const { secs, bytes } = run(serialise);
  const tps = (CONNECTIONS * PAIRS) / secs;
  console.log(
    `echo dispatch+events (${name}): ${Math.round(tps).toLocaleString('en-US')} transactions/s, ` +
      `${Math.round(bytes / (CONNECTIONS * PAIRS))} bytes/event`,
  );
}
console.log(
  `(pb_echo's end-to-end target, ${TARGET_TPS.toLocaleString('en-US')} transactions/s, also covers capture decoding, reassembly and output)`,
);
