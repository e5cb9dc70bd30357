// The TcpPlugin behind every defineProtocol module: one DefinedConnection per connection holds the
// parsers (or the protocol's handler), the correlator and the connection's event builder.
import type {
  ConnectionContext,
  ConnectionHandler,
  DefinedConfig,
  DirectionParser,
  ProtocolDefinition,
  TransactionSummary,
} from './define-protocol';
import { PARTIAL_MESSAGE_OVERHEAD, PendingBudget } from './budget';
import { TransactionCorrelator, type CorrelatorOptions, type Transaction } from './correlator';
import { createCounters } from './counters';
import { Notes } from './notes';
import { TransactionEventBuilder, type ConnectionEvents, type TransactionDetails } from './event';
import type { Message } from './message';
import type { Direction, FlowTuple, Packet, ProtocolContext, ProtocolCounters, TcpPlugin } from './plugin';
import { TransactionTimeouts } from './timeouts';
import type { z } from 'zod';

/** Segment times whose nanoseconds a connection remembers (a message starts in one of them). */
const NANO_RING = 8;

/** DefinedConnection.bits: the client direction's parser gave up; DEAD << 1 for the server's. */
const DEAD = 1;
/** Both directions' parsers gave up. */
const BOTH_DEAD = 3;
/** DefinedConnection.bits: a parser or the handler runs (its unfinished message cannot be evicted). */
const BUSY = 4;

/**
 * What only some connections need, in one object made on first use: the budget's charge for
 * unfinished messages (protocols whose parsers report them) and the nanoseconds of recent segment
 * times (nanosecond captures). Open connections of other protocols and captures hold one field.
 */
class RareState {
  /** Bytes the budget charges the connection's unfinished messages (see account()). */
  partial = 0;
  /**
   * Nanosecond captures only: the sub-microsecond part of recent segment times, as pairs
   * (ts, nanos) in a ring, so that a message (stamped by its parser with a segment's ts) gets the
   * nanoseconds of that segment. Microsecond captures never make it.
   */
  nanoTimes: number[] | undefined = undefined;
  private nanoNext = 0;

  /** Remembers the nanoseconds of a segment's time. */
  noteNanos(ts: number, nanos: number): void {
    const ring = (this.nanoTimes ??= new Array<number>(NANO_RING * 2).fill(NaN));
    const i = this.nanoNext;
    if (ring[(i + NANO_RING * 2 - 2) % (NANO_RING * 2)] === ts) return;
    ring[i] = ts;
    ring[i + 1] = nanos;
    this.nanoNext = (i + 2) % (NANO_RING * 2);
  }

  /** Gives `msg` the nanoseconds of the segment whose time it carries (0 when too old to know). */
  stampNanos(msg: Message): void {
    const ring = this.nanoTimes;
    if (ring === undefined || msg.tsNanos !== undefined) return;
    for (let k = 1; k <= NANO_RING; k++) {
      const i = (this.nanoNext + NANO_RING * 2 - 2 * k) % (NANO_RING * 2);
      if (ring[i] === msg.ts) {
        msg.tsNanos = ring[i + 1];
        return;
      }
    }
    msg.tsNanos = 0;
  }
}

/**
 * State of one connection of a defined protocol. It is its own correlator (a subclass rather than
 * a member: one object and two references less for each of many open connections).
 */
