// The one path from captured frames to transaction events: TCP reassembly, dispatch by port to the
// protocol plugins, the packet clock (transaction and idle timeouts) and the flush at the end.
// Beats and the test harness both run it, so a capture gives the same events in either.
//
// The engine keeps no state that spans connections: what it knows of a connection lives in the
// connection's own slot (reassembler and dispatcher), the rest is configuration and counters. Frames
// can therefore later be sharded by flow over several engines (worker threads) without changing
// what any connection produces.
import { ProtocolDispatcher } from '@wirebeat/applayer';
import type { DispatchedProtocol, Logger, ProtocolCounters, TransactionEvent } from '@wirebeat/applayer';
import { TcpReassembler } from '@wirebeat/tcp-reassembly';
import type { CloseReason, Frame, ReassemblyCounters } from '@wirebeat/tcp-reassembly';

/** Connections closed per batch at the end of input before looking at the output again. */
const DEFAULT_FINISH_BATCH = 1024;

/** How finishGradually learns that the output is full and when it has room again. */
export interface FinishFlow {
  /** True while the output holds all it may. */
  mustWait(): boolean;
  /** Resolves when the output has room again. */
  waitForSpace(): Promise<void>;
  /** Connections per batch (default 1024). */
  batch?: number;
  /** Date.now() after which the flush stops waiting. */
  deadline?: number;
}

/** Options of an {@link Engine}. */
export interface EngineOptions {
  /** Protocols with their validated options (disabled ones are ignored). */
  protocols: readonly DispatchedProtocol[];
  /** Receives every transaction event, in the order the protocols publish them. */
  publish(event: TransactionEvent): void;
  /** Where protocol plugins log. */
  logger: Logger;
  /** Idle timeout of connections in ms (default: the reassembler's, 60 s); protocols may override it. */
  idleTimeoutMs?: number;
}

/** Every counter of the engine. */
export interface EngineCounters {
  /** Frames processed. */
  frames: number;
  reassembly: ReassemblyCounters;
  /** Counters by protocol name. */
  protocols: Record<string, ProtocolCounters>;
}

/** Frames in, transaction events out. */
export class Engine {
  private readonly dispatcher: ProtocolDispatcher;
  private readonly reassembler: TcpReassembler;
  private frames = 0;
  /** Latest packet time the protocols were told about. */
  private clock = -Infinity;

  /** Instantiates the protocols; throws PortConflictError when two enabled ones share a port. */
  constructor(opts: EngineOptions) {
    const dispatcher = new ProtocolDispatcher([...opts.protocols], {
      publish: opts.publish,
      logger: opts.logger,
    });
    this.dispatcher = dispatcher;
    this.reassembler = new TcpReassembler(dispatcher, {
      isServerPort: dispatcher.isServerPort,
      ...(opts.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: opts.idleTimeoutMs }),
    });
  }

  /** Processes one captured frame; its timestamp drives every timeout (packet time, not wall time). */
  processFrame(frame: Frame): void {
    this.frames++;
    this.reassembler.processFrame(frame);
    // The reassembler keeps its own clock (idle timeouts); the protocols' transaction timeouts
    // follow the same packet time, after the frame's bytes were parsed. Ticking is O(1) when
    // nothing is due, so it happens on every new timestamp rather than on a coarser period,
    // which would make the events depend on where the period boundaries fall.
    const ts = frame.ts;
    if (ts > this.clock) {
      this.clock = ts;
      this.dispatcher.tick(ts);
    }
  }

  /** Advances packet time without a frame (a quiet live interface): fires due timeouts. */
  advanceTime(now: number): void {
    if (now <= this.clock) return;
    this.clock = now;
    this.reassembler.advanceTime(now);
    this.dispatcher.tick(now);
  }

  /** End of input: closes every connection with `reason`, so that pending requests are published. */
  finish(reason: CloseReason = 'eof'): void {
    this.reassembler.closeAll(reason);
  }

  /**
   * End of input with backpressure: closes `batch` connections at a time and, while the output
   * reports itself full, waits for room before the next batch. Hundreds of thousands of
   * connections with pending requests thus never sit in the output queue at once. Past
   * `deadline` (ms, Date.now() clock) it stops waiting: the rest is closed at once.
   */
  async finishGradually(reason: CloseReason, flow: FinishFlow): Promise<void> {
    const batch = flow.batch ?? DEFAULT_FINISH_BATCH;
    while (this.reassembler.closeOldest(reason, batch) > 0) {
      while (flow.mustWait() && Date.now() < (flow.deadline ?? Infinity)) {
        this.finishWaits++;
        await flow.waitForSpace();
      }
    }
    this.reassembler.closeAll(reason);
  }

  /** Times the end-of-input flush waited for the output (see finishGradually). */
  finishWaits = 0;

  /** Ports some enabled protocol listens on, sorted (for a capture filter). */
  ports(): number[] {
    return this.dispatcher.ports();
  }

  /** Connections currently open. */
  get activeConnections(): number {
    return this.reassembler.activeConnections;
  }

  /** A snapshot of every counter. */
  counters(): EngineCounters {
    return {
      frames: this.frames,
      reassembly: this.reassembler.counters(),
      protocols: this.dispatcher.counters(),
    };
  }
}
