// A beat may start before its cluster is reachable: connect() does not fail, the template is
// installed by the first batch that gets through, and nothing is lost meanwhile. The cluster is
// made unreachable with a TCP proxy in front of the shared test cluster.
import { createOutput, outputsConfigSchema, Pipeline } from '@wirebeat/publisher';
import {
  cleanup,
  countDocs,
  esJson,
  ES_TEST_TIMEOUT_MS,
  requireElasticsearch,
  uniqueBeat,
  urlPort,
} from './helpers/es';
import { echoEvents, RecordingLogger } from './helpers/events';
import { CuttableProxy } from './helpers/tcp-proxy';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

describe('Elasticsearch output started while the cluster is unreachable', () => {
  const beat = uniqueBeat('wb_late');
  let url: string;
  let proxy: CuttableProxy;

  beforeAll(async () => {
    url = requireElasticsearch();
    proxy = new CuttableProxy(new URL(url).hostname, urlPort(url));
    await proxy.listen();
    await proxy.cut();
  });
  afterAll(async () => {
    await proxy?.cut();
    if (url) await cleanup(url, `${beat}-*`, `${beat}-0.1.0`);
  });

  it('installs the template and delivers everything once the cluster answers', async () => {
    const logger = new RecordingLogger();
    const outputs = outputsConfigSchema.parse({
      elasticsearch: { hosts: [`http://127.0.0.1:${proxy.port}`], backoff: { init: '50ms', max: '500ms' } },
    });
    const out = createOutput(outputs, { beatName: beat, beatVersion: '0.1.0', logger, fields: [] });
    await out.connect();
    expect(logger.matching('warn', /not reachable yet/)).toHaveLength(1);
    const p = new Pipeline(out, { policy: 'block', batchSize: 100, logger });
    for (const e of echoEvents(1000, 'late')) if (!p.publish(e)) await p.waitForSpace();
    while (p.counters().retried === 0) await new Promise((r) => setTimeout(r, 50));
    expect(p.counters().acked).toBe(0);
    await proxy.restore();
    expect((await p.close(60_000)).undelivered).toBe(0);
    expect(p.counters()).toMatchObject({ acked: 1000, failed: 0 });
    expect(await countDocs(url, `${beat}-*`)).toBe(1000);
    const t = await esJson<{ index_templates: unknown[] }>(url, 'GET', `/_index_template/${beat}-0.1.0`);
    expect(t.index_templates).toHaveLength(1);
  });
});
