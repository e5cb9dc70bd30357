// The dashboard's aggregation of transactions, in bounded memory: per protocol a ring of
// one-second slots (counts and a fixed-bucket latency histogram each), a Space-Saving top list of
// resources and the few slowest transactions. Without a window (reports), seconds are kept in a
// map instead and re-bucketed at snapshot time, so a whole capture fits in a few hundred points.
import type { DashboardSpec } from '@wirebeat/applayer';
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, latencyBucket, quantile } from './latency-histogram';
import type { ErrorRow, ProtocolView, SlowRow } from './snapshot';
import { TopK } from './top-k';

/** One transaction as the dashboard sees it. */
export interface TransactionFacts {
  protocol: string;
  /** Start, ms since the epoch. */
  ts: number;
  /** Latency in ms, when known (both sides seen). */
  ms?: number;
  error: boolean;
  resource?: string;
  errorText?: string;
  notes?: readonly string[];
  /** The connection; its endpoints are formatted only for the rows that show them. */
  tuple?: { srcIp: string; srcPort: number; dstIp: string; dstPort: number };
}

/** `ip:port`, with brackets around IPv6 addresses. */
export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Most notes a row keeps. */
const NOTES_MAX = 4;

/** Options of {@link TrafficAggregator}. */
export interface AggregatorOptions {
  /** Protocols shown, in order, with what their views show. */
  protocols: ReadonlyArray<{ name: string; dashboard?: DashboardSpec }>;
  /** Seconds kept (live); undefined keeps every second (a report of a whole capture). */
  windowSeconds?: number;
  /** Resources tracked per protocol (default 100). */
  topCapacity?: number;
  /** Slowest transactions kept per protocol (default 10). */
  slowest?: number;
  /** Error transactions listed (reports; default 0: none). */
  maxErrors?: number;
}

/** Series points of a report at most (seconds are merged into wider steps beyond). */
const MAX_POINTS = 300;

class ProtocolState {
  readonly top: TopK;
  slowest: SlowRow[] = [];
  transactions = 0;
  errors = 0;
  // Ring (live): slot i holds second secs[i]. Map (report): second -> [tx, err].
  readonly secs: Float64Array;
  readonly tx: Uint32Array;
  readonly err: Uint32Array;
  readonly hist: Uint32Array;
  readonly bySecond = new Map<number, [number, number]>();

  constructor(
    readonly name: string,
    readonly spec: DashboardSpec | undefined,
    readonly window: number,
    topCapacity: number,
  ) {
    this.top = new TopK(topCapacity);
    this.secs = new Float64Array(window).fill(-1);
    this.tx = new Uint32Array(window);
    this.err = new Uint32Array(window);
    this.hist = new Uint32Array(Math.max(1, window) * LATENCY_BUCKETS);
  }
}

/** Aggregates transactions for the dashboards; memory is bounded by the options, not the traffic. */
export class TrafficAggregator {
  private readonly states = new Map<string, ProtocolState>();
  private readonly window: number;
  private readonly slowestMax: number;
  private readonly maxErrors: number;
  private readonly errorRows: ErrorRow[] = [];
  private errorsOmitted = 0;
  private first = Infinity;
  private last = -Infinity;

  /** Creates an empty aggregation. */
  constructor(private readonly opts: AggregatorOptions) {
    this.window = opts.windowSeconds ?? 0;
    this.slowestMax = opts.slowest ?? 10;
    this.maxErrors = opts.maxErrors ?? 0;
    for (const p of opts.protocols) this.state(p.name, p.dashboard);
  }

  private state(name: string, spec?: DashboardSpec): ProtocolState {
    let s = this.states.get(name);
    if (s === undefined) {
      s = new ProtocolState(name, spec, this.window, this.opts.topCapacity ?? 100);
      this.states.set(name, s);
    }
    return s;
  }

  /** Counts one transaction. */
  add(t: TransactionFacts): void {
    const s = this.state(t.protocol);
    s.transactions++;
    if (t.error) s.errors++;
    const sec = Math.floor(t.ts / 1000);
    if (sec < this.first) this.first = sec;
    if (sec > this.last) this.last = sec;
    const bucket = t.ms === undefined ? -1 : latencyBucket(t.ms);
    if (this.window > 0) {
      const i = sec % this.window;
      if (s.secs[i] !== sec) {
        // The slot held an older second: it leaves the window. A late event for a second already
        // gone (older than the slot's) is counted in totals only.
        if (s.secs[i] > sec) return this.addRest(s, t);
        s.secs[i] = sec;
        s.tx[i] = 0;
        s.err[i] = 0;
        s.hist.fill(0, i * LATENCY_BUCKETS, (i + 1) * LATENCY_BUCKETS);
      }
      s.tx[i]++;
      if (t.error) s.err[i]++;
      if (bucket >= 0) s.hist[i * LATENCY_BUCKETS + bucket]++;
    } else {
      let c = s.bySecond.get(sec);
      if (c === undefined) s.bySecond.set(sec, (c = [0, 0]));
      c[0]++;
      if (t.error) c[1]++;
      if (bucket >= 0) s.hist[bucket]++;
    }
    this.addRest(s, t);
  }

