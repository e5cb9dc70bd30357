// Against the real cluster (scripts/jest-es-setup.js): exact counts, idempotent replays, the template.
import {
  createOutput,
  outputsConfigSchema,
  Pipeline,
  setupTemplate,
  testOutput,
  type OutputContext,
} from '@wirebeat/publisher';
import {
  cleanup,
  countDocs,
  esJson,
  esScript,
  ES_TEST_TIMEOUT_MS,
  requireElasticsearch,
  uniqueBeat,
} from './helpers/es';
import { echoEvents, RecordingLogger } from './helpers/events';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

describe('Elasticsearch output (real cluster)', () => {
  const beat = uniqueBeat('wb_bulk');
  const logger = new RecordingLogger();
  const ctx: OutputContext = {
    beatName: beat,
    beatVersion: '0.1.0',
    logger,
    fields: [{ name: 'echo.request_marker', type: 'keyword', description: 'marker' }],
  };
  let url: string;
  let outputs: ReturnType<typeof outputsConfigSchema.parse>;

  beforeAll(() => {
    url = requireElasticsearch();
    outputs = outputsConfigSchema.parse({ elasticsearch: { hosts: [url], bulk_max_size: 500, worker: 2 } });
  });
  afterAll(async () => {
    if (url) await cleanup(url, `${beat}-*`, `${beat}-0.1.0`);
  });

  async function ship(n: number): Promise<ReturnType<Pipeline['counters']> & { undelivered: number }> {
    const out = createOutput(outputs, ctx);
    await out.connect();
    const p = new Pipeline(out, { maxEvents: 4000, policy: 'block' });
    // Two days of events, so that two daily indices are written.
    for (const e of echoEvents(n, 'bulk', Date.UTC(2026, 10, 28, 23, 59, 58))) {
      if (!p.publish(e)) await p.waitForSpace();
    }
    const { undelivered } = await p.close(120_000);
    return { ...p.counters(), undelivered };
  }

  it('reports connectivity and the server version', async () => {
    await expect(testOutput(outputs, ctx)).resolves.toMatch(
      /^elasticsearch: http:\/\/127\.0\.0\.1:\d+ OK, version \d+\.\d+\.\d+/,
    );
    if (process.env.WIREBEAT_ES_MANAGED === '1') {
      await expect(testOutput(outputs, ctx)).resolves.toContain(`version ${esScript.ES_VERSION}`);
    }
  });

  it('fails the connectivity test with one clear line when nothing listens', async () => {
    const down = outputsConfigSchema.parse({
      elasticsearch: { hosts: ['http://127.0.0.1:1'], timeout: '2s' },
    });
    await expect(testOutput(down, ctx)).rejects.toThrow(
      /^elasticsearch: http:\/\/127\.0\.0\.1:1: ConnectionError/,
    );
  });

  it('indexes every event exactly once into daily indices named after the beat', async () => {
    const c = await ship(5000);
    expect(c).toMatchObject({ published: 5000, acked: 5000, failed: 0, dropped: 0, undelivered: 0 });
    expect(await countDocs(url, `${beat}-*`)).toBe(5000);
    const indices = await esJson<Array<{ index: string }>>(
      url,
      'GET',
      `/_cat/indices/${beat}-*?format=json&h=index`,
    );
    expect(indices.map((i) => i.index).sort()).toEqual([
      `${beat}-0.1.0-2026.11.28`,
      `${beat}-0.1.0-2026.11.29`,
    ]);
  });

  it('adds nothing when the same events are sent again (same ids rewrite the same documents)', async () => {
    const c = await ship(5000);
    expect(c).toMatchObject({ acked: 5000, failed: 0, retried: 0, undelivered: 0 });
    expect(await countDocs(url, `${beat}-*`)).toBe(5000);
  });

  it('maps fields from the template: ip answers CIDR queries, duration is a long', async () => {
    const mapping = await esJson<
      Record<
        string,
        { mappings: { properties: Record<string, { properties: Record<string, { type: string }> }> } }
      >
    >(url, 'GET', `/${beat}-0.1.0-2026.11.29/_mapping`);
    const props = Object.values(mapping)[0].mappings.properties;
    expect(props.source.properties.ip.type).toBe('ip');
    expect(props.event.properties.duration.type).toBe('long');
    expect(props.echo.properties.request_marker.type).toBe('keyword');
    // echoEvents gives event i the client 10.(i>>16).(i>>8 & 255).(i & 255): 10.0.1.0/24 is events 256..511.
    expect(await countDocs(url, `${beat}-*`, { term: { 'source.ip': '10.0.1.0/24' } })).toBe(256);
    expect(await countDocs(url, `${beat}-*`, { range: { 'event.duration': { gte: 6_000_000 } } })).toBe(
      Array.from({ length: 5000 }, (_, i) => i % 7).filter((d) => d === 6).length,
    );
  });

  it('installs the template with `setup`, even when installing at start is disabled', async () => {
    const name = `${beat}_setup`;
    await setupTemplate(outputs, { ...ctx, template: { enabled: false, name, pattern: `${name}-*` } });
    const t = await esJson<{
      index_templates: Array<{ name: string; index_template: { index_patterns: string[] } }>;
    }>(url, 'GET', `/_index_template/${name}`);
    expect(t.index_templates[0].index_template.index_patterns).toEqual([`${name}-*`]);
    await cleanup(url, `${name}-*`, name);
  });
});
