// Events/s into a real single-broker Kafka (scripts/kafka.js) through Pipeline + KafkaOutput, next
// to minimal loops of the candidate clients sending the same messages in the same batches with the
// idempotent producer: @platformatic/kafka (the one the output uses) and kafkajs.
'use strict';

const path = require('path');
const kafka = require(path.join(__dirname, '../../../scripts/kafka.js'));
const { Pipeline, createOutput, outputsConfigSchema } = require('../dist/index.js');
const { makeEvents } = require('./bench-events');

const N = Number(process.env.BENCH_EVENTS || 100_000);
const BATCH = 2048;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const NAME = `bench-${process.pid}`;
const quiet = {
  debug() {},
  info() {},
  warn() {},
  error: (m) => console.error(typeof m === 'string' ? m : JSON.stringify(m)),
};

/** The output's client loop: one send of BATCH messages at a time, gzip, idempotent. */
async function platformaticLoop(brokers, events, topic) {
  const lib = require(require.resolve('@platformatic/kafka', { paths: [path.join(__dirname, '..')] }));
  const p = new lib.Producer({
    clientId: 'bench',
    bootstrapBrokers: brokers,
    idempotent: true,
    compression: 'gzip',
    autocreateTopics: true,
    serializers: lib.stringSerializers,
  });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += BATCH) {
    const messages = events.slice(i, i + BATCH).map((e) => ({ topic, value: JSON.stringify(e.fields) }));
    await p.send({ messages });
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await p.close();
  return secs;
}

/** The same loop with kafkajs, the other pure-JavaScript candidate. */
async function kafkajsLoop(brokers, events, topic) {
  const { Kafka, CompressionTypes, logLevel } = require('kafkajs');
  const producer = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += BATCH) {
    const messages = events.slice(i, i + BATCH).map((e) => ({ value: JSON.stringify(e.fields) }));
    await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages });
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await producer.disconnect();
  return secs;
}

async function pipelineRun(brokers, events, topic) {
  const outputs = outputsConfigSchema.parse({ kafka: { hosts: brokers, topic, bulk_max_size: BATCH } });
  const out = createOutput(outputs, { beatName: 'bench', beatVersion: '0', logger: quiet, fields: [] });
  await out.connect();
  const t0 = process.hrtime.bigint();
  const p = new Pipeline(out, { maxEvents: 8192, batchSize: BATCH, policy: 'block', logger: quiet });
  for (const e of events) if (!p.publish(e)) await p.waitForSpace();
  const { undelivered } = await p.close(600_000);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (undelivered || p.counters().acked !== events.length)
    throw new Error(`pipeline: undelivered ${undelivered}`);
  return secs;
}

async function main() {
  // The full JIT, as a production broker runs (test brokers stop at the first tier to start sooner).
  const { brokers } = await kafka.start({ name: NAME, nodes: 1, fullJit: true });
  try {
    console.log(
      `Kafka ${kafka.KAFKA_VERSION} at ${brokers}; ${N} echo events, batches of ${BATCH}, gzip, idempotent, best of ${ROUNDS}`,
    );
    const runs = { platformatic: platformaticLoop, kafkajs: kafkajsLoop, pipeline: pipelineRun };
    const best = {};
    for (const [kind, run] of Object.entries(runs))
      await run(brokers, makeEvents(20_000, `w${kind}`), `warm-${kind}`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [kind, run] of Object.entries(runs)) {
        const topic = `${kind}-${round}`;
        const secs = await run(brokers, makeEvents(N, `${kind}${round}`), topic);
        const size = await kafka.topicSize(brokers, topic);
        if (size !== N) throw new Error(`${kind}: ${size} messages, expected ${N}`);
        console.log(
          `  round ${round + 1} ${kind.padEnd(12)} ${(N / secs).toFixed(0).padStart(7)} events/s (${secs.toFixed(2)} s)`,
        );
        best[kind] = Math.min(best[kind] ?? Infinity, secs);
      }
    }
    for (const kind of Object.keys(runs))
      console.log(`${kind.padEnd(12)} ${(N / best[kind]).toFixed(0)} events/s`);
    console.log(
      `ratio Pipeline+KafkaOutput / @platformatic/kafka loop: ${(best.platformatic / best.pipeline).toFixed(2)}`,
    );
    console.log(
      `ratio kafkajs loop / @platformatic/kafka loop: ${(best.platformatic / best.kafkajs).toFixed(2)}`,
    );
  } finally {
    await kafka.stop({ name: NAME });
  }
}

main().catch((e) => {
  console.error(`kafka.bench: ${e && e.message}`);
  process.exit(1);
});
