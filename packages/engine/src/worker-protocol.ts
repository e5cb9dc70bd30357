// The messages between the main thread and an engine worker.
import type { EventDecoration, SharedProtocolConfig, TransactionEvent } from '@wirebeat/applayer';
import type { EngineCounters } from './engine';
import type { ProtocolLocation } from './protocol-locator';
import type { CloseReason, Frame } from '@wirebeat/tcp-reassembly';
import type { FlowsOptions } from '@wirebeat/flows';

/** What a worker is started with (workerData). */
export interface WorkerSetup {
  protocols: { location: ProtocolLocation; config: SharedProtocolConfig }[];
  idleTimeoutMs?: number;
  udpIdleTimeoutMs?: number;
  /** Network flows (plain options: each worker keeps the flows of its shard). */
  flows?: FlowsOptions;
  /** What turns the worker's events into its replies' payload; default: the events themselves (WireEventBatch). */
  stage?: StageSetup;
  /** Files the worker requires before the engine's modules (a compile cache). */
  preload?: string[];
  /** This worker's share of the memory budget. */
  memoryBudgetBytes?: number;
  /** The worker reads the input itself and keeps the frames of its shard (file replay). */
  feed?: FeedSetup;
}

/**
 * What a prestarted worker is started with (workerData): it loads the engine and `warm` files
 * while the main thread starts up, then waits for its WorkerSetup in a 'setup' message.
 */
export interface PrestartSetup {
  prestarted: true;
  /** Files required before the engine's modules (a compile cache). */
  preload?: string[];
  /** Modules the setup will likely name (a feed, a stage), loaded ahead. */
  warm?: string[];
}

/**
 * A worker's own input: `require(file)[exportName](config)` returns a FrameFeed over every frame
 * of the input; the worker processes the frames whose flowShard is `shard` (of `shards`) and only
 * moves its packet clock on the others, so its timeouts fire as in one engine that saw them all.
 */
export interface FeedSetup extends StageSetup {
  shard: number;
  shards: number;
}

/** What a worker's feed module makes: a source of frames (beat-runner's FileSource fits). */
export interface FrameFeed {
  /** Delivers every frame to the sink until the input ends or stop() is called. */
  run(sink: FeedSink): Promise<unknown>;
  /** Ends run() soon. */
  stop(): void;
}

/** Where a feed delivers its frames (the shape of beat-runner's FrameSink). */
export interface FeedSink {
  frame(frame: Frame): void;
  readonly mustWait: boolean;
  readonly full: boolean;
  waitForSpace(): Promise<void>;
  ready(): void;
}

/**
 * A module the worker loads to handle its engine's events (a beat enriches and encodes them
 * there): `require(file)[exportName](config)` returns an EventStage.
 */
export interface StageSetup {
  file: string;
  exportName: string;
  /** Plain data (structured-cloned into the worker). */
  config: unknown;
}

/** Collects a worker's events between replies and hands them out as a payload for the main thread. */
export interface EventStage {
  /** Takes one event as the engine publishes it. */
  add(e: TransactionEvent): void;
  /** The payload of the events since the last call, and the buffers to transfer with it. */
  take(): { payload: unknown; transfer: ArrayBuffer[] };
  /**
   * What the worker's event builders may write into each document for this stage (see
   * EngineOptions.decoration): the stage then has less to add to each event.
   */
  readonly decoration?: EventDecoration;
}

/** Main thread to worker; handled in the order posted. */
export type ToWorker =
  | { t: 'frames'; buffer: ArrayBuffer; length: number }
  | { t: 'advance'; now: number }
  | { t: 'finish'; reason: CloseReason }
  /** Close connections in batches, posting 'progress' after each and waiting for 'resume'. */
  | { t: 'finishGradually'; reason: CloseReason; batch?: number; deadline?: number }
  | { t: 'resume' }
  /** Feed: start reading the input (the main thread's output is ready). */
  | { t: 'start' }
  /** Feed: the main thread took one of the batches ('fed-events'); the worker may post another. */
  | { t: 'ack' }
  /** Feed: stop reading (a signal), then end as at the end of the input. */
  | { t: 'stop' }
  /** A prestarted worker's setup (see prestartWorkers): the first message it gets. */
  | { t: 'setup'; setup: WorkerSetup };

/** Worker to main thread. */
export type FromWorker =
  | { t: 'ready' }
  | { t: 'failed'; message: string }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; args: unknown[] }
  /**
   * A frames batch was processed; `events` is the stage's payload (a WireEventBatch by default). Its buffer stays with the worker: the engine may keep views of
   * frame bytes (a parser's unfinished message) beyond the frame.
   */
  | { t: 'done'; events: unknown; counters: EngineCounters }
  | { t: 'advanced'; events: unknown; counters: EngineCounters }
  | { t: 'progress'; events: unknown; counters: EngineCounters }
  | { t: 'finished'; events: unknown; counters: EngineCounters }
  /** Feed: the events of frames the worker read itself; answered with 'ack' once the output has room. */
  | { t: 'fed-events'; events: unknown; counters: EngineCounters }
  /** Feed: the input ended (or stopped, or failed with `error`); every event of it was posted. */
  | { t: 'fed'; events: unknown; counters: EngineCounters; error?: string };
