// A document the mapping refuses is reported, counted failed and not retried; the others are indexed.
import { createOutput, outputsConfigSchema, Pipeline } from '@wirebeat/publisher';
import { cleanup, countDocs, ES_TEST_TIMEOUT_MS, requireElasticsearch, uniqueBeat } from './helpers/es';
import { echoEvents, RecordingLogger } from './helpers/events';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

describe('Elasticsearch output: mapping rejections (real cluster)', () => {
  const beat = uniqueBeat('wb_reject');
  let url: string;
  beforeAll(() => {
    url = requireElasticsearch();
  });
  afterAll(async () => {
    if (url) await cleanup(url, `${beat}-*`, `${beat}-0.1.0`);
  });

  it('counts the conflicting documents as failed, logs each once with the reason, indexes the rest', async () => {
    const logger = new RecordingLogger();
    const outputs = outputsConfigSchema.parse({
      elasticsearch: { hosts: [url], bulk_max_size: 100, backoff: { init: '50ms', max: '200ms' } },
    });
    const out = createOutput(outputs, { beatName: beat, beatVersion: '0.1.0', logger, fields: [] });
    await out.connect();
    const p = new Pipeline(out, { policy: 'block' });
    const events = echoEvents(1000, 'rej');
    const bad = new Set([3, 250, 999]);
    for (const i of bad) (events[i].fields.source as Record<string, unknown>).ip = `not-an-ip-${i}`;
    for (const e of events) if (!p.publish(e)) await p.waitForSpace();
    const { undelivered } = await p.close(60_000);

    expect(undelivered).toBe(0);
    expect(p.counters()).toMatchObject({ published: 1000, acked: 997, failed: 3, retried: 0 });
    expect(await countDocs(url, `${beat}-*`)).toBe(997);
    const rejected = logger.matching('warn', /rejected by Elasticsearch, not retried/);
    expect(rejected).toHaveLength(3);
    for (const i of bad) {
      expect(rejected.filter((l) => l.includes(`event rej-${i} `))).toHaveLength(1);
    }
    expect(rejected[0]).toMatch(/document_parsing_exception|mapper_parsing_exception/);
    expect(rejected[0]).toMatch(/source\.ip/);
  });
});
