// Events/s into a three-node Elasticsearch cluster (scripts/es.js startCluster, ports
// $ES_CLUSTER_PORTS, default 9206-9208) through Pipeline + ElasticsearchOutput with the three hosts,
// next to a minimal loop of `_bulk` requests with the same documents, batch size and requests in
// flight, spread round-robin over the same hosts.
'use strict';

const path = require('path');
const es = require(path.join(__dirname, '../../../scripts/es.js'));
const { Client } = require('@elastic/elasticsearch');
const { Pipeline, createOutput, outputsConfigSchema } = require('../dist/index.js');
const { makeEvents } = require('./bench-events');

const N = Number(process.env.BENCH_EVENTS || 100_000);
const BATCH = 1600;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const PORTS = (process.env.ES_CLUSTER_PORTS || '9206,9207,9208').split(',').map(Number);
const HOSTS = PORTS.map((p) => `http://127.0.0.1:${p}`);
const quiet = {
  debug() {},
  info() {},
  warn() {},
  error: (m) => console.error(typeof m === 'string' ? m : JSON.stringify(m)),
};

async function count(index) {
  await fetch(`${HOSTS[0]}/${index}/_refresh`, { method: 'POST' });
  return (await (await fetch(`${HOSTS[0]}/${index}/_count`)).json()).count;
}

/** One request in flight per host, round-robin, as the output with worker 1. */
async function plainLoop(events, index) {
  const client = new Client({ nodes: HOSTS, maxRetries: 0, requestTimeout: 120_000 });
  const t0 = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const i = next;
      next += BATCH;
      let body = '';
      for (const e of events.slice(i, i + BATCH))
        body += `{"index":{"_index":"${index}","_id":"${e.id}"}}\n${JSON.stringify(e.fields)}\n`;
      const r = await client.transport.request({
        method: 'POST',
        path: '/_bulk',
        querystring: { filter_path: 'errors' },
        bulkBody: body,
      });
      if (r.errors) throw new Error('plain loop: bulk had errors');
    }
  };
  await Promise.all(HOSTS.map(worker));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await client.close();
  return secs;
}

async function pipelineRun(events, index) {
  const outputs = outputsConfigSchema.parse({
    elasticsearch: { hosts: HOSTS, bulk_max_size: BATCH, worker: 1, index },
  });
  const out = createOutput(outputs, {
    beatName: 'wbcl',
    beatVersion: '0',
    logger: quiet,
    fields: [],
    template: { enabled: false },
  });
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
  // The full JIT (test nodes run on its first tier only, for a cheaper start).
  const r = await es.startCluster({ ports: PORTS, javaOpts: '-Xms256m -Xmx256m' });
  try {
    console.log(
      `Elasticsearch cluster ${HOSTS.join(' ')}; ${N} echo events, batches of ${BATCH}, one request in flight per host, best of ${ROUNDS}`,
    );
    const runs = { plain: plainLoop, pipeline: pipelineRun };
    const best = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [kind, run] of Object.entries(runs)) {
        const index = `wbcl-bench-${kind}`;
        await fetch(`${HOSTS[0]}/${index}?ignore_unavailable=true`, { method: 'DELETE' });
        const secs = await run(makeEvents(N, `${kind}${round}`), index);
        const docs = await count(index);
        if (docs !== N) throw new Error(`${kind}: ${docs} documents, expected ${N}`);
        console.log(
          `  round ${round + 1} ${kind.padEnd(8)} ${(N / secs).toFixed(0).padStart(7)} events/s (${secs.toFixed(2)} s)`,
        );
        best[kind] = Math.min(best[kind] ?? Infinity, secs);
        await fetch(`${HOSTS[0]}/${index}`, { method: 'DELETE' });
      }
    }
    console.log(`plain _bulk loop over 3 hosts:  ${(N / best.plain).toFixed(0)} events/s`);
    console.log(`Pipeline + ElasticsearchOutput: ${(N / best.pipeline).toFixed(0)} events/s`);
    console.log(`ratio: ${(best.plain / best.pipeline).toFixed(2)}`);
  } finally {
    if (r.started) for (const port of PORTS) await es.stop({ port });
  }
}

main().catch((e) => {
  console.error(`es-cluster.bench: ${e && e.message}`);
  process.exit(1);
});
