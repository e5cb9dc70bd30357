// The one path from captured frames to transaction events: each frame decoded once (link, IP,
// transport), TCP routed to reassembly and UDP to its flows (IPv4/IPv6 fragments put together
// first), dispatch by transport and port to the protocol plugins, the packet clock (transaction and
// idle timeouts) and the flush at the end. Beats and the test harness both run it, so a capture
// gives the same events in either.
//
// The engine keeps no state that spans connections: what it knows of a connection lives in the
// connection's own slot (reassembler and dispatcher), the rest is configuration and counters. Frames
// can therefore later be sharded by flow over several engines (worker threads) without changing
// what any connection produces.
import { MemoryBudget, ProtocolDispatcher } from '@wirebeat/applayer';
import { FlowTable } from '@wirebeat/flows';
import type { FlowCounters, FlowsOptions } from '@wirebeat/flows';
import type {
  DispatchedProtocol,
  EventDecoration,
  Logger,
  MemoryCounters,
  ProtocolCounters,
  TransactionEvent,
} from '@wirebeat/applayer';
import {
  DecodedPacket,
  DecodeStatus,
  IpDefragmenter,
  IpProtocol,
  LinkType,
  TcpReassembler,
  UdpFlowTable,
  UNDECODABLE_REASONS,
  decodeFrame,
} from '@wirebeat/tcp-reassembly';
import type {
  CloseReason,
  DefragCounters,
  Frame,
  ReassemblyCounters,
  UdpCounters,
} from '@wirebeat/tcp-reassembly';

// The package's exports are getters (CommonJS re-exports): read the per-frame ones once.
const decode = decodeFrame;
const { OK, IP_FRAGMENT, NOT_TCP } = DecodeStatus;
const { TCP, UDP } = IpProtocol;

/** The close reason of connections evicted to keep within the memory budget. */
const MEMORY = 'memory';

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
  /** Idle timeout of UDP flows in ms of packet time (default 10 s); protocols may override it. */
  udpIdleTimeoutMs?: number;
  /** Network flows of every IP packet (`<beat>.flows`), published with the transactions; off when absent. */
  flows?: FlowsOptions;
  /**
   * Bytes of connection state and messages this engine keeps (see MemoryBudget; default 128 MiB):
   * beyond it the least recently active connections are closed, their messages published.
   */
  memoryBudgetBytes?: number;
  /** What the beat adds to every event, written by the event builders (see EventDecoration). */
  decoration?: EventDecoration;
}

/** Every counter of the engine. */
export interface EngineCounters {
  /** Frames processed. */
  frames: number;
  /**
   * TCP reassembly; its frame counters (packets, bytes, decoded, undecodable, shortFrames) count
   * every frame the engine decoded, whatever its transport: `decoded` = TCP segments + UDP
   * datagrams (whole or from fragments).
   */
  reassembly: ReassemblyCounters;
  /** UDP flows and datagrams. */
  udp: UdpCounters;
  /** IP fragments of UDP datagrams. */
  fragments: DefragCounters;
  /** Counters by protocol name. */
  protocols: Record<string, ProtocolCounters>;
  /** The flow table's counters, when flows are on. */
  flows?: FlowCounters;
  /** The memory budget: bytes charged, connections, evictions. */
  memory: MemoryCounters;
}

/** Frames in, transaction events out. */
export class Engine {
  private readonly dispatcher: ProtocolDispatcher;
  private readonly reassembler: TcpReassembler;
  private readonly udp: UdpFlowTable;
  private readonly defrag = new IpDefragmenter();
  private readonly pkt = new DecodedPacket();
  /** Network flows (undefined when off: the hot path then pays one comparison). */
  private readonly flows: FlowTable | undefined;
  private frames = 0;
  private bytes = 0;
  private decoded = 0;
  private shortFrames = 0;
  private readonly undecodable = new Float64Array(UNDECODABLE_REASONS.length);
  /** Latest packet time the protocols were told about. */
  private clock = -Infinity;
  private readonly memory: MemoryBudget;
  private readonly logger: Logger;
  private warnedMemory = false;