class DefinedConnection<Req extends Message, Resp extends Message, C>
  extends TransactionCorrelator<Req, Resp>
  implements ConnectionContext<Req, Resp, C>
{
  /** The connection's event builder, made when its first transaction is published. */
  private eventsMade: ConnectionEvents | undefined = undefined;
  /**
   * The protocol's own connection object (protocols without parsers), else the client direction's
   * parser, made on its first bytes (many connections never see any): the two never coexist, so
   * they share a field. Dropped at close.
   */
  private first: DirectionParser<Req | Resp> | ConnectionHandler | undefined = undefined;
  /** The server direction's parser, made on its first bytes. */
  private parser1: DirectionParser<Req | Resp> | undefined = undefined;
  /** Latest packet time seen, for placeholders of requests lost in gaps and for handlers. */
  lastTs = 0;
  /** DEAD bit per direction whose parser gave up (over the size limit, or a gap it cannot cross); BUSY. */
  private bits = 0;
  /** Unfinished-message charge and nanosecond times, made when first needed. */
  private rare: RareState | undefined = undefined;

  /** Created on a connection's first segment (or gap), or a UDP flow's first datagram. */
  constructor(
    readonly tuple: FlowTuple,
    plugin: DefinedPlugin<Req, Resp, C>,
  ) {
    // One options object and callback for every connection: onTransaction receives the connection.
    super(plugin.correlation);
    if (plugin.def.parser === undefined)
      this.first = plugin.def.connection!(this as unknown as ConnectionContext<Req, Resp, never>);
  }

  /** The plugin, reached through the correlator options it shares with its connections. */
  private get plugin(): DefinedPlugin<Req, Resp, C> {
    return (this.opts as DefinedCorrelation<Req, Resp, C>).plugin;
  }

  /** The protocol's connection object, for protocols without parsers. */
  private get handler(): ConnectionHandler | undefined {
    return this.plugin.def.parser === undefined ? (this.first as ConnectionHandler | undefined) : undefined;
  }

  /** The client direction's parser, once made (protocols with parsers). */
  private get parser0(): DirectionParser<Req | Resp> | undefined {
    return this.plugin.def.parser === undefined ? undefined : (this.first as DirectionParser<Req | Resp>);
  }

  /** Bytes the budget charges this connection's unfinished messages. */
  private get partial(): number {
    return this.rare === undefined ? 0 : this.rare.partial;
  }
  private set partial(bytes: number) {
    if (bytes !== 0 || this.rare !== undefined) (this.rare ??= new RareState()).partial = bytes;
  }

  /** Set while a parser or the handler runs: its unfinished message cannot be evicted then. */
  private get busy(): boolean {
    return (this.bits & BUSY) !== 0;
  }
  private set busy(on: boolean) {
    this.bits = on ? this.bits | BUSY : this.bits & ~BUSY;
  }

  /** Whether the parser of `dir` gave up. */
  private dead(dir: Direction): boolean {
    return (this.bits & (DEAD << dir)) !== 0;
  }

  /** The connection's event builder (many connections wait without publishing anything). */
  get events(): ConnectionEvents {
    return (this.eventsMade ??= this.plugin.builder.forConnection(this.tuple));
  }

  /** The protocol's validated options. */
  get config(): C {
    return this.plugin.config;
  }

  /** The parser of `dir`, made now when it has none yet. */
  private parser(dir: Direction): DirectionParser<Req | Resp> {
    const made = dir === 0 ? this.parser0 : this.parser1;
    if (made !== undefined) return made;
    const cfg = this.plugin.config as unknown as DefinedConfig<z.ZodRawShape>;
    const parser = this.plugin.def.parser!(dir, this.tuple, cfg);
    if (dir === 0) this.first = parser;
    else this.parser1 = parser;
    return parser;
  }

  /** Queues a request; its raw text is only kept when it will be published. */
  request(msg: Req): void {
    if (!this.plugin.builder.sendRequest) msg.raw = undefined;
    if (this.rare !== undefined) this.rare.stampNanos(msg);
    this.onRequest(msg);
  }

  /** A request that expects no response: published now, alone. */
  noResponse(msg: Req): void {
    if (!this.plugin.builder.sendRequest) msg.raw = undefined;
    if (this.rare !== undefined) this.rare.stampNanos(msg);
    this.onRequestAlone(msg);
  }

  /** Pairs a response. */
  response(msg: Resp): void {
    if (this.rare !== undefined) this.rare.stampNanos(msg);
    this.onResponse(msg);
  }

  /** Whole messages of `dir` lost. */
  lost(dir: Direction, ts: number): void {
    if (dir === 0) this.requestGap(ts);
    else this.responseGap();
  }

  /** A message of `dir` cut short, more maybe lost. */
  maybeLost(dir: Direction, ts: number): void {
    if (dir === 0) this.requestsMaybeLost(ts);
    else this.responsesMaybeLost();
  }

  // `pending` (requests waiting for their response) is the correlator's own.

  /** Adds to one of the protocol's counters. */
  count(counter: string, n = 1): void {
    const stats = this.plugin.stats as unknown as Record<string, number>;
    stats[counter] = (stats[counter] ?? 0) + n;
  }

  /** Bytes of one direction. */
  data(dir: Direction, payload: Uint8Array, ts: number, tsNanos: number | undefined): void {
    this.lastTs = ts;
    if (tsNanos !== undefined) (this.rare ??= new RareState()).noteNanos(ts, tsNanos);
    this.busy = true;
    try {
      this.parseData(dir, payload, ts);
    } finally {
      this.busy = false;
    }
    this.account();
  }

  /**
   * Charges the budget with what the unfinished messages hold now (released as they complete).
   * Protocols whose parsers do not say are charged nothing for them.
   */
  private account(): void {
    let now: number;
    if (this.handler !== undefined) now = this.handler.partialBytes?.() ?? 0;
    else now = (this.parser0?.partialBytes?.() ?? 0) + (this.parser1?.partialBytes?.() ?? 0);
    if (now > 0) now += PARTIAL_MESSAGE_OVERHEAD;
    const delta = now - this.partial;
    if (delta === 0) return;
    this.partial = now;
    const budget = this.plugin.budget;
    if (delta > 0) budget.charge(this, delta);
    else budget.release(this, -delta);
  }

  /**
   * The budget is exceeded: unfinished messages go first (they are the oldest state of the
   * connection, and nothing waits on them), then the oldest pending request.
   */
  override evictOldest(): void {
    if (this.partial > 0 && !this.busy) {
      // Released first: the evicted message, queued as a request, is charged on its own, and
      // must not find the budget still holding the bytes it gave back (that would evict others).
      const before = this.partial;
      this.plugin.budget.release(this, before);
      this.partial = 0;
      this.busy = true;
      try {
        if (this.handler !== undefined) this.handler.evictPartial?.();
        else {
          this.parser0?.evictPartial?.(this.plugin.emitter(0, this));
          this.parser1?.evictPartial?.(this.plugin.emitter(1, this));
        }
      } finally {
        this.busy = false;
      }
      this.account();
      if (this.partial < before) {
        this.count('evicted_partial_messages');
        return;
      }
    }
    super.evictOldest();
  }

  private parseData(dir: Direction, payload: Uint8Array, ts: number): void {
    if (this.handler !== undefined) return this.handler.onData(dir, payload, ts);
    if (this.dead(dir)) return;
    if (this.parser(dir).parse(payload, ts, this.plugin.emitter(dir, this)) === false) {
      // The message in progress is lost: its transaction gets a note, and nothing pairs wrongly.
      this.bits |= DEAD << dir;
      if (dir === 0) this.requestGap(ts, Notes.requestTooLong);
      else this.responseGap(Notes.responseTooLong);
    }
  }

  /** A gap in one direction; false when the connection must be dropped. */
  gap(dir: Direction, nbytes: number): boolean {
    const keep = this.gapIn(dir, nbytes);
    this.account();
    return keep;
  }

  private gapIn(dir: Direction, nbytes: number): boolean {
    if (this.handler !== undefined) return this.handler.onGap?.(dir, nbytes, this.lastTs) ?? false;
    if (this.dead(dir)) return true;
    const parser = this.parser(dir);
    if (parser.gap === undefined) {
      // Boundaries are unknown from here on: this direction stops, its lost message gets a note.
      this.bits |= DEAD << dir;
      this.lost(dir, this.lastTs);
      return (this.bits & BOTH_DEAD) !== BOTH_DEAD;
    }
    // The parser emitted the message the gap cut short: that message stands for what was lost.
    // Whole messages may be gone too; only a protocol with a proof of pairing can afford to say
    // so (without one, the correlator would have to write off a request that may be answered).
    if (parser.gap(this.plugin.emitter(dir, this))) {
      if (this.plugin.def.match !== undefined) this.maybeLost(dir, this.lastTs);
    } else this.lost(dir, this.lastTs);
    return true;
  }

  /** The sender of `dir` finished. */
  fin(dir: Direction): void {
    if (this.handler !== undefined) this.handler.onFin?.(dir, this.lastTs);
    else (dir === 0 ? this.parser0 : this.parser1)?.flush?.(this.plugin.emitter(dir, this));
    this.account();
  }

  /** The connection is gone: incomplete messages, then pending requests, are published. */
  closeConnection(reason: string, ts: number): void {
    this.lastTs = Math.max(this.lastTs, ts);
    try {
      if (this.handler !== undefined) this.handler.onClose?.(reason, ts);
      else {
        this.parser0?.flush?.(this.plugin.emitter(0, this));
        this.parser1?.flush?.(this.plugin.emitter(1, this));
      }
    } catch (err) {
      // A parser that fails again at the end must not keep the pending requests from publication.
      this.plugin.pluginFailed(err);
    }
    if (this.partial > 0) {
      this.plugin.budget.release(this, this.partial);
      this.partial = 0;
    }
    this.close(reason);
    // A timeout entry or the budget's order may refer to this connection a while longer: it keeps
    // nothing of its parsers or event builder meanwhile.
    this.first = undefined;
    this.parser1 = undefined;
    this.bits = BOTH_DEAD;
    this.eventsMade = undefined;
    this.rare = undefined;
  }
}

