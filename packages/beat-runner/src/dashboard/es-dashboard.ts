// The dashboard computed by Elasticsearch: one search with aggregations per update, over the
// beat's indices, for a time range and optionally one protocol. Per protocol: counts and errors
// per step (date_histogram), latency buckets (range) and percentiles on event.duration, the
// slowest transactions (top_hits), the top resources (terms on the declared field); plus the
// latest Error transactions. The page is the one the live beat and the reports use.
import type { DashboardSpec } from '@wirebeat/applayer';
import type { createClient } from '@wirebeat/publisher';
import { DashboardQueryError } from '../errors';
import { latencyBounds } from './aggregator';
import { dashboardPage } from './page';
import type { DashboardSnapshot, ErrorRow, ProtocolView, SlowRow } from './snapshot';

type Client = ReturnType<typeof createClient>;

/** The time ranges the picker offers, as `since` values. */
export const DASHBOARD_RANGES: ReadonlyArray<{ value: string; label: string; ms: number }> = [
  { value: '15m', label: 'last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'last hour', ms: 3_600_000 },
  { value: '24h', label: 'last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'everything', ms: Infinity },
];

/** Options of {@link EsDashboard}. */
export interface EsDashboardOptions {
  title: string;
  client: Client;
  /** Index pattern of the beat's indices. */
  index: string;
  protocols: ReadonlyArray<{ name: string; dashboard?: DashboardSpec }>;
  /** Default range (a DASHBOARD_RANGES value; default 24h). */
  since?: string;
}

/** Series points at most. */
const MAX_POINTS = 300;
const ERRORS_LISTED = 50;

interface Bucket {
  key: number | string;
  key_as_string?: string;
  doc_count: number;
  errors?: { doc_count: number };
}
interface Hit {
  _source: Record<string, unknown>;
}
interface ProtocolAggs {
  doc_count: number;
  errors: { doc_count: number };
  series: { buckets: Bucket[] };
  latency: { buckets: Bucket[] };
  pct: { values: Record<string, number | null> };
  slowest: { hits: { hits: Hit[] } };
  top?: { buckets: Bucket[] };
}

function at(doc: unknown, dotted: string): unknown {
  let v = doc;
  for (const k of dotted.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    const o = v as Record<string, unknown>;
    // _source may hold dotted keys as well as nested objects.
    if (dotted in o) return o[dotted];
    v = o[k];
  }
  return v;
}

function endpoint(doc: unknown, side: 'client' | 'server'): string | undefined {
  const ip = at(doc, `${side}.ip`);
  const port = at(doc, `${side}.port`);
  if (typeof ip !== 'string') return undefined;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** Serves snapshots computed by Elasticsearch aggregations. */
export class EsDashboard {
  /** Keeps the client and the protocols' declarations. */
  constructor(private readonly opts: EsDashboardOptions) {}

  /** The page for a query (`since`, `protocol`), with the first snapshot inline. */
  async page(query: URLSearchParams): Promise<string> {
    const since = query.get('since') ?? this.opts.since ?? '24h';
    return dashboardPage({
      snapshot: await this.snapshot(query),
      pollMs: 10_000,
      ranges: DASHBOARD_RANGES.map((r) => ({ value: r.value, label: r.label, selected: r.value === since })),
    });
  }

  /**
   * The snapshot for a query: `since` (a range value) or `from`/`to` (ms since the epoch),
   * `protocol` to show one protocol.
   */
  async snapshot(query: URLSearchParams, nowMs = Date.now()): Promise<DashboardSnapshot> {
    const only = query.get('protocol') || undefined;
    const protocols = this.opts.protocols.filter((p) => only === undefined || p.name === only);
    let from: number;
    let to: number;
    if (query.has('from') && query.has('to')) {
      from = Number(query.get('from'));
      to = Number(query.get('to'));
      if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from)
        throw new DashboardQueryError('from and to must be times in ms since the epoch, from before to');
    } else {
      const since = query.get('since') ?? this.opts.since ?? '24h';
      const range = DASHBOARD_RANGES.find((r) => r.value === since);
      if (range === undefined)
        throw new DashboardQueryError(
          `unknown range ${since} (${DASHBOARD_RANGES.map((r) => r.value).join(', ')})`,
        );
      to = nowMs;
      from = Number.isFinite(range.ms) ? nowMs - range.ms : await this.firstTimestamp(to);
    }
    const step = Math.max(1000, Math.ceil((to - from) / MAX_POINTS / 1000) * 1000);
    from = Math.floor(from / step) * step;
    const points = Math.ceil((to - from) / step);
    const body = await this.search(
      { range: { '@timestamp': { gte: from, lt: to, format: 'epoch_millis' } } },
      this.aggs(protocols, from, to, step),
    );
    const aggs = (body.aggregations ?? {}) as Record<string, unknown>;
    const views = protocols.map((p, i) => this.view(p, aggs[`p${i}`] as ProtocolAggs, from, step, points));
    const errorHits =
      (aggs.errorList as { latest: { hits: { hits: Hit[] } } } | undefined)?.latest.hits.hits ?? [];
    return {
      title: this.opts.title,
      source: 'elasticsearch',
      from,
      to: from + points * step,
      stepMs: step,
      bounds: latencyBounds(),
      protocols: views,
      errors: errorHits.map((h) => this.errorRow(h._source)),
    };
  }

  private async search(query: object, aggs: object): Promise<{ aggregations?: unknown }> {
    try {
      return (await this.opts.client.search({
        index: this.opts.index,
        size: 0,
        track_total_hits: false,
        ignore_unavailable: true,
        allow_no_indices: true,
        query,
        aggs,
      } as never)) as { aggregations?: unknown };
    } catch (err) {
      throw new DashboardQueryError(
        `Elasticsearch query on ${this.opts.index} failed: ${(err as Error).message}`,
      );
    }
  }

  private async firstTimestamp(to: number): Promise<number> {
    const r = await this.search({ match_all: {} }, { first: { min: { field: '@timestamp' } } });
    const v = (r.aggregations as { first?: { value: number | null } } | undefined)?.first?.value;
    return typeof v === 'number' ? v : to - 3_600_000;
  }

  private aggs(
    protocols: ReadonlyArray<{ name: string; dashboard?: DashboardSpec }>,
    from: number,
    to: number,
    step: number,
  ): object {
    const isError = { term: { status: 'Error' } };
    const bounds = latencyBounds().map((b) => b * 1e6);
    const ranges = bounds.map((b, i) => (i === 0 ? { to: b } : { from: bounds[i - 1], to: b }));
    ranges.push({ from: bounds[bounds.length - 1] } as never);
    const out: Record<string, object> = {};
    protocols.forEach((p, i) => {
      const resource = p.dashboard?.resource;
      out[`p${i}`] = {
        filter: { term: { type: p.name } },
        aggs: {
          errors: { filter: isError },
          series: {
            date_histogram: {
              field: '@timestamp',
              fixed_interval: `${step / 1000}s`,
              min_doc_count: 0,
              extended_bounds: { min: from, max: to - 1 },
            },
            aggs: { errors: { filter: isError } },
          },
          latency: { range: { field: 'event.duration', ranges } },
          pct: { percentiles: { field: 'event.duration', percents: [50, 90, 99] } },
          slowest: {
            top_hits: {
              size: 10,
              sort: [{ 'event.duration': { order: 'desc', unmapped_type: 'long' } }],
              _source: ['@timestamp', 'event.duration', 'status', 'client', ...(resource ? [resource] : [])],
            },
          },
          ...(resource && {
            top: { terms: { field: resource, size: 10 }, aggs: { errors: { filter: isError } } },
          }),
        },
      };
    });
    const names = protocols.map((p) => p.name);
    // The latest Error transactions of the protocols shown.
    out.errorList = {
      filter: { bool: { filter: [isError, { terms: { type: names } }] } },
      aggs: { latest: { top_hits: { size: ERRORS_LISTED, sort: [{ '@timestamp': { order: 'desc' } }] } } },
    };
    return out;
  }

  private view(
    p: { name: string; dashboard?: DashboardSpec },
    a: ProtocolAggs | undefined,
    from: number,
    step: number,
    points: number,
  ): ProtocolView {
    const tx = new Array<number>(points).fill(0);
    const err = new Array<number>(points).fill(0);
    for (const b of a?.series.buckets ?? []) {
      const i = Math.floor((Number(b.key) - from) / step);
      if (i < 0 || i >= points) continue;
      tx[i] += b.doc_count;
      err[i] += b.errors?.doc_count ?? 0;
    }
    const pct = (k: string) => {
      const v = a?.pct.values[k];
      return typeof v === 'number' ? v / 1e6 : undefined;
    };
    const resource = p.dashboard?.resource;
    const slowest: SlowRow[] = (a?.slowest.hits.hits ?? [])
      .filter((h) => typeof at(h._source, 'event.duration') === 'number')
      .map((h) => ({
        ts: Date.parse(String(at(h._source, '@timestamp'))),
        ms: (at(h._source, 'event.duration') as number) / 1e6,
        resource: resource ? str(at(h._source, resource)) : undefined,
        status: at(h._source, 'status') === 'Error' ? 'Error' : 'OK',
        client: endpoint(h._source, 'client'),
      }));
    return {
      name: p.name,
      resourceField: resource,
      errorField: p.dashboard?.error ?? 'error.message',
      transactions: a?.doc_count ?? 0,
      errors: a?.errors.doc_count ?? 0,
      tx,
      err,
      p50: pct('50.0'),
      p90: pct('90.0'),
      p99: pct('99.0'),
      latency: (a?.latency.buckets ?? []).map((b) => b.doc_count),
      slowest,
      top: (a?.top?.buckets ?? []).map((b) => ({
        resource: b.key_as_string ?? String(b.key),
        count: b.doc_count,
        errors: b.errors?.doc_count ?? 0,
      })),
    };
  }

  private errorRow(doc: Record<string, unknown>): ErrorRow {
    const protocol = String(at(doc, 'type'));
    const spec = this.opts.protocols.find((p) => p.name === protocol)?.dashboard;
    const notes = at(doc, 'notes');
    const duration = at(doc, 'event.duration');
    return {
      ts: Date.parse(String(at(doc, '@timestamp'))),
      protocol,
      resource: spec?.resource ? str(at(doc, spec.resource)) : undefined,
      ms: typeof duration === 'number' ? duration / 1e6 : undefined,
      error: str(at(doc, spec?.error ?? 'error.message')) ?? str(at(doc, 'error.message')),
      notes: Array.isArray(notes) ? notes.map(String) : [],
      client: endpoint(doc, 'client'),
      server: endpoint(doc, 'server'),
    };
  }
}
