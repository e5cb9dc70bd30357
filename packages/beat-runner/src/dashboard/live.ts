// The live dashboard of a running beat: fed every published event (a few field reads and counter
// increments each), sampling the beat's metrics once a second for the capture's health, and
// answering the page's requests with a snapshot of the last minutes.
import type { DashboardSpec, TransactionEvent } from '@wirebeat/applayer';
import { latencyBounds, TrafficAggregator } from './aggregator';
import { EventFactsReader } from './event-facts';
import { dashboardPage } from './page';
import type { DashboardSnapshot } from './snapshot';

/** The counters the health view reads (a subset of the beat's metrics). */
export interface HealthMetrics {
  source: { frames: number; capture_missed_bytes?: number };
  reassembly: Record<string, unknown>;
  publisher: Record<string, unknown>;
}

/** Options of {@link LiveDashboard}. */
export interface LiveDashboardOptions {
  title: string;
  protocols: ReadonlyArray<{ name: string; dashboard?: DashboardSpec }>;
  /** Seconds shown (default 300). */
  windowSeconds?: number;
  /** Events the publisher queue holds at most (for the queue fill). */
  queueCapacity?: number;
  /** How often the page asks for a new snapshot, ms (default 1000). */
  pollMs?: number;
  /**
   * Follow the packets' time instead of the wall clock (file replay: the window ends at the latest
   * transaction, so a replayed capture shows its own minutes).
   */
  packetClock?: boolean;
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Aggregates a running beat's events and metrics for its dashboard page. */
export class LiveDashboard {
  private readonly agg: TrafficAggregator;
  private readonly reader: EventFactsReader;
  private readonly window: number;
  // Packets per second, by second (a ring like the aggregator's).
  private readonly packetSecs: Float64Array;
  private readonly packets: Float64Array;
  private lastFrames = -1;
  private latest = 0;
  private metrics: HealthMetrics | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** Creates the aggregation; start() begins sampling the health metrics. */
  constructor(private readonly opts: LiveDashboardOptions) {
    this.window = opts.windowSeconds ?? 300;
    this.agg = new TrafficAggregator({ protocols: opts.protocols, windowSeconds: this.window });
    this.reader = new EventFactsReader(opts.protocols);
    this.packetSecs = new Float64Array(this.window).fill(-1);
    this.packets = new Float64Array(this.window);
  }

  /** Counts one published event (bound: pass it as the beat's event callback). */
  readonly onEvent = (e: TransactionEvent): void => {
    const facts = this.reader.read(e);
    if (facts === undefined) return;
    this.agg.add(facts);
    if (facts.ts > this.latest) this.latest = facts.ts;
  };

  private now(wallMs: number): number {
    return this.opts.packetClock === true && this.latest > 0 ? this.latest : wallMs;
  }

  /** Samples `metrics` every second until stop(). */
  start(metrics: () => HealthMetrics): void {
    this.sample(metrics(), Date.now());
    this.timer = setInterval(() => this.sample(metrics(), Date.now()), 1000);
    this.timer.unref();
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Records one metrics sample taken at `nowMs` (the frames since the last one are that second's packets). */
  sample(m: HealthMetrics, nowMs: number): void {
    const frames = m.source.frames;
    if (this.lastFrames >= 0) {
      const sec = Math.floor(nowMs / 1000);
      const i = sec % this.window;
      if (this.packetSecs[i] !== sec) {
        this.packetSecs[i] = sec;
        this.packets[i] = 0;
      }
      this.packets[i] += frames - this.lastFrames;
    }
    this.lastFrames = frames;
    this.metrics = m;
  }

  /** The dashboard's state now. */
  snapshot(wallMs = Date.now()): DashboardSnapshot {
    const views = this.agg.views(this.now(wallMs));
    // Packets are counted on the wall clock (the capture's pace), whatever the transactions follow.
    const from = Math.floor(wallMs / 1000) - this.window + 1;
    const pps = new Array<number>(this.window).fill(0);
    for (let i = 0; i < this.window; i++) {
      const sec = this.packetSecs[i];
      if (sec >= from && sec < from + this.window) pps[sec - from] = this.packets[i];
    }
    const m = this.metrics;
    const cap = this.opts.queueCapacity;
    return {
      title: this.opts.title,
      source: 'live',
      ...views,
      bounds: latencyBounds(),
      health: {
        packetsPerSec: pps,
        packetsFrom: from * 1000,
        packets: m?.source.frames ?? 0,
        captureLossBytes: n(m?.source.capture_missed_bytes),
        gaps: n(m?.reassembly.gaps),
        connectionsOpen: n(m?.reassembly.connectionsActive),
        queueFill: cap ? Math.min(1, n(m?.publisher.queued) / cap) : undefined,
        outputErrors: n(m?.publisher.failed) + n(m?.publisher.dropped),
      },
    };
  }

  /** The page, with the current snapshot inline and polling for the next ones. */
  page(): string {
    return dashboardPage({ snapshot: this.snapshot(), pollMs: this.opts.pollMs ?? 1000 });
  }
}