/** Correlator options of a defined protocol's connections, which lead them to their plugin. */
interface DefinedCorrelation<Req extends Message, Resp extends Message, C> extends CorrelatorOptions<
  Req,
  Resp
> {
  readonly plugin: DefinedPlugin<Req, Resp, C>;
}

/** The plugin of a defined protocol: one per run, shared by its connections. */
export class DefinedPlugin<Req extends Message, Resp extends Message, C> implements TcpPlugin<
  DefinedConnection<Req, Resp, C>
> {
  readonly builder: TransactionEventBuilder;
  readonly timeouts = new TransactionTimeouts();
  readonly stats: ProtocolCounters;
  readonly connectionTimeout: (() => number) | undefined;
  readonly flowTimeout: () => number;
  /** Pending request bytes of every connection of this protocol (max_pending_bytes). */
  readonly budget: PendingBudget;
  /** Correlator options shared by every connection (the connection is the correlator's context). */
  readonly correlation: DefinedCorrelation<Req, Resp, C>;
  /** The connection whose parser is running: the emit callbacks below deliver to it. */
  private current: DefinedConnection<Req, Resp, C> | undefined = undefined;
  // Bound once per plugin rather than per connection: parsers call them synchronously, while
  // `current` names their connection.
  private readonly emitRequest = (m: Req | Resp): void => this.current!.request(m as Req);
  private readonly emitResponse = (m: Req | Resp): void => this.current!.response(m as Resp);
  private readonly details: TransactionDetails = {
    status: 'OK',
    request: undefined,
    response: undefined,
    fields: undefined,
    root: undefined,
    domain: undefined,
    action: undefined,
    forwardedIp: undefined,
    relatedIps: undefined,
    relatedUser: undefined,
  };

  /** Creates the plugin from validated options. */
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any option shape
    readonly def: ProtocolDefinition<any, Req, Resp>,
    readonly config: C,
    private readonly ctx: ProtocolContext,
  ) {
    const shared = config as C & {
      send_request: boolean;
      send_response: boolean;
      max_pending_bytes?: number;
    };
    this.stats = createCounters();
    for (const name of def.counters ?? []) (this.stats as unknown as Record<string, number>)[name] = 0;
    this.budget = new PendingBudget(shared.max_pending_bytes, ctx.memory);
    this.builder = new TransactionEventBuilder(def.name, {
      sendRequest: shared.send_request,
      sendResponse: shared.send_response,
      fields: def.fields,
      decoration: ctx.decoration,
    });
    const own = config as C & { transaction_timeout: number; max_pending_requests: number };
    this.correlation = {
      plugin: this,
      onTransaction: (tx, conn) => this.publish(tx, (conn as DefinedConnection<Req, Resp, C>).events),
      counters: this.stats,
      timeouts: this.timeouts,
      transactionTimeoutMs: own.transaction_timeout,
      maxPending: own.max_pending_requests,
      budget: this.budget,
      matches: def.match,
      pairBy: def.pairBy,
      pendingBytes: def.pendingBytes,
    };
    const idle = def.connectionTimeoutMs;
    this.connectionTimeout = idle === undefined ? undefined : () => idle;
    const flowIdle = def.flowTimeoutMs ?? own.transaction_timeout;
    this.flowTimeout = () => flowIdle;
  }

  /** The message callback of `dir`, delivering to `conn` (valid until the next call). */
  emitter(dir: Direction, conn: DefinedConnection<Req, Resp, C>): (m: Req | Resp) => void {
    this.current = conn;
    return dir === 0 ? this.emitRequest : this.emitResponse;
  }

  /** Builds and publishes the event of one transaction. */
  publish(tx: Transaction<Req, Resp>, events: ConnectionEvents): void {
    let summary: TransactionSummary;
    try {
      summary = this.def.transaction(tx, this.config as never);
    } catch (err) {
      // The protocol's code failed on this transaction: it is still published (as Error, with a
      // note and only the common fields), counted and logged, and the run ends non-zero.
      this.pluginFailed(err);
      tx.notes = [...(tx.notes ?? []), Notes.analyzerFailed];
      summary = { status: 'Error' };
    }
    if (summary.status !== 'OK') this.stats.errors++;
    // build() reads the details and keeps nothing of them: one object serves every event.
    const details = this.details;
    details.status = summary.status;
    details.request = tx.request?.raw;
    details.response = tx.response?.raw;
    details.fields = summary.fields;
    details.root = summary.root;
    details.domain = summary.domain;
    details.action = summary.action;
    details.forwardedIp = summary.forwardedIp;
    details.relatedIps = summary.relatedIps;
    details.relatedUser = summary.relatedUser;
    this.ctx.publish(events.build(tx, details));
  }

  /** Counts and logs an exception of the protocol's code that the framework recovered from. */
  pluginFailed(err: unknown): void {
    this.stats.plugin_failures = (this.stats.plugin_failures ?? 0) + 1;
    this.ctx.logger.error(
      { protocol: this.def.name, err: err instanceof Error ? err.message : String(err) },
      'protocol analyzer threw; its transaction is published as Error with a note',
    );
  }

  /** Feeds a segment to its connection. */
  parse(
    pkt: Packet,
    tuple: FlowTuple,
    dir: Direction,
    state: DefinedConnection<Req, Resp, C> | undefined,
  ): DefinedConnection<Req, Resp, C> {
    const conn = state ?? new DefinedConnection(tuple, this);
    conn.data(dir, pkt.payload, pkt.ts, pkt.tsNanos);
    return conn;
  }

  /** The sender of `dir` finished: an unterminated message is still emitted. */
  receivedFin(
    _tuple: FlowTuple,
    dir: Direction,
    state: DefinedConnection<Req, Resp, C> | undefined,
  ): DefinedConnection<Req, Resp, C> | undefined {
    state?.fin(dir);
    return state;
  }

  /** Counts the gap and lets the parser resynchronise, or drops the connection. */
  gapInStream(
    tuple: FlowTuple,
    dir: Direction,
    nbytes: number,
    state: DefinedConnection<Req, Resp, C> | undefined,
  ): { state: DefinedConnection<Req, Resp, C> | undefined; drop: boolean } {
    this.stats.gaps++;
    const conn = state ?? new DefinedConnection(tuple, this);
    return { state: conn, drop: !conn.gap(dir, nbytes) };
  }

  /** Publishes unterminated messages and every pending request (status Error, with a note). */
  connectionClosed(
    _tuple: FlowTuple,
    reason: string,
    state: DefinedConnection<Req, Resp, C> | undefined,
    ts: number,
  ): void {
    state?.closeConnection(reason, ts);
  }

  /** Packet time: publishes requests whose response is overdue. */
  tick(now: number): void {
    this.timeouts.tick(now);
  }

  /** Live counters of this protocol. */
  counters(): ProtocolCounters {
    return this.stats;
  }
}
