// Regression (issue 11, item 3): replaying a truncated capture indexes "response missing: end of
// input" placeholders under the ids the complete transactions get; replaying the complete capture
// must replace them, and replaying the truncated one afterwards must leave the complete ones alone.
import * as path from 'path';
import { cleanup, esJson, requireElasticsearch } from '../../../packages/publisher/test/helpers/es';
import { withoutBeatFields } from '@wirebeat/testing';
import { events, PCAPS, runPbEcho } from './pb-echo-cli';

jest.setTimeout(600_000);

const FULL = path.join(PCAPS, 'echo.pcap');
const TRUNCATED = path.join(PCAPS, 'echo-truncated.pcap');
const PROTOCOLS = 'pb_echo.protocols=[{type: echo, send_request: true, send_response: true}]';
const END_OF_INPUT = 'response missing: end of input';

type Doc = Record<string, unknown>;

/** Documents in a stable order, so that two sets compare element by element. */
const sorted = (docs: Doc[]): Doc[] =>
  docs
    .map((d) => JSON.stringify(d))
    .sort()
    .map((s) => JSON.parse(s) as Doc);

describe('pb_echo into Elasticsearch: truncated and complete replays of one capture', () => {
  const run = `pbecho_prov_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let complete: Doc[];
  let truncated: Doc[];

  /** pb_echo -I `file` into indices `<prefix>-*`; returns the exit code. */
  async function replay(file: string, prefix: string): Promise<number | null> {
    const r = await runPbEcho([
      '-I',
      file,
      '-t',
      '-E',
      PROTOCOLS,
      '-E',
      `output.elasticsearch.hosts=["${url}"]`,
      '-E',
      `output.elasticsearch.index=${prefix}-%{+yyyy.MM.dd}`,
      '-E',
      `setup.template.name=${prefix}`,
      '-E',
      `setup.template.pattern=${prefix}-*`,
    ]);
    return r.code;
  }

  /** Every stored document of `<prefix>-*`. */
  async function stored(prefix: string): Promise<Doc[]> {
    await esJson(url, 'POST', `/${prefix}-*/_refresh`);
    const r = await esJson<{ hits: { hits: Array<{ _source: Doc }> } }>(url, 'POST', `/${prefix}-*/_search`, {
      size: 1000,
      query: { match_all: {} },
    });
    // The machine and run fields (agent.ephemeral_id differs per run) are not what is compared.
    return r.hits.hits.map((h) => withoutBeatFields(h._source));
  }

  beforeAll(async () => {
    url = requireElasticsearch();
    // What each capture yields, from the console output of the same options.
    complete = events((await runPbEcho(['-I', FULL, '-t', '-E', PROTOCOLS])).stdout);
    truncated = events((await runPbEcho(['-I', TRUNCATED, '-t', '-E', PROTOCOLS])).stdout);
  });

  afterAll(async () => {
    if (!url) return;
    for (const order of ['tf', 'ft']) await cleanup(url, `${run}_${order}-*`, `${run}_${order}`);
  });

  it('the captures differ as expected: the truncated one has end-of-input placeholders', () => {
    expect(complete).toHaveLength(46);
    expect(truncated).toHaveLength(41);
    const placeholders = truncated.filter((e) => (e.notes as string[] | undefined)?.includes(END_OF_INPUT));
    expect(placeholders).toHaveLength(11);
    expect(placeholders.every((e) => e.status === 'Error')).toBe(true);
  });

  it('truncated then complete: the placeholders are replaced by the complete transactions', async () => {
    const prefix = `${run}_tf`;
    expect(await replay(TRUNCATED, prefix)).toBe(3);
    expect(sorted(await stored(prefix))).toEqual(sorted(truncated));
    expect(await replay(FULL, prefix)).toBe(0);
    const docs = await stored(prefix);
    expect(docs).toHaveLength(46);
    expect(sorted(docs)).toEqual(sorted(complete));
    expect(docs.filter((d) => (d.notes as string[] | undefined)?.includes(END_OF_INPUT))).toHaveLength(0);
  });

  it('complete then truncated: the complete transactions stay', async () => {
    const prefix = `${run}_ft`;
    expect(await replay(FULL, prefix)).toBe(0);
    expect(await replay(TRUNCATED, prefix)).toBe(3);
    const docs = await stored(prefix);
    expect(docs).toHaveLength(46);
    expect(sorted(docs)).toEqual(sorted(complete));
  });
});
