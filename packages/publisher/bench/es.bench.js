// Events/s into a real Elasticsearch through Pipeline + ElasticsearchOutput, next to a plain loop of
// `_bulk` requests with the same documents and batch size, in the same run. Target: ratio >= 0.8.
// Uses ELASTICSEARCH_URL when set, else starts our local instance (scripts/es.js) and stops it after.
'use strict';

const path = require('path');
const es = require(path.join(__dirname, '../../../scripts/es.js'));
const { Client } = require('@elastic/elasticsearch');
const {
  Pipeline,
  createOutput,
  outputsConfigSchema,
  installTemplate,
  templateConfigSchema,
} = require('../dist/index.js');
const { makeEvents } = require('./bench-events');

const N = Number(process.env.BENCH_EVENTS || 200_000);
const BATCH = 1600;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const BEAT = 'wbbench';
const VERSION = '0.1.0';
const quiet = {
  debug() {},
  info() {},
  warn() {},
  error: (m) => console.error(typeof m === 'string' ? m : JSON.stringify(m)),
};

async function deleteIndex(url, index) {
  await fetch(`${url}/${index}?ignore_unavailable=true`, { method: 'DELETE' });
}

async function count(url, index) {
  await fetch(`${url}/${index}/_refresh`, { method: 'POST' });
  const r = await fetch(`${url}/${index}/_count`);
  return (await r.json()).count;
}

/** The plain loop: build each bulk body and send it, one request at a time. */
async function plainLoop(client, events, index) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < events.length; i += BATCH) {
    let body = '';
    const end = Math.min(events.length, i + BATCH);
    for (let j = i; j < end; j++) {
      body += `{"create":{"_index":"${index}","_id":"${events[j].id}"}}\n${JSON.stringify(events[j].fields)}\n`;
    }
    const r = await client.transport.request({
      method: 'POST',
      path: '/_bulk',
      querystring: { filter_path: 'errors' },
      bulkBody: body,
    });
    if (r.errors) throw new Error('plain loop: bulk had errors');
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The pipeline: publish every event (waiting for space), then drain. */
async function pipelineRun(url, events, index) {
  const outputs = outputsConfigSchema.parse({
    elasticsearch: { hosts: [url], bulk_max_size: BATCH, worker: 1, index },
  });
  const out = createOutput(outputs, {
    beatName: BEAT,
    beatVersion: VERSION,
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
  const c = p.counters();
  if (undelivered || c.acked !== events.length)
    throw new Error(`pipeline: undelivered ${undelivered}, acked ${c.acked}`);
  return secs;
}

async function main() {
  let url = process.env.ELASTICSEARCH_URL;
  let started = false;
  if (!url) {
    // The full JIT (test nodes run on its first tier only, for a cheaper start).
    const r = await es.start({ javaOpts: process.env.WIREBEAT_ES_JAVA_OPTS || '-Xms512m -Xmx512m' });
    url = r.url;
    started = r.started;
  }
  url = url.replace(/\/$/, '');
  const client = new Client({ node: url, maxRetries: 0, requestTimeout: 120_000 });
  try {
    const template = templateConfigSchema.parse({ settings: { refresh_interval: '30s' } });
    await installTemplate(client, template, { beatName: BEAT, beatVersion: VERSION, fields: [] });
    console.log(
      `Elasticsearch at ${url}; ${N} echo events, batches of ${BATCH}, one request in flight, best of ${ROUNDS} interleaved rounds`,
    );
    // Warm-up (JIT on both sides), not measured.
    const warm = `${BEAT}-${VERSION}-warmup`;
    await plainLoop(client, makeEvents(40_000, 'w1'), warm);
    await pipelineRun(url, makeEvents(40_000, 'w2'), warm);
    await deleteIndex(url, warm);
    const best = { plain: Infinity, pipeline: Infinity };
    const times = { plain: [], pipeline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['plain', 'pipeline']) {
        const index = `${BEAT}-${VERSION}-${kind}`;
        await deleteIndex(url, index);
        const events = makeEvents(N, `${kind}${round}`);
        const secs =
          kind === 'plain' ? await plainLoop(client, events, index) : await pipelineRun(url, events, index);
        const docs = await count(url, index);
        if (docs !== N) throw new Error(`${kind}: ${docs} documents, expected ${N}`);
        console.log(
          `  round ${round + 1} ${kind.padEnd(8)} ${(N / secs).toFixed(0).padStart(7)} events/s (${secs.toFixed(2)} s)`,
        );
        best[kind] = Math.min(best[kind], secs);
        times[kind].push(secs);
        await deleteIndex(url, index);
      }
    }
    const plainRate = N / best.plain;
    const pipeRate = N / best.pipeline;
    console.log(`plain _bulk loop:            ${plainRate.toFixed(0)} events/s`);
    console.log(`Pipeline + ElasticsearchOutput: ${pipeRate.toFixed(0)} events/s`);
    const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
    console.log(
      `ratio: ${(pipeRate / plainRate).toFixed(2)} best vs best, ${(median(times.plain) / median(times.pipeline)).toFixed(2)} median vs median (target >= 0.8)`,
    );
  } finally {
    await fetch(`${url}/_index_template/${BEAT}-${VERSION}`, { method: 'DELETE' }).catch(() => undefined);
    await client.close();
    if (started) await es.stop();
  }
}

main().catch((e) => {
  console.error(`es.bench: ${e && e.message}`);
  process.exit(1);
});
