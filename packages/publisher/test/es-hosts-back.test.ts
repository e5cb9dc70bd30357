// Every host of a multi-host output down for a while, then back: the next request reaches the
// cluster. The hosts are proxies in front of the real cluster, cut and restored. @elastic/transport's
// weighted pool answered "no living connections" for hundreds of attempts after such an outage
// without trying any host (src/outputs/elasticsearch/pool.ts), which stalled pb_echo for minutes.
import { createClient, elasticsearchOutputSchema } from '@wirebeat/publisher';
import { ES_TEST_TIMEOUT_MS, requireElasticsearch, urlPort } from './helpers/es';
import { CuttableProxy } from './helpers/tcp-proxy';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

describe('Elasticsearch client over several hosts (real cluster behind cuttable proxies)', () => {
  const proxies: CuttableProxy[] = [];

  beforeAll(async () => {
    const url = requireElasticsearch();
    for (let i = 0; i < 3; i++) {
      const proxy = new CuttableProxy(new URL(url).hostname, urlPort(url));
      await proxy.listen();
      proxies.push(proxy);
    }
  });
  afterAll(() => Promise.all(proxies.map((p) => p.cut())));

  it('reaches the cluster on the first request after every host failed many times', async () => {
    const hosts = proxies.map((p) => `http://127.0.0.1:${p.port}`);
    const client = createClient(elasticsearchOutputSchema.parse({ hosts }));
    const health = () => client.cluster.health({}, { maxRetries: 2 });
    await expect(health()).resolves.toHaveProperty('cluster_name');
    await Promise.all(proxies.map((p) => p.cut()));
    // As a beat retries through an outage: each attempt fails on every host.
    for (let i = 0; i < 20; i++) await expect(health()).rejects.toThrow();
    await Promise.all(proxies.map((p) => p.restore()));
    for (let i = 0; i < hosts.length; i++) await expect(health()).resolves.toHaveProperty('cluster_name');
    await client.close();
  });
});
