// Against the real cluster: a provisional event (cut off by the end of the input) never replaces a
// stored document, and a final event always replaces a provisional one, whatever the order.
import {
  createOutput,
  outputsConfigSchema,
  Pipeline,
  type BeatEvent,
  type OutputContext,
} from '@wirebeat/publisher';
import {
  cleanup,
  countDocs,
  esJson,
  ES_TEST_TIMEOUT_MS,
  requireElasticsearch,
  uniqueBeat,
} from './helpers/es';
import { RecordingLogger } from './helpers/events';

jest.setTimeout(ES_TEST_TIMEOUT_MS);

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

/** The event of transaction `id`: OK when final, Error with a note when provisional. */
function event(id: string, provisional: boolean): BeatEvent {
  const fields = provisional
    ? { '@timestamp': new Date(T0).toISOString(), status: 'Error', notes: ['response missing: end of input'] }
    : { '@timestamp': new Date(T0).toISOString(), status: 'OK' };
  return provisional ? { id, timestamp: T0, fields, provisional } : { id, timestamp: T0, fields };
}

describe('Elasticsearch output: provisional and final versions of one event (real cluster)', () => {
  const beat = uniqueBeat('wb_prov');
  const ctx: OutputContext = {
    beatName: beat,
    beatVersion: '0.1.0',
    logger: new RecordingLogger(),
    fields: [],
  };
  let url: string;

  beforeAll(() => {
    url = requireElasticsearch();
  });
  afterAll(async () => {
    if (url) await cleanup(url, `${beat}-*`, `${beat}-0.1.0`);
  });

  /** Publishes the events in one run, as a replay does; returns the pipeline counters. */
  async function ship(events: BeatEvent[]): Promise<ReturnType<Pipeline['counters']>> {
    const out = createOutput(outputsConfigSchema.parse({ elasticsearch: { hosts: [url] } }), ctx);
    await out.connect();
    const p = new Pipeline(out, { maxEvents: 1000, policy: 'block' });
    for (const e of events) p.publish(e);
    const { undelivered } = await p.close(60_000);
    expect(undelivered).toBe(0);
    return p.counters();
  }

  /** Stored status by id. */
  async function statuses(): Promise<Record<string, string>> {
    await esJson(url, 'POST', `/${beat}-*/_refresh`);
    const r = await esJson<{ hits: { hits: Array<{ _id: string; _source: { status: string } }> } }>(
      url,
      'POST',
      `/${beat}-*/_search`,
      { size: 100, query: { match_all: {} } },
    );
    return Object.fromEntries(r.hits.hits.map((h) => [h._id, h._source.status]));
  }

  it('final after provisional replaces it; provisional after final or after provisional changes nothing', async () => {
    // Run 1: a truncated replay. a and b are provisional, c is final.
    expect(await ship([event('a', true), event('b', true), event('c', false)])).toMatchObject({
      published: 3,
      acked: 3,
      failed: 0,
    });
    expect(await statuses()).toEqual({ a: 'Error', b: 'Error', c: 'OK' });

    // Run 2: the complete replay: every event final.
    expect(await ship([event('a', false), event('b', false), event('c', false)])).toMatchObject({
      acked: 3,
      failed: 0,
    });
    expect(await statuses()).toEqual({ a: 'OK', b: 'OK', c: 'OK' });

    // Run 3: the truncated replay again, and a new provisional event d twice in two runs.
    expect(
      await ship([event('a', true), event('b', true), event('c', false), event('d', true)]),
    ).toMatchObject({ acked: 4, failed: 0 });
    expect(await ship([event('d', true)])).toMatchObject({ acked: 1, failed: 0 });
    expect(await statuses()).toEqual({ a: 'OK', b: 'OK', c: 'OK', d: 'Error' });
    expect(await countDocs(url, `${beat}-*`)).toBe(4);
  });
});
