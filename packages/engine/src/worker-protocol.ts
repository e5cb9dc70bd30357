// The messages between the main thread and an engine worker.
import type { SharedProtocolConfig } from '@wirebeat/applayer';
import type { EngineCounters } from './engine';
import type { ProtocolLocation } from './protocol-locator';
import type { WireEventBatch } from './wire-event';
import type { CloseReason } from '@wirebeat/tcp-reassembly';

/** What a worker is started with (workerData). */
export interface WorkerSetup {
  protocols: { location: ProtocolLocation; config: SharedProtocolConfig }[];
  idleTimeoutMs?: number;
  udpIdleTimeoutMs?: number;
  /** This worker's share of the memory budget. */
  memoryBudgetBytes?: number;
}

/** Main thread to worker; handled in the order posted. */
export type ToWorker =
  | { t: 'frames'; buffer: ArrayBuffer; length: number }
  | { t: 'advance'; now: number }
  | { t: 'finish'; reason: CloseReason }
  /** Close connections in batches, posting 'progress' after each and waiting for 'resume'. */
  | { t: 'finishGradually'; reason: CloseReason; batch?: number; deadline?: number }
  | { t: 'resume' };

/** Worker to main thread. */
export type FromWorker =
  | { t: 'ready' }
  | { t: 'failed'; message: string }
  | { t: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; args: unknown[] }
  /**
   * A frames batch was processed. Its buffer stays with the worker: the engine may keep views of
   * frame bytes (a parser's unfinished message) beyond the frame.
   */
  | { t: 'done'; events: WireEventBatch; counters: EngineCounters }
  | { t: 'advanced'; events: WireEventBatch; counters: EngineCounters }
  | { t: 'progress'; events: WireEventBatch; counters: EngineCounters }
  | { t: 'finished'; events: WireEventBatch; counters: EngineCounters };
