// The dashboard's aggregation: field reads from serialised events, the bounded top list and
// histogram, the live window and the report's re-bucketing, and the endpoint that serves the page.
import * as http from 'http';
import { LATENCY_BOUNDS_MS, quantile } from '../src/dashboard/latency-histogram';
import { jsonValueAt, jsonValuesAt } from '../src/dashboard/json-path';
import { EventFactsReader } from '../src/dashboard/event-facts';
import { TopK } from '../src/dashboard/top-k';
import { LiveDashboard, startStatsEndpoint, TrafficAggregator, type TransactionFacts } from '../src/internal';

const doc = JSON.stringify({
  type: 'http',
  status: 'Error',
  method: 'GET',
  http: { request: { method: 'POST', headers: { 'x-a': 'u"rl' } }, response: { status_code: 500 } },
  url: { full: 'http://h/a?"path":1', path: '/a "b"\\' },
  event: { kind: 'event', duration: 1234000, list: [{ duration: 5 }] },
  ok: true,
});

describe('jsonValueAt', () => {
  it('reads a top-level key, not a nested one of the same name', () => {
    expect(jsonValueAt(doc, ['method'])).toBe('GET');
    expect(jsonValueAt(doc, ['http', 'request', 'method'])).toBe('POST');
  });
  it('reads strings with escapes, numbers and booleans at any depth', () => {
    expect(jsonValueAt(doc, ['url', 'path'])).toBe('/a "b"\\');
    expect(jsonValueAt(doc, ['event', 'duration'])).toBe(1234000);
    expect(jsonValueAt(doc, ['http', 'response', 'status_code'])).toBe(500);
    expect(jsonValueAt(doc, ['ok'])).toBe(true);
  });
  it('gives undefined for absent paths and for objects', () => {
    expect(jsonValueAt(doc, ['url', 'query'])).toBeUndefined();
    expect(jsonValueAt(doc, ['redis', 'method'])).toBeUndefined();
    expect(jsonValueAt(doc, ['http', 'request'])).toBeUndefined();
    expect(jsonValueAt(doc, ['path'])).toBeUndefined();
  });
});

describe('TopK', () => {
  it('never tracks more keys than its capacity and keeps the heavy hitters exact', () => {
    const top = new TopK(20);
    for (let i = 0; i < 100_000; i++) {
      top.add(i % 10 === 0 ? 'GET' : i % 10 === 1 ? 'SET' : `key${i}`, i % 20 === 1);
      if (top.size > 20) throw new Error(`${top.size} keys tracked after ${i + 1} additions`);
    }
    const [first, second] = top.top(2);
    expect(first).toMatchObject({ key: 'GET', count: 10_000, errors: 0, overestimate: 0 });
    expect(second).toMatchObject({ key: 'SET', count: 10_000, errors: 5_000 });
  });
});

describe('latency quantiles', () => {
  it('interpolates inside the bucket that holds the rank', () => {
    const counts = new Array(LATENCY_BOUNDS_MS.length + 1).fill(0);
    counts[LATENCY_BOUNDS_MS.indexOf(1)] = 90; // (0.5, 1] ms
    counts[LATENCY_BOUNDS_MS.indexOf(100)] = 10; // (50, 100] ms
    expect(quantile(counts, 0.5)).toBeCloseTo(0.5 + 0.5 * (50 / 90));
    expect(quantile(counts, 0.99)).toBeCloseTo(50 + 50 * 0.9);
    expect(quantile(new Array(22).fill(0), 0.5)).toBeUndefined();
  });
});

const tx = (ts: number, over: Partial<TransactionFacts> = {}): TransactionFacts => ({
  protocol: 'redis',
  ts,
  ms: 0.3,
  error: false,
  resource: 'GET',
  ...over,
});

describe('TrafficAggregator', () => {
  const protocols = [{ name: 'redis', dashboard: { resource: 'method', error: 'redis.error' } }];

  it('shows the last window of seconds, one point each, and forgets older ones', () => {
    const agg = new TrafficAggregator({ protocols, windowSeconds: 60 });
    const t0 = 1_800_000_000_000;
    // 3 transactions a second for 120 s, one error every 10 s.
    for (let s = 0; s < 120; s++)
      for (let k = 0; k < 3; k++) agg.add(tx(t0 + s * 1000 + k, { error: k === 0 && s % 10 === 0 }));
    const v = agg.views(t0 + 119_500);
    expect(v).toMatchObject({ from: t0 + 60_000, to: t0 + 120_000, stepMs: 1000 });
    const p = v.protocols[0];
    expect(p.tx).toHaveLength(60);
    expect(p.tx.every((c) => c === 3)).toBe(true);
    expect(p.err.reduce((a, b) => a + b)).toBe(6);
    expect(p.latency.reduce((a, b) => a + b)).toBe(180);
    expect(p).toMatchObject({
      transactions: 360,
      errors: 12,
      resourceField: 'method',
      errorField: 'redis.error',
    });
    expect(p.top).toEqual([{ resource: 'GET', count: 360, errors: 12 }]);
    // A minute later with no traffic the window is empty.
    expect(agg.views(t0 + 240_000).protocols[0].tx.every((c) => c === 0)).toBe(true);
  });

  it('keeps the slowest transactions of the window, slowest first', () => {
    const agg = new TrafficAggregator({ protocols, windowSeconds: 60, slowest: 3 });
    const t0 = 1_800_000_000_000;
    agg.add(tx(t0, { ms: 900, resource: 'OLD' }));
    for (let i = 1; i <= 50; i++) agg.add(tx(t0 + 61_000 + i, { ms: i, resource: `K${i}` }));
    const slow = agg.views(t0 + 62_000).protocols[0].slowest;
    expect(slow.map((r) => r.resource)).toEqual(['K50', 'K49', 'K48']);
  });

  it('re-buckets a whole capture into at most 300 points, keeping every count', () => {
    const agg = new TrafficAggregator({ protocols, maxErrors: 5 });
    const t0 = 1_800_000_000_000;
    for (let s = 0; s < 3600; s += 7) agg.add(tx(t0 + s * 1000, { error: s % 700 === 0, notes: ['n'] }));
    const v = agg.views();
    expect(v.protocols[0].tx.length).toBeLessThanOrEqual(300);
    expect(v.stepMs).toBe(12_000);
    expect(v.protocols[0].tx.reduce((a, b) => a + b)).toBe(Math.ceil(3600 / 7));
    const { rows, omitted } = agg.errors();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ protocol: 'redis', resource: 'GET', notes: ['n'] });
    expect(omitted).toBe(Math.ceil(3600 / 700) - 5);
  });
});

