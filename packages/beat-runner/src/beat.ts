// Wires one run: source -> Engine (reassembly, dispatch, packet clock) -> Pipeline -> output.
import {
  commonFields,
  type EventDecoration,
  type FieldDefinition,
  type TransactionEvent,
} from '@wirebeat/applayer';
import { beatAddedFields } from '@wirebeat/core';
import type { FrameEngine } from '@wirebeat/engine';
import { flowFields, flowsOptions } from '@wirebeat/flows';
import { createOutput, Pipeline, pipelineOptionsFromConfig } from '@wirebeat/publisher';
import { PcapWriter, type Frame } from '@wirebeat/tcp-reassembly';
import type { BeatConfig } from './config/schema';
import type { EventEnricher } from './events/enricher';
import { eventDebugTap, frameDebugTap } from './debug-taps';
import { HeapGovernor, heapSoftLimitOf } from './heap-governor';
import type { BeatLogger } from './logger';
import { compileCondition } from './processors/conditions';
import type { ResolvedProtocol } from './protocols/registry';
import type { FrameSink, PacketSource, SourceSummary } from './sources/types';
import {
  createEngine,
  sinkMustWait,
  sinkWaitForSpace,
  type WorkerEncoding,
  type WorkerFeed,
} from './workers/create-engine';

/** Frames between two looks of the heap governor inside an input chunk (a power of two). */
const GOVERNOR_EVERY = 1024;

/** Options of {@link Beat}. */
export interface BeatOptions {
  beatName: string;
  beatVersion: string;
  config: BeatConfig;
  protocols: ResolvedProtocol[];
  source: PacketSource;
  /** true for files (time from the packets); false for live capture (the wall clock advances time). */
  replay: boolean;
  logger: BeatLogger;
  /** Receives the metrics object every period and at the end. */
  onMetrics?: (metrics: BeatMetrics) => void;
  /** Write every frame to this pcap file (`--dump`). */
  dumpPath?: string;
  /** Adds host/agent/ecs fields, tags, processes and runs the processors before events are queued. */
  enricher?: EventEnricher;
  /** Log every published event at debug level (`-d publisher`). */
  debugEvents?: boolean;
  /** Sees every event queued for the output (the live dashboard's feed). */
  onEvent?: (e: TransactionEvent) => void;
  /** Soft limit of the heap in bytes (see HeapGovernor); default heapSoftLimitOf the config's budgets. */
  heapSoftLimit?: number;
}

/** The counters logged periodically and at exit. */
export interface BeatMetrics {
  uptime_ms: number;
  source: { frames: number };
  reassembly: Record<string, unknown>;
  /** UDP flows and datagrams (the engine's counters.udp). */
  udp: Record<string, unknown>;
  /** IP fragments of UDP datagrams (the engine's counters.fragments). */
  fragments: Record<string, unknown>;
  protocols: Record<string, unknown>;
  /** The flow table (the engine's counters.flows: active, evicted...), when flows are on. */
  flows?: Record<string, unknown>;
  publisher: Record<string, unknown>;
  /** Events dropped by processors. */
  processors?: Record<string, unknown>;
  /**
   * The memory budget (bytes charged, its limit, open connections, connections evicted to keep
   * within it) and the full collections the heap governor ran (present once it ran one).
   */
  memory?: Record<string, unknown>;
}

/** What a finished run reports. */
export interface BeatResult {
  source: SourceSummary;
  /** Events the output had not taken when the drain timeout passed. */
  undelivered: number;
  /** Why the output last refused a batch, if it did (for the exit message). */
  lastOutputFailure?: string;
  metrics: BeatMetrics;
}

/** network.direction, which the enricher adds inside the protocol's network object. */
const DIRECTION_FIELD: FieldDefinition = {
  name: 'network.direction',
  type: 'keyword',
  description: 'ingress, egress, inbound, outbound, internal, external or unknown (as Packetbeat 8).',
};

/** Every field the index template maps: the common ones, the beat's, each protocol's own and the flows'. */
export function templateFields(protocols: readonly ResolvedProtocol[], flows = false): FieldDefinition[] {
  const own = [
    ...commonFields,
    DIRECTION_FIELD,
    ...beatAddedFields,
    ...protocols.flatMap((p) => p.module.fields),
  ];
  return flows ? [...own, ...flowFields] : own;
}

/** Whether the config turns network flows on (a `flows` section not disabled). */
export function flowsEnabled(config: BeatConfig): boolean {
  return config.beat.flows?.enabled === true;
}

/** One run of the beat over one source. */
export class Beat {
  private readonly started = Date.now();
  private stopping = false;
  private pipeline: Pipeline | undefined;
  private engine: FrameEngine | undefined;
  private governor: HeapGovernor | undefined;
  /** Events dropped and processor failures in the engine workers' enrichment. */
  private readonly workerCounts = { dropped: 0, failed: 0 };
  /** Frames handed to the engine so far (live capture's clock looks at it). */
  private framesSeen = 0;

  constructor(private readonly opts: BeatOptions) {}

