// pb_echo into a real Elasticsearch (provided by scripts/jest-es-setup.js): replaying pcaps/echo.pcap
// indexes one document per transaction with the template's mappings, and replaying it again adds nothing.
import * as path from 'path';
import {
  countDocs as count,
  esJson,
  requireElasticsearch,
} from '../../../packages/publisher/test/helpers/es';
import { events, PCAPS, runPbEcho } from './pb-echo-cli';

jest.setTimeout(600_000);

const CAPTURE = path.join(PCAPS, 'echo.pcap');

/** The exit metrics line pb_echo logs on stderr. */
function exitMetrics(stderr: string): { publisher: { acked: number; failed: number; published: number } } {
  const line = stderr.split('\n').find((l) => l.includes('"metrics at exit"'));
  if (!line) throw new Error(`no metrics line on stderr:\n${stderr}`);
  return (
    JSON.parse(line) as { metrics: { publisher: { acked: number; failed: number; published: number } } }
  ).metrics;
}

describe('pb_echo -I pcaps/echo.pcap into Elasticsearch', () => {
  const prefix = `pbecho_es_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let transactions: number;
  let esArgs: string[];

  beforeAll(async () => {
    url = requireElasticsearch();
    // The transaction count, from the console output of the same file.
    const r = await runPbEcho(['-I', CAPTURE, '-t']);
    expect(r.code).toBe(0);
    transactions = events(r.stdout).length;
    esArgs = [
      '-I',
      CAPTURE,
      '-t',
      '-E',
      `output.elasticsearch.hosts=["${url}"]`,
      '-E',
      `output.elasticsearch.index=${prefix}-%{+yyyy.MM.dd}`,
      '-E',
      `setup.template.name=${prefix}`,
      '-E',
      `setup.template.pattern=${prefix}-*`,
    ];
  });

  afterAll(async () => {
    if (!url) return;
    const resolved = await esJson<{ indices: Array<{ name: string }> }>(
      url,
      'GET',
      `/_resolve/index/${prefix}-*`,
    ).catch(() => ({
      indices: [],
    }));
    if (resolved.indices.length)
      await fetch(`${url}/${resolved.indices.map((i) => i.name).join(',')}`, { method: 'DELETE' });
    await fetch(`${url}/_index_template/${prefix}`, { method: 'DELETE' }).catch(() => undefined);
  });

  it('indexes one document per transaction', async () => {
    expect(transactions).toBeGreaterThan(10);
    const r = await runPbEcho(esArgs);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(''); // no console output when shipping to Elasticsearch
    expect(exitMetrics(r.stderr).publisher).toMatchObject({
      published: transactions,
      acked: transactions,
      failed: 0,
    });
    expect(await count(url, `${prefix}-*`)).toBe(transactions);
  });

  it('maps source.ip as ip (CIDR queries work) and event.duration as long', async () => {
    const mapping = await esJson<
      Record<
        string,
        { mappings: { properties: Record<string, { properties: Record<string, { type: string }> }> } }
      >
    >(url, 'GET', `/${prefix}-*/_mapping`);
    const props = Object.values(mapping)[0].mappings.properties;
    expect(props.source.properties.ip.type).toBe('ip');
    expect(props.destination.properties.ip.type).toBe('ip');
    expect(props.event.properties.duration.type).toBe('long');
    // echo.pcap was recorded on loopback.
    expect(await count(url, `${prefix}-*`, { term: { 'source.ip': '127.0.0.0/8' } })).toBe(transactions);
    expect(await count(url, `${prefix}-*`, { term: { 'source.ip': '10.0.0.0/8' } })).toBe(0);
    const errors = await count(url, `${prefix}-*`, { term: { status: 'Error' } });
    expect(errors).toBeGreaterThan(0);
    expect(await count(url, `${prefix}-*`, { range: { 'event.duration': { gte: 0 } } })).toBe(transactions);
  });

  it('adds nothing when the same file is replayed again (same ids rewrite the same documents)', async () => {
    const r = await runPbEcho(esArgs);
    expect(r.code).toBe(0);
    expect(exitMetrics(r.stderr).publisher).toMatchObject({ acked: transactions, failed: 0 });
    expect(await count(url, `${prefix}-*`)).toBe(transactions);
  });

  it('ships into pb_echo-<version>-<day> indices by default (the documented contract)', async () => {
    const r = await runPbEcho(['-I', CAPTURE, '-t', '-E', `output.elasticsearch.hosts=["${url}"]`]);
    expect(r.code).toBe(0);
    const day = (events((await runPbEcho(['-I', CAPTURE, '-t'])).stdout)[0]['@timestamp'] as string)
      .slice(0, 10)
      .replace(/-/g, '.');
    const indices = await esJson<Array<{ index: string }>>(
      url,
      'GET',
      '/_cat/indices/pb_echo-*?format=json&h=index',
    );
    expect(indices.map((i) => i.index)).toContain(`pb_echo-0.1.0-${day}`);
  });

  it('`test output` reports the server version', async () => {
    const r = await runPbEcho(['test', 'output', '-E', `output.elasticsearch.hosts=["${url}"]`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/elasticsearch: .* OK, version \d+\.\d+\.\d+/);
  });
});