  private addRest(s: ProtocolState, t: TransactionFacts): void {
    if (t.resource !== undefined) s.top.add(t.resource, t.error);
    if (t.ms !== undefined) this.addSlow(s, t);
    if (t.error && this.maxErrors > 0) {
      if (this.errorRows.length >= this.maxErrors) this.errorsOmitted++;
      else
        this.errorRows.push({
          ts: t.ts,
          protocol: t.protocol,
          resource: t.resource,
          ms: t.ms,
          error: t.errorText,
          notes: (t.notes ?? []).slice(0, NOTES_MAX),
          client: t.tuple && endpoint(t.tuple.srcIp, t.tuple.srcPort),
          server: t.tuple && endpoint(t.tuple.dstIp, t.tuple.dstPort),
        });
    }
  }

  private addSlow(s: ProtocolState, t: TransactionFacts): void {
    const ms = t.ms!;
    const horizon = t.ts - this.window * 1000;
    // Rows that left the window make room (the list is short: a scan costs little).
    if (this.window > 0 && s.slowest.some((r) => r.ts <= horizon))
      s.slowest = s.slowest.filter((r) => r.ts > horizon);
    const list = s.slowest;
    if (list.length >= this.slowestMax && list[list.length - 1].ms >= ms) return;
    const row: SlowRow = {
      ts: t.ts,
      ms,
      resource: t.resource,
      status: t.error ? 'Error' : 'OK',
      client: t.tuple && endpoint(t.tuple.srcIp, t.tuple.srcPort),
      server: t.tuple && endpoint(t.tuple.dstIp, t.tuple.dstPort),
    };
    const l = s.slowest;
    let i = l.length;
    while (i > 0 && l[i - 1].ms < ms) i--;
    l.splice(i, 0, row);
    if (l.length > this.slowestMax) l.length = this.slowestMax;
  }

  /** Error transactions listed so far (reports), and how many were over the limit. */
  errors(): { rows: ErrorRow[]; omitted: number } {
    return { rows: this.errorRows, omitted: this.errorsOmitted };
  }

  /**
   * The protocols' views. Live: the window ending at `nowMs`, one point per second. Report: the
   * whole range seen, in at most 300 points.
   */
  views(nowMs?: number): { from: number; to: number; stepMs: number; protocols: ProtocolView[] } {
    if (this.window > 0) return this.liveViews(nowMs ?? Date.now());
    const first = Number.isFinite(this.first) ? this.first : 0;
    const last = Number.isFinite(this.last) ? this.last : first;
    const step = Math.max(1, Math.ceil((last - first + 1) / MAX_POINTS));
    const points = Math.floor((last - first) / step) + 1;
    const protocols = [...this.states.values()].map((s) => {
      const tx = new Array<number>(points).fill(0);
      const err = new Array<number>(points).fill(0);
      for (const [sec, c] of s.bySecond) {
        const p = Math.floor((sec - first) / step);
        tx[p] += c[0];
        err[p] += c[1];
      }
      return this.view(s, tx, err, s.hist, Infinity);
    });
    return { from: first * 1000, to: (first + points * step) * 1000, stepMs: step * 1000, protocols };
  }

  private liveViews(nowMs: number): { from: number; to: number; stepMs: number; protocols: ProtocolView[] } {
    const now = Math.floor(nowMs / 1000);
    const w = this.window;
    const from = now - w + 1;
    const protocols = [...this.states.values()].map((s) => {
      const tx = new Array<number>(w).fill(0);
      const err = new Array<number>(w).fill(0);
      const hist = new Uint32Array(LATENCY_BUCKETS);
      for (let i = 0; i < w; i++) {
        const sec = s.secs[i];
        if (sec < from || sec > now) continue;
        tx[sec - from] = s.tx[i];
        err[sec - from] = s.err[i];
        for (let b = 0; b < LATENCY_BUCKETS; b++) hist[b] += s.hist[i * LATENCY_BUCKETS + b];
      }
      return this.view(s, tx, err, hist, from * 1000);
    });
    return { from: from * 1000, to: (now + 1) * 1000, stepMs: 1000, protocols };
  }

  private view(
    s: ProtocolState,
    tx: number[],
    err: number[],
    hist: ArrayLike<number>,
    since: number,
  ): ProtocolView {
    const latency = Array.from(hist).slice(0, LATENCY_BUCKETS);
    return {
      name: s.name,
      resourceField: s.spec?.resource,
      errorField: s.spec?.error ?? 'error.message',
      transactions: s.transactions,
      errors: s.errors,
      tx,
      err,
      p50: quantile(latency, 0.5),
      p90: quantile(latency, 0.9),
      p99: quantile(latency, 0.99),
      latency,
      slowest: s.slowest.filter((r) => r.ts >= since || since === Infinity).map((r) => ({ ...r })),
      top: s.top.top(10).map((e) => ({ resource: e.key, count: e.count, errors: e.errors })),
    };
  }
}

/** The latency bucket bounds every snapshot carries. */
export const latencyBounds = (): number[] => [...LATENCY_BOUNDS_MS];