  /** Runs until the source ends or stop() is called, then flushes, drains and reports. */
  async run(): Promise<BeatResult> {
    const { config, logger } = this.opts;
    // Everything that can fail on configuration is built before the output is connected.
    const engine = await createEngine(
      {
        protocols: this.opts.protocols,
        publish: this.publisher(),
        logger,
        idleTimeoutMs: config.beat.idle_timeout,
        ...(flowsEnabled(config) ? { flows: flowsOptions(config.beat.flows!) } : {}),
        memoryBudgetBytes: config.beat.max_state_bytes,
        ...this.decoration(),
      },
      config.beat.workers,
      this.workerEncoding(),
      this.workerFeed(),
    );
    this.engine = engine;
    try {
      return await this.runWith(engine);
    } finally {
      await engine.close?.();
    }
  }

  private async runWith(engine: FrameEngine): Promise<BeatResult> {
    const { config, logger } = this.opts;
    const output = createOutput(config.output, {
      beatName: this.opts.beatName,
      beatVersion: this.opts.beatVersion,
      logger,
      fields: templateFields(this.opts.protocols, flowsEnabled(config)),
      template: config.setup.template,
      compileCondition,
    });
    await output.connect();
    // Both sources wait while the queue is full (live capture's packets wait in its capture
    // process meanwhile), so that a packet's events are kept whole instead of dropped.
    const pipeline = new Pipeline(output, pipelineOptionsFromConfig(config.queue, 'block', logger));
    this.pipeline = pipeline;

    const governor = new HeapGovernor(
      this.opts.heapSoftLimit ?? heapSoftLimitOf(config.beat.max_state_bytes, config.queue.mem.bytes),
    );
    this.governor = governor;
    const sink = this.createSink(engine, pipeline, governor);
    const periodic = this.startPeriodicWork(engine);
    let summary: SourceSummary | undefined;
    let failure: unknown;
    try {
      // A signal during the start-up stopped the source already: the workers are not started either.
      if (!this.stopping) engine.startInput?.();
      summary = await this.opts.source.run(sink);
    } catch (err) {
      // A source failing half way (I/O error): what it delivered is still flushed and drained.
      failure = err;
      engine.stopInput?.();
    } finally {
      clearInterval(periodic);
      sink.close();
    }
    // End of input: every connection is closed, which makes the plugins publish what is pending;
    // in batches that wait for room in the queue (an output slower than the flush would otherwise
    // have every pending request of every connection in memory at once).
    const started = Date.now();
    const flushed = engine.finishGradually('eof', {
      mustWait: () => {
        governor.check();
        return pipeline.full;
      },
      waitForSpace: () => pipeline.waitForSpace(),
      deadline: started + config.beat.shutdown_timeout,
    });
    // When the source failed, its error is the one to report (engine workers reading the same input
    // fail with it too, sooner or later); what was read is still drained.
    await (failure === undefined ? flushed : flushed.catch(() => undefined));
    // Closing the pipeline drains it and then closes the output (within what is left of the timeout).
    const left = Math.max(0, config.beat.shutdown_timeout - (Date.now() - started));
    const { undelivered, lastFailure } = await pipeline.close(left);
    if (failure !== undefined) throw failure;
    const metrics = this.metrics();
    logger.info({ frames: metrics.source.frames, undelivered }, 'stopped');
    return {
      source: summary!,
      undelivered,
      lastOutputFailure: lastFailure,
      metrics,
    };
  }

  /** What the protocols publish through: the enricher (may drop the event), then the pipeline. */
  private publisher(): (e: TransactionEvent) => void {
    const enricher = this.opts.enricher;
    const onEvent = this.opts.onEvent;
    const debug =
      this.opts.debugEvents === true ? this.opts.logger.child({ selector: 'publisher' }) : undefined;
    const names = this.opts.protocols.map((p) => p.module.name);
    const perProtocol = eventDebugTap(this.opts.logger, this.opts.config.logging.selectors, names);
    return (e) => {
      const out = enricher === undefined ? e : enricher.apply(e);
      if (out === undefined) return;
      if (debug !== undefined || perProtocol !== undefined) {
        const doc = (out.json !== undefined ? JSON.parse(out.json) : out.fields) as Record<string, unknown>;
        debug?.debug({ event: doc }, 'publish event');
        perProtocol?.(doc);
      }
      onEvent?.(out);
      this.pipeline!.publish(out);
    };
  }

  /**
   * The enricher's decoration for the event builders of a single-thread engine: events then come
   * out of the builders complete (see EventEnricher.decoration); none when the enricher has more to do.
   */
  private decoration(): { decoration?: EventDecoration } {
    const decoration = this.opts.enricher?.decoration();
    return decoration === undefined ? {} : { decoration };
  }

  /**
   * Engine workers enrich and encode their events themselves unless something on the main thread
   * must see each event object: the dashboard, event debugging, process attribution.
   */
  private workerEncoding(): WorkerEncoding | undefined {
    const { enricher, onEvent, debugEvents, logger, config } = this.opts;
    const setup = enricher?.setup;
    if (setup === undefined || enricher!.attributesProcesses || onEvent !== undefined || debugEvents === true)
      return undefined;
    const names = this.opts.protocols.map((p) => p.module.name);
    if (eventDebugTap(logger, config.logging.selectors, names) !== undefined) return undefined;
    return {
      setup,
      onBlock: (b) => {
        this.workerCounts.dropped += b.dropped;
        this.workerCounts.failed += b.failed;
        if (b.count > 0) this.pipeline!.publishBlock(b);
      },
    };
  }

