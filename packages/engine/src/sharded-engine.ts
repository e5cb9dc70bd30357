// Several engines on worker threads, one per shard of the flows. Frames are sharded by flow (see
// flowShard) and posted in batches; every frame carries the packet clock of the whole capture, so
// each worker fires timeouts exactly when a single engine would. A capture therefore gives the same
// set of events as with one Engine, each connection's events in the same order; only the
// interleaving of different connections' events differs.
import os from 'os';
import type { Worker } from 'worker_threads';
import { DEFAULT_MEMORY_BUDGET_BYTES, type TransactionEvent } from '@wirebeat/applayer';
import type { CloseReason, Frame } from '@wirebeat/tcp-reassembly';
import type { Engine, EngineCounters, EngineOptions, FinishFlow } from './engine';
import { EngineWorkerError } from './errors';
import { flowShard } from './flow-shard';
import { FrameBatchWriter } from './frame-batch';
import { adoptPrestarted, compiled, startWorker } from './prestart';
import { locateProtocol, type ProtocolLocation } from './protocol-locator';
import { mergeCounters, WireEventReader, type WireEventBatch } from './wire-event';
import type { FromWorker, StageSetup, ToWorker, WorkerSetup } from './worker-protocol';

/** Batches posted to a worker and not yet processed beyond which the source is asked to wait. */
const MAX_IN_FLIGHT = 4;

/** What the beat drives: an Engine, or engines on worker threads. */
export interface FrameEngine {
  /** Processes one frame (its data is only read during the call). */
  processFrame(frame: Frame): void;
  /** Advances packet time without a frame. */
  advanceTime(now: number): void;
  /** End of input: closes every connection and flow; resolved once every event was published. */
  finish(reason?: CloseReason): void | Promise<void>;
  /** End of input in batches that wait for room in the output (see Engine.finishGradually). */
  finishGradually(reason: CloseReason, flow: FinishFlow): Promise<void>;
  /** A snapshot of every counter. */
  counters(): EngineCounters;
  /** True while the engine wants the source to wait (workers behind). */
  readonly busy?: boolean;
  /** Resolves when busy is false again. */
  waitForRoom?(): Promise<void>;
  /** Releases threads (idempotent). */
  close?(): Promise<void>;
  /** The source starts delivering (workers that read the input themselves start too). */
  startInput?(): void;
  /** The source was stopped (a signal): workers that read the input themselves stop too. */
  stopInput?(): void;
}

/** The output's fill, for workers that read the input themselves (their reading waits while it is full). */
export interface OutputRoom {
  readonly full: boolean;
  waitForSpace(): Promise<void>;
}

/** Workers for `workers: auto`: one per core the process may use. */
export function autoWorkers(): number {
  return Math.max(
    1,
    typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
  );
}

/** Options of {@link ShardedEngine.start}. */
export interface ShardedEngineOptions extends EngineOptions {
  /** Worker threads (2 or more make sense). */
  workers: number;
  /** Where a worker loads each protocol module from (default: the loaded file that exports it). */
  locate?: (module: EngineOptions['protocols'][number]['module']) => ProtocolLocation;
  /**
   * What each worker does with its events instead of posting them back (see EventStage): the
   * payloads go to `onPayload`, in each worker's order, and `publish` is not called.
   */
  stage?: { setup: StageSetup; onPayload: (payload: unknown) => void };
  /** Files each worker requires before the engine's modules, e.g. a compile cache. */
  preload?: string[];
  /**
   * File replay without per-frame work for the workers on the main thread: `workers - 1` threads
   * each read the input themselves with this module (see FeedSetup) and keep their shard of the
   * frames; `local`, the main thread's engine, takes shard 0 of the frames processFrame gets.
   * The workers' reading waits while `room` says the output is full.
   */
  feed?: { setup: StageSetup; local: Engine; room: OutputRoom };
}

interface Shard {
  worker: Worker;
  writer: FrameBatchWriter;
  inFlight: number;
  counters: EngineCounters | undefined;
  finished: (() => void) | undefined;
}

/** Engines on `workers` threads behind the FrameEngine interface. */
export class ShardedEngine implements FrameEngine {
  private readonly shards: Shard[];
  private readonly reader = new WireEventReader();
  private readonly publish: (e: TransactionEvent) => void;
  private readonly onPayload: ((payload: unknown) => void) | undefined;
  /** Largest packet time seen: the clock every frame is posted with. */
  private clock = -Infinity;
  private flushScheduled = false;
  private roomWaiters: (() => void)[] = [];
  private failure: Error | undefined;
  private closed = false;
  private framesIn = 0;
  /** Feed: the main thread's engine (shard 0 of `engines`), and the output's fill. */
  private readonly local: Engine | undefined;
  private readonly room: OutputRoom | undefined;
  private readonly engines: number;

