// Routes reassembled TCP streams and UDP flows to protocol plugins by transport and server port. It
// implements @wirebeat/tcp-reassembly's StreamConsumer (and its UDP flow table's consumer)
// structurally: applayer does not depend on it.
import type { StreamConnection } from '@wirebeat/core';
import { createCounters } from './counters';
import { ConnectionTuple, type TupleSource } from './event';
import { PortConflictError } from './errors';
import { PLUGIN_ERROR_REASON } from './notes';
import type { MemoryBudget } from './memory-budget';
import { findPortConflict } from './ports';
import type {
  Direction,
  Logger,
  Packet,
  ProtocolCounters,
  ProtocolModule,
  SharedProtocolConfig,
  TcpPlugin,
  FlowTuple,
  Transport,
  TransactionEvent,
  EventDecoration,
} from './plugin';

/** The connection or flow as tcp-reassembly hands it over; a UDP flow says `transport: 'udp'`. */
export type DispatchConnection = StreamConnection & { readonly transport?: Transport };

/** A configured protocol for the dispatcher. */
export interface DispatchedProtocol {
  module: ProtocolModule;
  config: SharedProtocolConfig;
}

interface ActiveProtocol {
  name: string;
  plugin: TcpPlugin;
}

/** The state of a connection its plugin gave up on: the plugin's own state is released. */
const DROPPED = Symbol('dropped');

/** Per-connection slot stored in conn.userData; it is the connection's tuple too (one object less each). */
class ConnectionSlot extends ConnectionTuple {
  /** The plugin's state of the connection, or DROPPED. */
  state: unknown = undefined;

  /** The slot of `conn`, bound to `protocol`. */
  constructor(
    conn: TupleSource,
    readonly protocol: ActiveProtocol,
  ) {
    super(conn);
  }

  /** The plugin gave up on this connection (gap with drop, or it threw): a state, not a field of its own. */
  get dropped(): boolean {
    return this.state === DROPPED;
  }

  /** The connection's tuple, as plugins receive it. */
  get tuple(): FlowTuple {
    return this;
  }
}

/** Sends each connection's bytes to the protocol configured for its server port. */
export class ProtocolDispatcher {
  /** Protocols by TCP server port, then by UDP server port. */
  private readonly byPort = new Map<number, ActiveProtocol>();
  private readonly byUdpPort = new Map<number, ActiveProtocol>();
  private readonly active: ActiveProtocol[] = [];
  private readonly tickers: TcpPlugin[] = [];
  private readonly logger: Logger;
  /** One Packet object reused for every call: plugins must not keep it (its payload dies anyway). */
  private readonly packet: Packet = { ts: 0, tsNanos: undefined, payload: EMPTY };
  /** Plugin failures (exceptions), counted per protocol. */
  private readonly failures = new Map<string, number>();
  /** True while a connection is closed because the input ended: what it publishes is provisional. */
  private closingAtEndOfInput = false;
  /** Charged for every connection bound to a protocol (and, through the plugins, their messages). */
  private readonly memory: MemoryBudget | undefined;

  /** Instantiates every enabled protocol; throws PortConflictError when two share a port. */
  constructor(
    protocols: DispatchedProtocol[],
    ctx: {
      publish(e: TransactionEvent): void;
      logger: Logger;
      memory?: MemoryBudget;
      decoration?: EventDecoration;
    },
  ) {
    this.logger = ctx.logger;
    this.memory = ctx.memory;
    // Every event passes here, so the provisional mark needs nothing from the protocols.
    const publish = (e: TransactionEvent): void => {
      if (this.closingAtEndOfInput) e.provisional = true;
      ctx.publish(e);
    };
    const conflict = findPortConflict(
      protocols.map(({ module, config }) => ({
        name: module.name,
        transports: module.transports,
        ...config,
      })),
    );
    if (conflict !== undefined) throw new PortConflictError(conflict.port, conflict.protocols);
    for (const { module, config } of protocols) {
      if (!config.enabled) continue;
      const plugin = module.create(config, {
        publish,
        logger: ctx.logger,
        memory: ctx.memory,
        decoration: ctx.decoration,
      });
      const entry: ActiveProtocol = { name: module.name, plugin };
      this.active.push(entry);
      if (plugin.tick) this.tickers.push(plugin);
      const transports = module.transports ?? DEFAULT_TRANSPORTS;
      for (const port of config.ports) {
        if (transports.includes('tcp')) this.byPort.set(port, entry);
        if (transports.includes('udp')) this.byUdpPort.set(port, entry);
      }
    }
  }

  /** True for TCP ports some enabled protocol listens on (pass to TcpReassembler's options). */
  isServerPort = (port: number): boolean => this.byPort.has(port);

  /** True for UDP ports some enabled protocol listens on (pass to the UDP flow table's options). */
  isUdpServerPort = (port: number): boolean => this.byUdpPort.has(port);

  /** TCP ports of every enabled protocol, sorted. */
  ports(): number[] {
    return [...this.byPort.keys()].sort((a, b) => a - b);
  }