  /** Asks the source to stop; run() then flushes and drains. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.opts.source.stop();
    this.engine?.stopInput?.();
  }

  /** Engine workers read the input themselves when the source allows it; they wait for room in the queue. */
  private workerFeed(): WorkerFeed | undefined {
    const setup = this.opts.source.workerFeed?.();
    if (setup === undefined) return undefined;
    const pipeline = () => this.pipeline;
    return {
      setup,
      room: {
        get full() {
          return pipeline()?.full === true;
        },
        waitForSpace: () => this.pipeline!.waitForSpace(),
      },
    };
  }

  /** Snapshot of every counter. */
  metrics(): BeatMetrics {
    const counters = this.engine?.counters();
    return {
      uptime_ms: Date.now() - this.started,
      source: { frames: counters?.frames ?? 0 },
      reassembly: (counters?.reassembly ?? {}) as unknown as Record<string, unknown>,
      udp: { ...counters?.udp },
      fragments: { ...counters?.fragments },
      protocols: (counters?.protocols ?? {}) as unknown as Record<string, unknown>,
      ...(counters?.flows === undefined ? {} : { flows: { ...counters.flows } }),
      publisher: (this.pipeline?.counters() ?? {}) as unknown as Record<string, unknown>,
      ...(this.opts.enricher ? { processors: this.processorCounts(this.opts.enricher) } : {}),
      memory: {
        ...counters?.memory,
        ...(this.governor?.collections ? { heap_collections: this.governor.collections } : {}),
      },
    };
  }

  /** The enrichment's counts: the main thread's and the workers'. */
  private processorCounts(enricher: EventEnricher): Record<string, unknown> {
    const c = enricher.counters();
    return { dropped: c.dropped + this.workerCounts.dropped, failed: c.failed + this.workerCounts.failed };
  }

  private createSink(
    engine: FrameEngine,
    pipeline: Pipeline,
    governor: HeapGovernor,
  ): FrameSink & { close(): void } {
    let dump: PcapWriter | undefined;
    let dumpLinktype = -1;
    const dumpPath = this.opts.dumpPath;
    const logger = this.opts.logger;
    const tap = frameDebugTap(logger, this.opts.config.logging.selectors);
    let frames = 0;
    const sink = {
      frame: (frame: Frame) => {
        tap?.(frame);
        if (dumpPath !== undefined) {
          if (dump === undefined) {
            dump = PcapWriter.create(dumpPath, frame.linktype);
            dumpLinktype = frame.linktype;
          }
          if (frame.linktype === dumpLinktype) dump.write(frame);
          else logger.debug({ linktype: frame.linktype }, 'frame with another link type not dumped');
        }
        engine.processFrame(frame);
        // A 1 MiB chunk can allocate tens of MB: the heap is looked at within chunks too.
        this.framesSeen++;
        if ((++frames & (GOVERNOR_EVERY - 1)) === 0) governor.check();
      },
      // Asked between input chunks: also where the heap is kept near its soft limit.
      get mustWait() {
        governor.check();
        return sinkMustWait(pipeline, engine);
      },
      // Asked after every frame: only the queue and the workers, no heap statistics.
      get full() {
        return sinkMustWait(pipeline, engine);
      },
      // Waits come inside chunks too (see `full`): the heap is looked at before each.
      waitForSpace: () => {
        governor.check();
        return sinkWaitForSpace(pipeline, engine);
      },
      ready: () =>
        logger.info(
          { source: this.opts.source.description, protocols: this.opts.protocols.map((p) => p.module.name) },
          'started',
        ),
      close: () => dump?.close(),
    };
    return sink;
  }

  /** Metrics every period; on live capture also the wall clock for timeouts when no packet arrives. */
  private startPeriodicWork(engine: FrameEngine): NodeJS.Timeout {
    const { metrics } = this.opts.config.logging;
    let lastMetrics = Date.now();
    let framesAtTick = this.framesSeen;
    const timer = setInterval(
      () => {
        const now = Date.now();
        // Packets move the clock themselves. The wall clock only when none came for a whole period
        // and the source holds none back: packets waiting in a source that is behind are older
        // than now, and advancing past them would time their transactions out.
        const idle = this.framesSeen === framesAtTick && this.opts.source.holdsBack !== true;
        framesAtTick = this.framesSeen;
        if (!this.opts.replay && idle) {
          // The same clock as LiveSource's packet timestamps, so that time never goes backwards.
          engine.advanceTime(performance.timeOrigin + performance.now());
        }
        if (metrics.enabled && now - lastMetrics >= metrics.period) {
          lastMetrics = now;
          this.opts.onMetrics?.(this.metrics());
        }
      },
      Math.min(1000, metrics.period),
    );
    timer.unref();
    return timer;
  }
}
