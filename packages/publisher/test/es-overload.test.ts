// Overload: `thread_pool.write.queue_size` is a static node setting, so this test runs its own second
// instance (scripts/es.js on a free port) with a write queue of 1 and one processor, whatever cluster
// the other tests use. Eight concurrent bulk workers then get 429s, which must be retried until
// every document is indexed.
import { createOutput, outputsConfigSchema, Pipeline } from '@wirebeat/publisher';
import {
  countDocs,
  esScript,
  ES_TEST_TIMEOUT_MS,
  freePorts,
  requireElasticsearch,
  stopAndRemove,
} from './helpers/es';
import { echoEvents, RecordingLogger } from './helpers/events';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

describe('Elasticsearch output under overload (own instance, write queue of 1)', () => {
  let url: string;
  let started = false;
  let port: number;

  beforeAll(async () => {
    requireElasticsearch(); // the shared setup must have worked (Java, download) for this one to
    const ports = await freePorts();
    port = ports.port;
    const r = await esScript.start({ ...ports, queueSize: 1, processors: 1 });
    started = r.started;
    url = r.url;
  });
  afterAll(async () => {
    if (started) await stopAndRemove(port);
  });

  it('retries 429 rejections until every document is indexed', async () => {
    const logger = new RecordingLogger();
    const outputs = outputsConfigSchema.parse({
      elasticsearch: { hosts: [url], bulk_max_size: 100, worker: 8, backoff: { init: '20ms', max: '500ms' } },
    });
    const out = createOutput(outputs, {
      beatName: 'wb_overload',
      beatVersion: '0.1.0',
      logger,
      fields: [],
      template: { settings: { refresh_interval: '1s' } },
    });
    await out.connect();
    const p = new Pipeline(out, { maxEvents: 4000, policy: 'block', logger });
    const n = 20_000;
    for (const e of echoEvents(n, 'ovl')) if (!p.publish(e)) await p.waitForSpace();
    const { undelivered } = await p.close(300_000);

    const c = p.counters();
    expect(undelivered).toBe(0);
    expect(c).toMatchObject({ published: n, acked: n, failed: 0, dropped: 0 });
    expect(c.retried).toBeGreaterThan(0);
    expect(logger.matching('warn', /es_rejected_execution_exception|429/).length).toBeGreaterThan(0);
    expect(await countDocs(url, 'wb_overload-*')).toBe(n);
  });
});
