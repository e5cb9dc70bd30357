// The bounded queue between the protocols and an output: batching, backpressure, retries with
// backoff, and a drain with a deadline at exit.
import { PipelineClosedError } from './errors';
import { blockEvents, entryCount, isBlock, type EventBlock, type QueueEntry } from './event-block';
import { EventQueue } from './event-queue';
import type { BeatEvent, BatchResult, BlockResult, Logger, Output } from './types';
import type { QueueConfig } from './config';

/** Options of a Pipeline; every field has a default. */
export interface PipelineOptions {
  /** Most events held, queued and in flight (default 8192). */
  maxEvents?: number;
  /** Most serialised bytes held, queued and in flight (default 64 MiB). */
  maxBytes?: number;
  /** Events per batch (default 1600; the output's own limit wins when lower). */
  batchSize?: number;
  /** Bytes per batch (default 10 MiB; the output's own limit wins when lower). */
  batchBytes?: number;
  /** How long a partial batch waits before it is sent, ms (default 1000). */
  flushIntervalMs?: number;
  /** Batches in flight at once (default: the output's preference, else 1). */
  concurrency?: number;
  /** 'block': the producer waits for space (file replay); 'drop': new events are dropped (live). */
  policy?: 'block' | 'drop';
  /** First retry delay, doubled per consecutive failure up to `backoffMaxMs` (default: the output's, else 1000). */
  backoffInitMs?: number;
  /** Longest retry delay (default: the output's, else 60000). */
  backoffMaxMs?: number;
  logger?: Logger;
}

/** Counters of a Pipeline (events). */
export interface PipelineCounters {
  /** Accepted by publish(). */
  published: number;
  /** Stored by the output. */
  acked: number;
  /** Rejected for good by the output. */
  failed: number;
  /** Refused because the queue was full (policy 'drop') or the pipeline closed. */
  dropped: number;
  /** Sent again after a retryable failure (counted per attempt). */
  retried: number;
  /** Held now: queued or in flight. */
  queued: number;
  /** Serialised bytes held now. */
  queuedBytes: number;
}

/** Pipeline options from a parsed `queue` config section. */
export function pipelineOptionsFromConfig(
  queue: QueueConfig,
  policy: 'block' | 'drop',
  logger?: Logger,
): PipelineOptions {
  return {
    maxEvents: queue.mem.events,
    maxBytes: queue.mem.bytes,
    batchSize: queue.mem.flush.min_events,
    flushIntervalMs: queue.mem.flush.timeout,
    policy,
    logger,
  };
}

/** An output's answer (to a batch or a block), or a request that failed as a whole. */
type Settled =
  (BatchResult | BlockResult) | { acked: number; failed: number; retry: QueueEntry[]; retryReason?: string };

/** How long close() waits for aborted requests to settle. */
const ABORT_GRACE_MS = 1000;

const noopLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Moves events from producers to an output in batches, within fixed memory limits. */
export class Pipeline {
  private readonly queue: EventQueue;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly batchSize: number;
  private readonly batchBytes: number;
  private readonly flushIntervalMs: number;
  private readonly concurrency: number;
  private readonly policy: 'block' | 'drop';
  private readonly backoffInitMs: number;
  private readonly backoffMaxMs: number;
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private readonly inflight = new Set<Promise<void>>();
  private inflightEvents = 0;
  private inflightBytes = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private backoffUntil = 0;
  private failures = 0;
  private retryLogs = 0;
  /** Why the output last failed to take a batch, for the exit message when events stay undelivered. */
  private lastFailure: string | undefined;
  /** Batches allowed in flight now: halved when the output pushes back, regrown by one per clean batch. */
  private window: number;
  private closing = false;
  private closed = false;
  private spaceWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];
  private readonly stats = { published: 0, acked: 0, failed: 0, dropped: 0, retried: 0 };

  constructor(
    private readonly output: Output,
    opts: PipelineOptions = {},
  ) {
    const pref = output.batching ?? {};
    this.maxEvents = opts.maxEvents ?? 8192;
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.batchSize = Math.min(opts.batchSize ?? 1600, pref.maxEvents ?? Infinity, this.maxEvents);
    this.batchBytes = Math.min(opts.batchBytes ?? 10 * 1024 * 1024, pref.maxBytes ?? Infinity);
    this.flushIntervalMs = Math.min(opts.flushIntervalMs ?? 1000, pref.flushIntervalMs ?? Infinity);
    this.concurrency = opts.concurrency ?? pref.concurrency ?? 1;
    this.window = this.concurrency;
    this.policy = opts.policy ?? 'block';
    this.backoffInitMs = opts.backoffInitMs ?? pref.backoffInitMs ?? 1000;
    this.backoffMaxMs = opts.backoffMaxMs ?? pref.backoffMaxMs ?? 60_000;
    this.logger = opts.logger ?? noopLogger;
    // An output that writes blocks gets its batches as blocks, encoded while they fill (see
    // BlockWriter); the others get the event objects.
    this.queue = new EventQueue(
      output.publishBlock === undefined
        ? undefined
        : { maxEvents: this.batchSize, maxBytes: this.batchBytes, keepIds: output.ignoresBlockIds !== true },
    );
  }

  /** True when the queue holds as many events or bytes as allowed. */
  get full(): boolean {
    return (
      this.queue.length + this.inflightEvents >= this.maxEvents ||
      this.queue.bytes + this.inflightBytes >= this.maxBytes
    );
  }

  /**
   * Queues an event. Returns false when the queue is full: under 'drop' the event was dropped;
   * under 'block' it was accepted (a packet may yield several events at once) and the producer
   * must await waitForSpace() before publishing more. Always false (and counted dropped) after close.
   */
  publish(event: BeatEvent): boolean {
    if (this.closing) {
      this.stats.dropped++;
      return false;
    }
    if (this.policy === 'drop' && this.full) {
      this.stats.dropped++;
      return false;
    }
    if (event.json === undefined) event.json = JSON.stringify(event.fields);
    this.queue.push(event);
    this.stats.published++;
    this.schedule();
    return !this.full;
  }

  /**
   * Queues a block of encoded events (counted as its events; same return value as publish). An
   * output without publishBlock gets its events one by one.
   */
  publishBlock(block: EventBlock): boolean {
    if (this.output.publishBlock === undefined) {
      let room = true;
      for (const e of blockEvents(block)) room = this.publish(e);
      return room;
    }
    if (this.closing || (this.policy === 'drop' && this.full)) {
      this.stats.dropped += block.count;
      return false;
    }
    this.queue.push(block);
    this.stats.published += block.count;
    this.schedule();
    return !this.full;
  }

  /** Resolves once the queue has room again (at once if it has). */
  waitForSpace(): Promise<void> {
    if (!this.full || this.closing) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Sends everything queued now, without waiting for the flush interval. */
  flush(): void {
    this.clearFlushTimer();
    this.dispatch(true);
  }

  /**
   * Stops accepting events, delivers what is held within `timeoutMs`, then aborts what is still in
   * flight and closes the output. `undelivered` counts the events neither acked nor failed;
   * `lastFailure` says why the output last refused a batch (undefined when it never did).
   */
  async close(timeoutMs: number): Promise<{ undelivered: number; lastFailure?: string }> {
    if (this.closed) throw new PipelineClosedError('pipeline already closed');
    this.closing = true;
    this.wakeSpaceWaiters();
    this.flush();
    const idle = new Promise<void>((resolve) => {
      if (this.isIdle()) resolve();
      else this.idleWaiters.push(resolve);
    });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, timeoutMs))));
    await Promise.race([idle, expired]);
    clearTimeout(timer);
    this.closed = true;
    this.clearFlushTimer();
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.abort.abort();
    // An output that ignores the abort (a stuck stdout) must not hang the exit: short grace, then go.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inflight]),
      new Promise<void>((resolve) => (grace = setTimeout(resolve, ABORT_GRACE_MS))),
    ]);
    clearTimeout(grace);
    const undelivered = this.queue.length + this.inflightEvents;
    if (undelivered > 0) {
      this.logger.warn(
        { undelivered },
        `${undelivered} events not delivered before the ${timeoutMs} ms drain timeout`,
      );
    }
    await this.output.close();
    return { undelivered, lastFailure: this.lastFailure };
  }

  /** Snapshot of the counters. */
  counters(): PipelineCounters {
    return {
      ...this.stats,
      queued: this.queue.length + this.inflightEvents,
      queuedBytes: this.queue.bytes + this.inflightBytes,
    };
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inflight.size === 0;
  }

  /** Sends full batches now and arms the flush timer for a partial one. */
  private schedule(): void {
    if (this.queue.length >= this.batchSize || this.queue.bytes >= this.batchBytes) {
      this.dispatch(false);
    } else if (!this.flushTimer && !this.backoffTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.dispatch(true);
      }, this.flushIntervalMs);
    }
  }

  private clearFlushTimer(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private dispatch(partial: boolean): void {
    if (this.closed || this.backoffTimer) return;
    while (this.inflight.size < this.window && this.queue.length > 0) {
      if (
        !partial &&
        !this.closing &&
        this.queue.length < this.batchSize &&
        this.queue.bytes < this.batchBytes
      )
        break;
      const { events, count, bytes } = this.queue.take(this.batchSize, this.batchBytes);
      this.send(events, count, bytes);
    }
    if (this.queue.length > 0 && this.inflight.size >= this.window) this.clearFlushTimer();
  }

  private send(events: QueueEntry[], count: number, bytes: number): void {
    this.inflightEvents += count;
    this.inflightBytes += bytes;
    // A block is taken alone (EventQueue.take) and only when the output has publishBlock.
    const first = events[0];
    const sent = isBlock(first)
      ? this.output.publishBlock!(first, this.abort.signal)
      : this.output.publishBatch(events as BeatEvent[], this.abort.signal);
    const p = sent
      .then(
        (r) => {
          this.settle(count, bytes, r);
          // Delivered whole: the output is done with the block's bytes (see Output.publishBlock).
          if (isBlock(first) && r.retry.length === 0 && this.output.releasesBlocks === true)
            this.queue.recycle(first);
        },
        (e: unknown) =>
          this.settle(count, bytes, {
            acked: 0,
            failed: 0,
            retry: events,
            retryReason: e instanceof Error ? e.message : String(e),
          }),
      )
      .finally(() => {
        this.inflight.delete(p);
        this.afterBatch();
      });
    this.inflight.add(p);
  }

  private settle(count: number, bytes: number, r: Settled): void {
    this.inflightEvents -= count;
    this.inflightBytes -= bytes;
    this.stats.acked += r.acked;
    this.stats.failed += r.failed;
    if (r.retry.length > 0) {
      // Retried events go back to the front: they are already counted against the limits' budget.
      this.queue.unshiftAll(r.retry);
      let retried = 0;
      for (const e of r.retry) retried += entryCount(e);
      this.stats.retried += retried;
      // A batch that made progress means congestion, not an outage: back off briefly. Without
      // progress the delay keeps doubling (cluster down, restarting).
      this.failures = r.acked + r.failed > 0 ? 1 : this.failures + 1;
      this.lastFailure = `output ${this.output.name}: ${r.retryReason ?? 'retryable failure'}`;
      this.window = Math.max(1, this.window >> 1);
      const delay = this.backoffDelay();
      this.backoffUntil = Math.max(this.backoffUntil, Date.now() + delay);
      this.retryLogs++;
      // The first retry of a streak is a warning, the rest debug (a sustained 429 storm would flood the log).
      const level = this.failures === 1 && this.retryLogs % 100 !== 1 ? 'debug' : 'warn';
      this.logger[level](
        { retry: retried, delayMs: delay, reason: r.retryReason },
        `output ${this.output.name}: ${retried} events to retry in ${delay} ms (${r.retryReason ?? 'retryable'})`,
      );
    } else {
      this.failures = 0;
      if (this.window < this.concurrency) this.window++;
    }
  }

  /** Exponential backoff with full jitter in its upper half, so that workers do not retry in step. */
  private backoffDelay(): number {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffInitMs * 2 ** Math.min(this.failures - 1, 30));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private afterBatch(): void {
    if (this.closed) {
      if (this.isIdle()) this.wakeIdleWaiters();
      return;
    }
    if (!this.full) this.wakeSpaceWaiters();
    const wait = this.backoffUntil - Date.now();
    if (wait > 0) {
      // A timer may fire a little before its time: the batch it sent can succeed inside the
      // backoff. Nothing left then: the drain is over (no timer would ever say so).
      if (this.isIdle()) this.wakeIdleWaiters();
      else if (!this.backoffTimer) {
        this.clearFlushTimer();
        this.backoffTimer = setTimeout(() => {
          this.backoffTimer = undefined;
          this.dispatch(true);
        }, wait);
      }
      return;
    }
    // After a batch, send what waits: full batches at once, a partial one at once only when draining.
    this.dispatch(this.closing);
    if (!this.closing && this.queue.length > 0 && this.inflight.size < this.window) this.schedule();
    if (this.isIdle()) this.wakeIdleWaiters();
  }

  private wakeSpaceWaiters(): void {
    const w = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const f of w) f();
  }

  private wakeIdleWaiters(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }
}
