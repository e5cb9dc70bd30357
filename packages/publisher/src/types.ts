// Shapes shared by the pipeline and the outputs. BeatEvent, Logger and FieldDefinition are
// @wirebeat/core's, which applayer shares: the publisher does not depend on applayer.
import type { BeatEvent, FieldDefinition, Logger } from '@wirebeat/core';
import type { EventBlock } from './event-block';

export type { BeatEvent } from '@wirebeat/core';

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

/** What an output did with a block (see Output.publishBlock): `retry` holds the block or nothing. */
export interface BlockResult {
  acked: number;
  failed: number;
  retry: EventBlock[];
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
  /**
   * Delivers a block of encoded events as written (optional: without it the pipeline hands the
   * block's events to publishBatch). `retry` then holds the block itself or nothing.
   */
  publishBlock?(block: EventBlock, signal?: AbortSignal): Promise<BlockResult>;
  /**
   * The output never reads a block's ids (it writes lines as they are): the blocks the pipeline
   * makes for it then keep none, which spares holding an id string per waiting event.
   */
  readonly ignoresBlockIds?: boolean;
  /**
   * publishBlock resolves only once nothing refers to the block's bytes any more (they are in a
   * file, or with the system): the pipeline then writes later blocks in that memory.
   */
  readonly releasesBlocks?: boolean;
  /** Releases files, sockets and clients. */
  close(): Promise<void>;
}

export type { Logger, FieldType, FieldDefinition } from '@wirebeat/core';

/** A compiled Beats condition (`when`) on an event's fields. */
export type EventCondition = (fields: Record<string, unknown>) => boolean;

/** What outputs need to know about the beat running them. */
export interface OutputContext {
  beatName: string;
  beatVersion: string;
  logger: Logger;
  /** Fields to map explicitly in the index template (common fields and each protocol's). */
  fields: FieldDefinition[];
  /** `setup.template` settings; defaults apply when absent. */
  template?: import('./config').TemplateConfigInput;
  /** The beat's compiler of `when` conditions (Kafka `topics` rules); without it `when` is refused. */
  compileCondition?: (spec: unknown, where: string) => EventCondition;
}
