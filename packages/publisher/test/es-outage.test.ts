// Outage: Elasticsearch goes away in the middle of a large stream of batches and comes back; at the
// end the document count equals the number of events exactly (nothing lost, nothing duplicated).
// When our script runs the cluster, this test really stops and starts an instance of its own
// (on free ports, data kept across the restart) so that other test files and concurrent runs keep theirs.
// With an external ELASTICSEARCH_URL it cannot stop the server: a TCP proxy is cut instead.
import { createOutput, outputsConfigSchema, Pipeline } from '@wirebeat/publisher';
import { cleanup, countDocs, ES_TEST_TIMEOUT_MS } from './helpers/es';
import { echoEvents, RecordingLogger } from './helpers/events';
import { OutageCluster, outageUsesProxy } from './helpers/outage';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe(`Elasticsearch output through an outage (${outageUsesProxy ? 'proxy cut' : 'real stop and start'})`, () => {
  const cluster = new OutageCluster();

  beforeAll(() => cluster.open());
  afterAll(async () => {
    if (cluster.url) await cleanup(cluster.url, 'wb_outage-*', 'wb_outage-0.1.0');
    await cluster.close();
  });

  it('delivers every event exactly once after the cluster comes back', async () => {
    const logger = new RecordingLogger();
    const outputs = outputsConfigSchema.parse({
      elasticsearch: {
        hosts: [cluster.target],
        bulk_max_size: 500,
        worker: 2,
        timeout: '10s',
        backoff: { init: '100ms', max: '1s' },
      },
    });
    const out = createOutput(outputs, { beatName: 'wb_outage', beatVersion: '0.1.0', logger, fields: [] });
    await out.connect();
    const p = new Pipeline(out, { maxEvents: 5000, policy: 'block', logger });
    const n = 60_000;
    const events = echoEvents(n, 'out');
    let next = 0;
    const producer = (async () => {
      while (next < n) if (!p.publish(events[next++])) await p.waitForSpace();
    })();

    await until('the first 10,000 acks', () => p.counters().acked >= 10_000);
    await cluster.down();
    const ackedAtCut = p.counters().acked;
    const retriedAtCut = p.counters().retried;
    await until('retries while the cluster is down', () => p.counters().retried > retriedAtCut);
    await sleep(2000);
    // Down: nothing more gets acked, the queue is full and the producer waits.
    expect(p.counters().acked - ackedAtCut).toBeLessThanOrEqual(1000);
    expect(p.counters().queued).toBeLessThanOrEqual(5000);
    expect(p.full).toBe(true);
    expect(next).toBeLessThan(n);

    await cluster.up();
    await producer;
    const { undelivered } = await p.close(300_000);

    expect(undelivered).toBe(0);
    expect(p.counters()).toMatchObject({ published: n, acked: n, failed: 0, dropped: 0 });
    expect(await countDocs(cluster.url, 'wb_outage-*')).toBe(n);
  });
});
