// Shapes shared by the pipeline and the outputs. Logger and FieldDefinition mirror applayer's
// structurally: the publisher must not depend on applayer.

/** An event to publish. */
export interface BeatEvent {
  /** Deterministic document id; outputs that support ids use it for idempotent writes. */
  id?: string;
  /** Event time in ms since the epoch (used for the daily index name). */
  timestamp: number;
  /** The JSON document. */
  fields: Record<string, unknown>;
  /**
   * `JSON.stringify(fields)`, cached by the pipeline when it accepts the event so that the size
   * limit and every output share one serialisation. Leave unset when publishing.
   */
  json?: string;
  /**
   * A later event with the same id supersedes this one (it was cut off by the end of the input).
   * Outputs that store by id never let it replace a stored document (`create`), while events
   * without the flag replace what is stored (`index`), so the final version always wins.
   */
  provisional?: boolean;
}

/** What an output did with one batch. Every event of the batch is in exactly one of the three. */
export interface BatchResult {
  /** Events stored (or found already stored: a replay of the same id). */
  acked: number;
  /** Events rejected for good (e.g. a mapping conflict); not retried. */
  failed: number;
  /** Events to send again later (429, 5xx, connection failures); the pipeline requeues them. */
  retry: BeatEvent[];
  /** Why `retry` is not empty, for the log and the backoff. */
  retryReason?: string;
}

/** How an output prefers its batches; the pipeline honours these over its own defaults. */
export interface OutputBatching {
  /** Most events per batch. */
  maxEvents?: number;
  /** Most serialised bytes per batch. */
  maxBytes?: number;
  /** Batches in flight at once. */
  concurrency?: number;
  /** How long a partial batch may wait before it is sent (ms). */
  flushIntervalMs?: number;
  /** First retry delay (ms). */
  backoffInitMs?: number;
  /** Longest retry delay (ms). */
  backoffMaxMs?: number;
}

/** Where events go: console, file, Elasticsearch or anything implementing this. */
export interface Output {
  readonly name: string;
  /** Batch limits this output wants (optional). */
  readonly batching?: OutputBatching;
  /** Prepares the output; an output that can reconnect later may resolve even when the server is down. */
  connect(): Promise<void>;
  /** Delivers a batch; `signal` aborts a request in flight when the pipeline gives up at close. */
  publishBatch(batch: BeatEvent[], signal?: AbortSignal): Promise<BatchResult>;
  /** Releases files, sockets and clients. */
  close(): Promise<void>;
}

/** Pino-compatible subset of a logger. */
export interface Logger {
  debug(msg: string | object, ...args: unknown[]): void;
  info(msg: string | object, ...args: unknown[]): void;
  warn(msg: string | object, ...args: unknown[]): void;
  error(msg: string | object, ...args: unknown[]): void;
}

/** Elasticsearch field types a protocol may declare. */
export type FieldType =
  'keyword' | 'text' | 'long' | 'integer' | 'double' | 'boolean' | 'date' | 'ip' | 'object';

/** An event field for the index template (dotted path). */
export interface FieldDefinition {
  name: string;
  type: FieldType;
  description: string;
}

/** What outputs need to know about the beat running them. */
export interface OutputContext {
  beatName: string;
  beatVersion: string;
  logger: Logger;
  /** Fields to map explicitly in the index template (common fields and each protocol's). */
  fields: FieldDefinition[];
  /** `setup.template` settings; defaults apply when absent. */
  template?: import('./config').TemplateConfigInput;
}