  private constructor(opts: ShardedEngineOptions) {
    this.publish = opts.publish;
    this.onPayload = opts.stage?.onPayload;
    this.local = opts.feed?.local;
    this.room = opts.feed?.room;
    this.engines = opts.workers;
    const workers = opts.feed === undefined ? opts.workers : opts.workers - 1;
    const locate = opts.locate ?? locateProtocol;
    const setup: WorkerSetup = {
      protocols: opts.protocols.map((p) => {
        const loc = locate(p.module);
        return { location: { ...loc, file: compiled(loc.file) }, config: p.config };
      }),
      idleTimeoutMs: opts.idleTimeoutMs,
      udpIdleTimeoutMs: opts.udpIdleTimeoutMs,
      flows: opts.flows,
      stage: opts.stage && { ...opts.stage.setup, file: compiled(opts.stage.setup.file) },
      preload: opts.preload?.map(compiled),
      // One budget for the beat: each engine holds its share of the connections.
      memoryBudgetBytes: Math.floor((opts.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES) / opts.workers),
    };
    const logger = opts.logger;
    this.shards = [];
    for (let i = 0; i < workers; i++) {
      const feed = opts.feed && {
        ...opts.feed.setup,
        file: compiled(opts.feed.setup.file),
        shard: i + 1,
        shards: opts.workers,
      };
      const data: WorkerSetup = feed === undefined ? setup : { ...setup, feed };
      // One prestarted for this engine (prestartWorkers) is already up: it gets its setup as a message.
      const worker = adoptPrestarted(data) ?? startWorker(data);
      const shard: Shard = {
        worker,
        writer: new FrameBatchWriter(),
        inFlight: 0,
        counters: undefined,
        finished: undefined,
      };
      worker.on('message', (m: FromWorker) => {
        if (m.t === 'log') (logger[m.level] as (...a: unknown[]) => void)(...m.args);
        else this.onReply(shard, m);
      });
      worker.on('error', (err) => this.fail(new EngineWorkerError(`engine worker ${i}: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new EngineWorkerError(`engine worker ${i} exited (code ${code})`));
      });
      this.shards.push(shard);
    }
  }

  /** Starts `workers` engine threads; resolves once each has built its protocols (or rejects with why not). */
  static async start(opts: ShardedEngineOptions): Promise<ShardedEngine> {
    const engine = new ShardedEngine(opts);
    // Feed: the main thread's engine goes ahead while the workers load (their start-up overlaps the
    // main thread's); a worker that fails to start fails the run at its next frame or its finish.
    if (opts.feed !== undefined) return engine;
    try {
      await Promise.all(
        engine.shards.map(
          (s) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: FromWorker) => {
                if (m.t === 'ready') resolve();
                else if (m.t === 'failed') reject(new EngineWorkerError(m.message));
                else return;
                s.worker.off('message', onMessage);
              };
              s.worker.on('message', onMessage);
              s.worker.once('error', reject);
            }),
        ),
      );
    } catch (err) {
      await engine.close();
      throw err;
    }
    return engine;
  }

  private onReply(shard: Shard, m: FromWorker): void {
    if (m.t === 'failed') this.fail(new EngineWorkerError(m.message));
    if (m.t === 'ready' || m.t === 'failed' || m.t === 'log') return;
    shard.counters = m.counters;
    if (this.onPayload !== undefined) this.onPayload(m.events);
    else this.publishAll(m.events as WireEventBatch);
    if (m.t === 'done') {
      shard.inFlight--;
      // An idle worker gets what was batched for it meanwhile.
      if (shard.inFlight === 0 && shard.writer.frames > 0 && !this.closed) this.send(shard);
      if (!this.busy && this.roomWaiters.length > 0) {
        const waiters = this.roomWaiters;
        this.roomWaiters = [];
        for (const w of waiters) w();
      }
    } else if (m.t === 'progress') this.onProgress(shard);
    else if (m.t === 'finished') shard.finished?.();
    else if (m.t === 'fed-events') this.ack(shard);
    else if (m.t === 'fed' && m.error !== undefined)
      this.fail(new EngineWorkerError(`engine worker reading the input: ${m.error}`));
  }

  /** A worker's batch of its own input was queued: it may read on once the output has room. */
  private ack(shard: Shard): void {
    const go = () => {
      if (!this.closed) this.post(shard, { t: 'ack' });
    };
    if (this.room === undefined || !this.room.full) return go();
    void this.room.waitForSpace().then(go, go);
  }

  /** Feed: the workers start reading their input. */
  startInput(): void {
    if (this.local === undefined || this.closed) return;
    for (const s of this.shards) this.post(s, { t: 'start' });
  }

  /** Feed: the workers stop reading (what they read is still processed and finished). */
  stopInput(): void {
    if (this.local === undefined || this.closed) return;
    for (const s of this.shards) this.post(s, { t: 'stop' });
  }

  /** The flow of the gradual finish under way (undefined otherwise). */
  private finishFlow: FinishFlow | undefined;

  /** A worker closed a batch of connections: it goes on once the output has room (or the deadline passed). */
  private onProgress(shard: Shard): void {
    const flow = this.finishFlow;
    const go = () => {
      if (!this.closed) this.post(shard, { t: 'resume' });
    };
    if (flow === undefined) return go();
    const wait = async () => {
      while (flow.mustWait() && Date.now() < (flow.deadline ?? Infinity) && this.failure === undefined)
        await flow.waitForSpace();
      go();
    };
    void wait();
  }

  private publishAll(events: WireEventBatch): void {
    this.reader.read(events, this.publish);
  }

  private fail(err: Error): void {
    if (this.failure !== undefined || this.closed) return;
    this.failure = err;
    for (const s of this.shards) s.finished?.();
    for (const w of this.roomWaiters) w();
    this.roomWaiters = [];
  }

  /** Adds a frame to its flow's batch; batches go out when full and after the current turn of the event loop. */
  processFrame(frame: Frame): void {
    if (this.failure !== undefined) throw this.failure;
    const local = this.local;
    if (local !== undefined) {
      // The workers read the frames themselves: the other shards' frames only move the local packet clock.
      this.framesIn++;
      if (flowShard(frame.data, frame.linktype, this.engines) !== 0) {
        if (frame.ts > this.clock) this.clock = frame.ts;
        return;
      }
      // The packet clock reaches where the other shards' frames took it before this frame, as in
      // one engine that processed them (timeouts fire in between the same way).
      if (this.clock > -Infinity) local.advanceTime(this.clock);
      local.processFrame(frame);
      return;
    }
    const shard = this.shards[flowShard(frame.data, frame.linktype, this.shards.length)];
    if (!shard.writer.fits(frame) && shard.writer.frames > 0) this.send(shard);
    shard.writer.add(frame, this.clock);
    if (frame.ts > this.clock) this.clock = frame.ts;
    this.framesIn++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushIdle());
    }
  }

  private send(shard: Shard): void {
    const batch = shard.writer.take();
    shard.inFlight++;
    this.post(shard, { t: 'frames', buffer: batch.buffer, length: batch.length }, [batch.buffer]);
  }

  private post(shard: Shard, m: ToWorker, transfer?: ArrayBuffer[]): void {
    shard.worker.postMessage(m, transfer);
  }

  /**
   * After a turn of the event loop: posts the batches of idle workers. A busy worker's batch keeps
   * growing until its last one is done (fewer, larger messages while the workers are behind).
   */
  private flushIdle(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    for (const s of this.shards) if (s.writer.frames > 0 && s.inFlight === 0) this.send(s);
  }

  /** Posts every batch that holds frames. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    for (const s of this.shards) if (s.writer.frames > 0) this.send(s);
  }

  /** Moves every worker's packet clock (a quiet live interface). */
  advanceTime(now: number): void {
    if (this.failure !== undefined || this.closed) return;
    // Feed: workers reading their own input keep their own clock.
    if (this.local !== undefined) return this.local.advanceTime(now);
    this.flush();
    if (now > this.clock) this.clock = now;
    for (const s of this.shards) this.post(s, { t: 'advance', now });
  }

  /** True while some worker has more batches queued than MAX_IN_FLIGHT. */
  get busy(): boolean {
    for (const s of this.shards) if (s.inFlight >= MAX_IN_FLIGHT) return true;
    return false;
  }

  /** Resolves once no worker is behind (or one failed). */
  waitForRoom(): Promise<void> {
    if (!this.busy || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Posts what is batched, brings every worker to the last packet time, closes every flow and waits for the events. */
  finish(reason: CloseReason = 'eof'): Promise<void> {
    return this.finishWith({ t: 'finish', reason }, () => this.local?.finish(reason));
  }

  /** As finish, each worker closing its connections in batches that wait for room in the output. */
  async finishGradually(reason: CloseReason, flow: FinishFlow): Promise<void> {
    this.finishFlow = flow;
    try {
      await this.finishWith(
        { t: 'finishGradually', reason, batch: flow.batch, deadline: flow.deadline },
        () => this.local?.finishGradually(reason, flow),
      );
    } finally {
      this.finishFlow = undefined;
    }
  }

  private async finishWith(last: ToWorker, local: () => void | Promise<void>): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.flush();
    // Feed: the main thread's engine finishes beside the workers (which first read their input to its end).
    if (this.local !== undefined && this.clock > -Infinity) this.local.advanceTime(this.clock);
    const localDone = local();
    const done = this.shards.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.finished = resolve;
        }),
    );
    for (const s of this.shards) {
      // (Workers that read their own input have their own clock.)
      if (this.clock > -Infinity && this.local === undefined) this.post(s, { t: 'advance', now: this.clock });
      this.post(s, last);
    }
    await Promise.all([...done, localDone]);
    for (const s of this.shards) s.finished = undefined;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Every worker's counters added up (as of their last reply); `frames` counts what was handed in. */
  counters(): EngineCounters {
    const snapshots = this.shards.flatMap((s) => (s.counters === undefined ? [] : [s.counters]));
    if (this.local !== undefined) snapshots.unshift(this.local.counters());
    if (snapshots.length === 0)
      return {
        frames: this.framesIn,
        reassembly: {},
        udp: {},
        fragments: {},
        protocols: {},
      } as unknown as EngineCounters;
    return { ...mergeCounters(snapshots), frames: this.framesIn };
  }

  /** Ends the worker threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.shards.map((s) => s.worker.terminate()));
  }
}
