// Index names as Beats users write them, against the real Elasticsearch: `%{[agent.version]}` and
// `%{[agent.name]}` are resolved, and an index the template pattern does not cover is refused.
import * as path from 'path';
import {
  cleanup,
  countDocs,
  esJson,
  requireElasticsearch,
} from '../../../packages/publisher/test/helpers/es';
import { events, PCAPS, plainStderrLines, runPbEcho } from './pb-echo-cli';

jest.setTimeout(600_000);

const CAPTURE = path.join(PCAPS, 'echo.pcap');

describe('output.elasticsearch.index with Beats placeholders', () => {
  const prefix = `pbidx_${process.pid}_${Date.now().toString(36)}`;
  let url: string;

  beforeAll(() => {
    url = requireElasticsearch();
  });
  afterAll(async () => {
    if (url) await cleanup(url, `${prefix}-*`, prefix);
  });

  it('resolves %{[agent.version]}, %{[agent.name]} and the day; the template (with host/agent mappings) applies', async () => {
    const r = await runPbEcho([
      '-I',
      CAPTURE,
      '-t',
      '-E',
      'name=Edge-1',
      '-E',
      `output.elasticsearch.hosts=["${url}"]`,
      '-E',
      `output.elasticsearch.index=${prefix}-%{[agent.version]}-%{[agent.name]}-%{+yyyy.MM.dd}`,
      '-E',
      `setup.template.name=${prefix}`,
      '-E',
      `setup.template.pattern=${prefix}-*`,
    ]);
    expect(plainStderrLines(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const first = events((await runPbEcho(['-I', CAPTURE, '-t'])).stdout);
    const day = (first[0]['@timestamp'] as string).slice(0, 10).replace(/-/g, '.');
    const index = `${prefix}-0.1.0-edge-1-${day}`;
    await esJson(url, 'POST', `/${index}/_refresh`);
    expect(await countDocs(url, index)).toBe(first.length);
    const mapping = await esJson<
      Record<
        string,
        { mappings: { properties: Record<string, { properties: Record<string, { type: string }> }> } }
      >
    >(url, 'GET', `/${index}/_mapping`);
    const props = mapping[index].mappings.properties;
    expect(props.related.properties.ip.type).toBe('ip');
    expect(props.agent.properties.ephemeral_id.type).toBe('keyword');
    expect(await countDocs(url, index, { term: { 'related.ip': '127.0.0.0/8' } })).toBe(first.length);
    expect(await countDocs(url, index, { term: { 'agent.name': 'Edge-1' } })).toBe(first.length);

    // Packetbeat's layout: bytes_in / bytes_out (and Beats 8's agent.hostname) are aliases, not stored.
    const aliases = props as unknown as Record<string, { type: string; path?: string }>;
    expect(aliases.bytes_in).toEqual({ type: 'alias', path: 'source.bytes' });
    expect(aliases.bytes_out).toEqual({ type: 'alias', path: 'destination.bytes' });
    expect(props.agent.properties.hostname).toEqual({ type: 'alias', path: 'agent.name' });
    const withBytes = (e: Record<string, unknown>) => (e.source as { bytes: number }).bytes === 13;
    expect(first.filter(withBytes).length).toBeGreaterThan(0);
    expect(await countDocs(url, index, { term: { bytes_in: 13 } })).toBe(first.filter(withBytes).length);
    expect(await countDocs(url, index, { range: { bytes_out: { gte: 0 } } })).toBe(first.length);
    expect(await countDocs(url, index, { term: { 'agent.hostname': 'Edge-1' } })).toBe(first.length);
    expect(await countDocs(url, index, { terms: { 'event.category': ['network_traffic'] } })).toBe(
      first.length,
    );
    const hit = await esJson<{ hits: { hits: Array<{ _source: Record<string, unknown> }> } }>(
      url,
      'GET',
      `/${index}/_search?size=1`,
    );
    expect(hit.hits.hits[0]._source).not.toHaveProperty('bytes_in');
  });

  it('refuses, in one line and before connecting, an index the template pattern does not cover', async () => {
    const r = await runPbEcho([
      '-I',
      CAPTURE,
      '-t',
      '-E',
      `output.elasticsearch.hosts=["${url}"]`,
      '-E',
      `output.elasticsearch.index=${prefix}x-%{+yyyy.MM.dd}`,
    ]);
    expect(r.code).toBe(1);
    expect(plainStderrLines(r.stderr)).toEqual([
      `pb_echo: output.elasticsearch.index "${prefix}x-%{+yyyy.MM.dd}" gives indices like ${prefix}x-2026.01.01 that setup.template.pattern "pb_echo-0.1.0-*" does not cover: set setup.template.name and setup.template.pattern to match it`,
    ]);
    expect(await countDocs(url, `${prefix}x-*`)).toBe(0);
  });
});