  /** Instantiates the protocols; throws PortConflictError when two enabled ones share a port. */
  constructor(opts: EngineOptions) {
    this.memory = new MemoryBudget(opts.memoryBudgetBytes);
    this.logger = opts.logger;
    const dispatcher = new ProtocolDispatcher([...opts.protocols], {
      publish: opts.publish,
      logger: opts.logger,
      memory: this.memory,
      decoration: opts.decoration,
    });
    this.dispatcher = dispatcher;
    this.reassembler = new TcpReassembler(dispatcher, {
      isServerPort: dispatcher.isServerPort,
      ...(opts.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: opts.idleTimeoutMs }),
    });
    this.udp = new UdpFlowTable(dispatcher, {
      isServerPort: dispatcher.isUdpServerPort,
      ...(opts.udpIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: opts.udpIdleTimeoutMs }),
    });
    this.flows = opts.flows === undefined ? undefined : new FlowTable(opts.flows, opts.publish);
  }

  /** Processes one captured frame; its timestamp drives every timeout (packet time, not wall time). */
  processFrame(frame: Frame): void {
    this.frames++;
    const data = frame.data;
    this.bytes += data.length;
    const pkt = this.pkt;
    const ts = frame.ts;
    const st = decode(data, frame.linktype, pkt, frame.origLen);
    // Flows count every IP packet, whatever its transport (NOT_TCP: ICMP, GRE... with IP fields
    // decoded), before the transport paths see it; bytes are the frame's length on the wire.
    const flows = this.flows;
    if (flows !== undefined && (st === OK || st === NOT_TCP)) flows.packet(pkt, data, ts, frame.origLen);
    if (st === OK) {
      this.decoded++;
      if (pkt.protocol === TCP) this.reassembler.processSegment(pkt, data, ts, frame.tsNanos);
      else {
        if (pkt.shortFrame) this.shortFrames++;
        this.datagram(pkt, data, ts, frame.tsNanos);
      }
    } else {
      if (st === IP_FRAGMENT && pkt.protocol === UDP) this.fragment(data, ts, frame.tsNanos, frame.origLen);
      else this.undecodable[st]++;
      this.reassembler.advanceTime(ts);
    }
    // The reassembler keeps its own clock (idle timeouts); the protocols' transaction timeouts
    // follow the same packet time, after the frame's bytes were parsed. Ticking is O(1) when
    // nothing is due, so it happens on every new timestamp rather than on a coarser period,
    // which would make the events depend on where the period boundaries fall.
    if (ts > this.clock) {
      this.clock = ts;
      this.dispatcher.tick(ts);
    }
    this.udp.advanceTime(ts);
    if (this.memory.used > this.memory.maxBytes) this.shed();
  }

  /**
   * Over the memory budget: closes the least recently active connections (then UDP flows), which
   * publishes what they held, until the budget holds with a margin of 1/64 (so that evictions come
   * in batches, not one per frame). Counted, and logged once.
   */
  private shed(): void {
    const m = this.memory;
    const target = m.maxBytes - m.maxBytes / 64;
    while (m.used > target) {
      if (this.reassembler.closeOldest(MEMORY, 1) === 0 && this.udp.closeOldest(MEMORY, 1) === 0) break;
      m.evictedConnections++;
    }
    if (this.warnedMemory) return;
    this.warnedMemory = true;
    this.logger.warn(
      { budget_bytes: m.maxBytes, connections: m.connections },
      `memory budget of ${Math.round(m.maxBytes / 1048576)} MiB reached: the least recently active ` +
        'connections are closed and their pending messages published as Error (counted in memory.evicted_connections)',
    );
  }

  /**
   * A whole UDP datagram. Packet time moves first: transactions due by now time out, then flows
   * idle for longer than their timeout close, so that a request is published as timed out rather
   * than cut off by its flow's end, and a datagram after a long silence starts a new flow.
   */
  private datagram(pkt: DecodedPacket, data: Uint8Array, ts: number, tsNanos: number | undefined): void {
    this.reassembler.advanceTime(ts);
    if (ts > this.clock) {
      this.clock = ts;
      this.dispatcher.tick(ts);
    }
    this.udp.advanceTime(ts);
    this.defrag.expire(ts);
    this.udp.datagram(pkt, data, ts, tsNanos);
  }

  /**
   * An IP fragment of a UDP datagram: the datagram is routed once its last missing piece came. Flows
   * count the whole datagram once, as one packet of the last fragment's length (as Packetbeat does).
   */
  private fragment(data: Uint8Array, ts: number, tsNanos: number | undefined, wireLength: number): void {
    const whole = this.defrag.add(this.pkt, data, ts);
    if (whole === undefined) return;
    const pkt = this.pkt;
    // Decoding the raw datagram forgets the fragment's VLAN tags: its flow keeps them.
    const { vlanCount, vlanOuter, vlanInner } = pkt;
    const st = decodeFrame(whole, LinkType.RAW, pkt, whole.length);
    if (st !== DecodeStatus.OK) {
      this.undecodable[st]++;
      return;
    }
    if (this.flows !== undefined) {
      pkt.vlanCount = vlanCount;
      pkt.vlanOuter = vlanOuter;
      pkt.vlanInner = vlanInner;
      this.flows.packet(pkt, whole, ts, wireLength);
    }
    this.decoded++;
    this.datagram(pkt, whole, ts, tsNanos);
  }

  /** Advances packet time without a frame (a quiet live interface): fires due timeouts. */
  advanceTime(now: number): void {
    this.flows?.advanceTime(now);
    if (now <= this.clock) return;
    this.clock = now;
    this.reassembler.advanceTime(now);
    // Transactions time out before their flows: a flow idle since its last request is closed
    // after that request was published as timed out, not as cut off by the flow's end.
    this.dispatcher.tick(now);
    this.udp.advanceTime(now);
    this.defrag.expire(now);
  }

  /** End of input: closes every connection and flow with `reason`, so that pending requests are published. */
  finish(reason: CloseReason = 'eof'): void {
    this.reassembler.closeAll(reason);
    this.udp.closeAll(reason);
    // Flows end after the transactions: their final reports are the last events of the input.
    this.flows?.finish();
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
        // An output that is down never makes room: the deadline ends the wait all the same.
        await untilSpaceOrDeadline(flow);
      }
    }
    this.reassembler.closeAll(reason);
    this.udp.closeAll(reason);
    this.flows?.finish();
  }

  /** Times the end-of-input flush waited for the output (see finishGradually). */
  finishWaits = 0;

  /** TCP ports some enabled protocol listens on, sorted (for a capture filter). */
  ports(): number[] {
    return this.dispatcher.ports();
  }

  /** UDP ports some enabled protocol listens on, sorted (for a capture filter). */
  udpPorts(): number[] {
    return this.dispatcher.udpPorts();
  }

  /** UDP flows currently open. */
  get activeFlows(): number {
    return this.udp.activeFlows;
  }

  /** Connections currently open. */
  get activeConnections(): number {
    return this.reassembler.activeConnections;
  }

  /** A snapshot of every counter. */
  counters(): EngineCounters {
    const undecodable: Record<string, number> = {};
    for (let i = 1; i < UNDECODABLE_REASONS.length; i++)
      undecodable[UNDECODABLE_REASONS[i]] = this.undecodable[i];
    const reassembly = this.reassembler.counters();
    return {
      frames: this.frames,
      reassembly: {
        ...reassembly,
        packets: this.frames,
        bytes: this.bytes,
        decoded: this.decoded,
        undecodable,
        shortFrames: reassembly.shortFrames + this.shortFrames,
      },
      udp: this.udp.counters(),
      fragments: this.defrag.counters(),
      protocols: this.dispatcher.counters(),
      ...(this.flows === undefined ? {} : { flows: this.flows.counters() }),
      memory: this.memory.counters(),
    };
  }
}

/** Waits for room in the output, or until the flow's deadline (whichever comes first). */
async function untilSpaceOrDeadline(flow: FinishFlow): Promise<void> {
  if (flow.deadline === undefined) return flow.waitForSpace();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, flow.deadline! - Date.now()));
  });
  try {
    await Promise.race([flow.waitForSpace(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
