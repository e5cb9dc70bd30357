// What every dashboard draws: one JSON object, the same whether it comes from the live beat, a
// capture (report) or Elasticsearch aggregations. The page knows nothing else.

/** A transaction in the "slowest" table. */
export interface SlowRow {
  /** Start, ms since the epoch. */
  ts: number;
  ms: number;
  resource?: string;
  status: 'OK' | 'Error';
  client?: string;
  server?: string;
}

/** A resource in the "top" table. */
export interface TopRow {
  resource: string;
  count: number;
  errors: number;
}

/** Everything shown for one protocol. */
export interface ProtocolView {
  name: string;
  /** The field counted as resource (`url.path`), when the protocol declares one. */
  resourceField?: string;
  errorField?: string;
  transactions: number;
  errors: number;
  /** Counts per step, from the snapshot's `from` (transactions and errors). */
  tx: number[];
  err: number[];
  /** Latency percentiles in ms (absent without any latency). */
  p50?: number;
  p90?: number;
  p99?: number;
  /** Counts per latency bucket; `bounds` are the upper bounds (ms), the last bucket is open. */
  latency: number[];
  slowest: SlowRow[];
  top: TopRow[];
}

/** The capture's health. */
export interface HealthView {
  /** Packets per second by wall-clock second, from `packetsFrom` (live only). */
  packetsPerSec?: number[];
  packetsFrom?: number;
  packets: number;
  captureLossBytes: number;
  gaps: number;
  connectionsOpen: number;
  /** Share of the publisher queue in use, 0..1 (live only). */
  queueFill?: number;
  outputErrors: number;
}

/** An Error transaction of a report, with what locates it in the capture. */
export interface ErrorRow {
  ts: number;
  protocol: string;
  resource?: string;
  /** Latency in ms, when both sides were seen. */
  ms?: number;
  error?: string;
  notes: string[];
  client?: string;
  server?: string;
  /** First and last frame numbers (1-based, as Wireshark counts) of the transaction's packets. */
  frames?: [number, number];
}

/** One dashboard state. */
export interface DashboardSnapshot {
  title: string;
  source: 'live' | 'report' | 'elasticsearch';
  /** Range covered, ms since the epoch. */
  from: number;
  to: number;
  /** Width of one series point, ms. */
  stepMs: number;
  /** Upper bounds (ms) of the latency buckets. */
  bounds: number[];
  protocols: ProtocolView[];
  health?: HealthView;
  errors?: ErrorRow[];
  /** Error transactions not listed (over the list's limit). */
  errorsOmitted?: number;
}