  /** UDP ports of every enabled protocol, sorted. */
  udpPorts(): number[] {
    return [...this.byUdpPort.keys()].sort((a, b) => a - b);
  }

  /** Binds a new connection or flow to the protocol of its server port and applies its idle timeout. */
  onConnectionOpen(conn: DispatchConnection, _ts: number): void {
    const udp = conn.transport === 'udp';
    const protocol = (udp ? this.byUdpPort : this.byPort).get(conn.serverPort);
    if (protocol === undefined) return;
    const slot = new ConnectionSlot(conn, protocol);
    conn.userData = slot;
    this.memory?.openConnection();
    const plugin = protocol.plugin;
    const timeout = udp ? plugin.flowTimeout?.() : plugin.connectionTimeout?.();
    if (timeout !== undefined) conn.idleTimeoutMs = timeout;
  }

  /** Hands in-order bytes of one direction to the connection's plugin. */
  onData(conn: DispatchConnection, dir: Direction, data: Uint8Array, ts: number, tsNanos?: number): void {
    const slot = conn.userData as ConnectionSlot | undefined;
    if (slot === undefined || slot.dropped) return;
    const packet = this.packet;
    packet.ts = ts;
    packet.tsNanos = tsNanos;
    packet.payload = data;
    try {
      slot.state = slot.protocol.plugin.parse(packet, slot.tuple, dir, slot.state);
    } catch (err) {
      this.fail(slot, 'parse', err, ts);
    }
    packet.payload = EMPTY;
  }

  /** Tells the plugin bytes are missing; it may ask to drop the connection. */
  onGap(conn: DispatchConnection, dir: Direction, nbytes: number, ts: number): void {
    const slot = conn.userData as ConnectionSlot | undefined;
    if (slot === undefined || slot.dropped) return;
    try {
      const r = slot.protocol.plugin.gapInStream(slot.tuple, dir, nbytes, slot.state);
      slot.state = r.state;
      if (r.drop) this.drop(slot, 'gap', ts);
    } catch (err) {
      this.fail(slot, 'gapInStream', err, ts);
    }
  }

  /** Tells the plugin one side finished sending. */
  onFin(conn: DispatchConnection, dir: Direction, ts: number): void {
    const slot = conn.userData as ConnectionSlot | undefined;
    if (slot === undefined || slot.dropped) return;
    try {
      slot.state = slot.protocol.plugin.receivedFin(slot.tuple, dir, slot.state);
    } catch (err) {
      this.fail(slot, 'receivedFin', err, ts);
    }
  }

  /** Flushes the connection's pending transactions (published as Error with a note). */
  onConnectionClose(conn: DispatchConnection, reason: string, ts: number): void {
    const slot = conn.userData as ConnectionSlot | undefined;
    if (slot === undefined) return;
    conn.userData = undefined;
    this.memory?.closeConnection();
    if (!slot.dropped) this.drop(slot, reason, ts);
    slot.detach();
  }

  /** Forwards packet time to the plugins (transaction timeouts). */
  tick(now: number): void {
    for (let i = 0; i < this.tickers.length; i++) this.tickers[i].tick!(now);
  }

  /** Counters by protocol name (plus `plugin_failures` when a plugin threw). */
  counters(): Record<string, ProtocolCounters> {
    const out: Record<string, ProtocolCounters> = {};
    for (const p of this.active) {
      const c = { ...createCounters(), ...p.plugin.counters() };
      const failures = this.failures.get(p.name);
      // Failures the plugin recovered from itself (it counts them) plus the ones caught here.
      out[p.name] = failures ? { ...c, plugin_failures: (c.plugin_failures ?? 0) + failures } : c;
    }
    return out;
  }

  private drop(slot: ConnectionSlot, reason: string, ts: number): void {
    const state = slot.state;
    slot.state = DROPPED;
    // The input ended, not the connection: more of the traffic (the rest of a truncated file, a
    // replay that is not interrupted) would complete what is published now.
    this.closingAtEndOfInput = reason === END_OF_INPUT;
    try {
      slot.protocol.plugin.connectionClosed(slot.tuple, reason, state, ts);
    } catch (err) {
      const name = slot.protocol.name;
      this.failures.set(name, (this.failures.get(name) ?? 0) + 1);
      this.logger.error({ protocol: name, err: String(err) }, 'protocol plugin failed on close');
    } finally {
      this.closingAtEndOfInput = false;
    }
  }

  /** A throwing plugin loses the connection, not the process. */
  private fail(slot: ConnectionSlot, where: string, err: unknown, ts: number): void {
    const name = slot.protocol.name;
    this.failures.set(name, (this.failures.get(name) ?? 0) + 1);
    this.logger.warn(
      { protocol: name, err: err instanceof Error ? err.message : String(err) },
      `protocol plugin threw in ${where}; its pending transactions are published and the connection dropped`,
    );
    this.drop(slot, PLUGIN_ERROR_REASON, ts);
  }
}

const EMPTY = new Uint8Array(0);
const DEFAULT_TRANSPORTS: readonly Transport[] = ['tcp'];
/** The close reason tcp-reassembly gives connections still open when the input ends. */
const END_OF_INPUT = 'eof';