describe('LiveDashboard', () => {
  it('turns the frames counter into packets per second and reads the health counters', () => {
    const d = new LiveDashboard({ title: 't', protocols: [], windowSeconds: 10, queueCapacity: 100 });
    const m = (frames: number) => ({
      source: { frames, capture_missed_bytes: 7 },
      reassembly: { gaps: 2, connectionsActive: 5 },
      publisher: { queued: 25, failed: 1, dropped: 2 },
    });
    const t0 = 1_800_000_000_000;
    d.sample(m(0), t0);
    d.sample(m(400), t0 + 1000);
    d.sample(m(1000), t0 + 2000);
    const h = d.snapshot(t0 + 2500).health!;
    expect(h.packetsPerSec!.slice(-2)).toEqual([400, 600]);
    expect(h).toMatchObject({
      packets: 1000,
      captureLossBytes: 7,
      gaps: 2,
      connectionsOpen: 5,
      queueFill: 0.25,
      outputErrors: 3,
    });
  });
});

function get(
  port: number,
  p: string,
  accept: string,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p, headers: { accept } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }),
        );
      })
      .on('error', reject);
  });
}

describe('the HTTP endpoint with a dashboard', () => {
  it('serves the page to browsers at /, its data at /dashboard.json, and JSON info to others', async () => {
    const d = new LiveDashboard({ title: 'pb live', protocols: [{ name: 'redis' }] });
    d.onEvent({
      id: 'x',
      timestamp: Date.now(),
      json: '{"type":"redis","status":"OK","event":{"duration":2000000}}',
      fields: {},
    });
    const ep = await startStatsEndpoint({
      host: '127.0.0.1',
      port: 0,
      info: { beat: 'pb', hostname: 'h', name: 'n', uuid: 'u', ephemeral_id: 'e', version: '1' },
      stats: () => ({}),
      dashboard: { page: () => d.page(), json: () => d.snapshot() },
    });
    try {
      const page = await get(ep.port, '/', 'text/html,application/xhtml+xml');
      expect(page.type).toMatch(/^text\/html/);
      expect(page.body).toContain('<title>pb live</title>');
      expect(page.body).not.toMatch(/(src|href)="https?:/);
      const info = await get(ep.port, '/', '*/*');
      expect(JSON.parse(info.body)).toMatchObject({ beat: 'pb' });
      const snap = JSON.parse((await get(ep.port, '/dashboard.json', '*/*')).body);
      expect(snap.protocols[0]).toMatchObject({ name: 'redis', transactions: 1 });
      expect(snap.protocols[0].latency[LATENCY_BOUNDS_MS.indexOf(2)]).toBe(1);
    } finally {
      await ep.close();
    }
  });
});

describe('jsonValuesAt', () => {
  it('reads several paths in one walk, the same values as one at a time', () => {
    const paths = [
      ['method'],
      ['http', 'request', 'method'],
      ['url', 'path'],
      ['event', 'duration'],
      ['ok'],
      ['url', 'query'],
      ['path'],
    ];
    const out: Array<string | number | boolean | undefined> = [];
    jsonValuesAt(doc, paths, out);
    expect(out).toEqual(paths.map((p) => jsonValueAt(doc, p)));
    expect(out).toEqual(['GET', 'POST', '/a "b"\\', 1234000, true, undefined, undefined]);
  });
});

describe('EventFactsReader', () => {
  it('reads transactions and leaves out flow reports (not transactions)', () => {
    const reader = new EventFactsReader([{ name: 'http' }]);
    expect(reader.read({ id: 'a', timestamp: 1, json: doc, fields: {} })).toMatchObject({
      protocol: 'http',
      error: true,
    });
    const flow = { type: 'flow', event: { duration: 5_000_000 }, flow: { final: true } };
    expect(reader.read({ id: 'b', timestamp: 1, fields: flow })).toBeUndefined();
  });
});
