// The TcpPlugin behind every defineProtocol module: one DefinedConnection per connection holds the
// parsers (or the protocol's handler), the correlator and the connection's event builder.
import type {
  ConnectionContext,
  ConnectionHandler,
  DefinedConfig,
  DirectionParser,
  ProtocolDefinition,
} from './define-protocol';
import { PendingBudget } from './budget';
import { TransactionCorrelator, type Transaction } from './correlator';
import { createCounters } from './counters';
import { Notes } from './notes';
import { TransactionEventBuilder, type ConnectionEvents, type TransactionDetails } from './event';
import type { Message } from './message';
import type { Direction, Packet, ProtocolContext, ProtocolCounters, TcpPlugin, TcpTuple } from './plugin';
import { TransactionTimeouts } from './timeouts';
import type { z } from 'zod';

/** State of one connection of a defined protocol. */
class DefinedConnection<Req extends Message, Resp extends Message, C> implements ConnectionContext<
  Req,
  Resp,
  C
> {
  readonly config: C;
  private readonly correlator: TransactionCorrelator<Req, Resp>;
  private readonly events: ConnectionEvents;
  private readonly parsers: [DirectionParser<Req | Resp>, DirectionParser<Req | Resp>] | undefined;
  private readonly handler: ConnectionHandler | undefined;
  /** The message callbacks of each direction, bound once per connection rather than per segment. */
  private readonly emit: [(m: Req | Resp) => void, (m: Req | Resp) => void];
  /** Latest packet time seen, for placeholders of requests lost in gaps and for handlers. */
  lastTs = 0;
  /** Bit per direction whose parser gave up (over the size limit, or a gap it cannot cross). */
  private dead = 0;

  /** Created on a connection's first segment (or gap). */
  constructor(
    readonly tuple: TcpTuple,
    private readonly plugin: DefinedPlugin<Req, Resp, C>,
  ) {
    const def = plugin.def;
    const config = plugin.config as C & { transaction_timeout: number; max_pending_requests: number };
    this.config = config;
    this.events = plugin.builder.forConnection(tuple);
    this.correlator = new TransactionCorrelator<Req, Resp>({
      onTransaction: (tx) => plugin.publish(tx, this.events),
      counters: plugin.stats,
      timeouts: plugin.timeouts,
      transactionTimeoutMs: config.transaction_timeout,
      maxPending: config.max_pending_requests,
      budget: plugin.budget,
      matches: def.match,
    });
    this.emit = [(m) => this.request(m as Req), (m) => this.correlator.onResponse(m as Resp)];
    if (def.parser !== undefined) {
      const cfg = config as unknown as DefinedConfig<z.ZodRawShape>;
      this.parsers = [def.parser(0, tuple, cfg), def.parser(1, tuple, cfg)];
    } else {
      this.handler = def.connection!(this as unknown as ConnectionContext<Req, Resp, never>);
    }
  }

  /** Queues a request; its raw text is only kept when it will be published. */
  request(msg: Req): void {
    if (!this.plugin.builder.sendRequest) msg.raw = undefined;
    this.correlator.onRequest(msg);
  }

  /** Pairs a response. */
  response(msg: Resp): void {
    this.correlator.onResponse(msg);
  }

  /** Whole messages of `dir` lost. */
  lost(dir: Direction, ts: number): void {
    if (dir === 0) this.correlator.requestGap(ts);
    else this.correlator.responseGap();
  }

  /** A message of `dir` cut short, more maybe lost. */
  maybeLost(dir: Direction, ts: number): void {
    if (dir === 0) this.correlator.requestsMaybeLost(ts);
    else this.correlator.responsesMaybeLost();
  }

  /** Requests waiting for their response. */
  get pending(): number {
    return this.correlator.pending;
  }

  /** Adds to one of the protocol's counters. */
  count(counter: string, n = 1): void {
    const stats = this.plugin.stats as unknown as Record<string, number>;
    stats[counter] = (stats[counter] ?? 0) + n;
  }

  /** Bytes of one direction. */
  data(dir: Direction, payload: Uint8Array, ts: number): void {
    this.lastTs = ts;
    if (this.parsers === undefined) return this.handler!.onData(dir, payload, ts);
    if (this.dead & (1 << dir)) return;
    if (this.parsers[dir].parse(payload, ts, this.emit[dir]) === false) {
      // The message in progress is lost: its transaction gets a note, and nothing pairs wrongly.
      this.dead |= 1 << dir;
      if (dir === 0) this.correlator.requestGap(ts, Notes.requestTooLong);
      else this.correlator.responseGap(Notes.responseTooLong);
    }
  }

  /** A gap in one direction; false when the connection must be dropped. */
  gap(dir: Direction, nbytes: number): boolean {
    if (this.parsers === undefined) return this.handler!.onGap?.(dir, nbytes, this.lastTs) ?? false;
    if (this.dead & (1 << dir)) return true;
    const parser = this.parsers[dir];
    if (parser.gap === undefined) {
      // Boundaries are unknown from here on: this direction stops, its lost message gets a note.
      this.dead |= 1 << dir;
      this.lost(dir, this.lastTs);
      return this.dead !== 3;
    }
    // The parser emitted the message the gap cut short: that message stands for what was lost.
    // Whole messages may be gone too; only a protocol with a proof of pairing can afford to say
    // so (without one, the correlator would have to write off a request that may be answered).
    if (parser.gap(this.emit[dir])) {
      if (this.plugin.def.match !== undefined) this.maybeLost(dir, this.lastTs);
    } else this.lost(dir, this.lastTs);
    return true;
  }

  /** The sender of `dir` finished. */
  fin(dir: Direction): void {
    if (this.parsers !== undefined) this.parsers[dir].flush?.(this.emit[dir]);
    else this.handler!.onFin?.(dir, this.lastTs);
  }

  /** The connection is gone: incomplete messages, then pending requests, are published. */
  close(reason: string, ts: number): void {
    this.lastTs = Math.max(this.lastTs, ts);
    if (this.parsers !== undefined) {
      this.parsers[0].flush?.(this.emit[0]);
      this.parsers[1].flush?.(this.emit[1]);
    } else this.handler!.onClose?.(reason, ts);
    this.correlator.close(reason);
  }
}

/** The plugin of a defined protocol: one per run, shared by its connections. */
export class DefinedPlugin<Req extends Message, Resp extends Message, C> implements TcpPlugin<
  DefinedConnection<Req, Resp, C>
> {
  readonly builder: TransactionEventBuilder;
  readonly timeouts = new TransactionTimeouts();
  readonly stats: ProtocolCounters;
  readonly connectionTimeout: (() => number) | undefined;
  /** Pending request bytes of every connection of this protocol (max_pending_bytes). */
  readonly budget: PendingBudget;
  private readonly details: TransactionDetails = {
    status: 'OK',
    request: undefined,
    response: undefined,
    fields: undefined,
    fieldsJson: undefined,
    rootJson: undefined,
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
    this.budget = new PendingBudget(shared.max_pending_bytes);
    this.builder = new TransactionEventBuilder(def.name, {
      sendRequest: shared.send_request,
      sendResponse: shared.send_response,
    });
    const idle = def.connectionTimeoutMs;
    this.connectionTimeout = idle === undefined ? undefined : () => idle;
  }

  /** Builds and publishes the event of one transaction. */
  publish(tx: Transaction<Req, Resp>, events: ConnectionEvents): void {
    const summary = this.def.transaction(tx, this.config as never);
    if (summary.status !== 'OK') this.stats.errors++;
    // build() reads the details and keeps nothing of them: one object serves every event.
    const details = this.details;
    details.status = summary.status;
    details.request = tx.request?.raw;
    details.response = tx.response?.raw;
    details.fields = summary.fields;
    details.fieldsJson = summary.fieldsJson;
    details.rootJson =
      summary.rootJson ?? (summary.root === undefined ? undefined : JSON.stringify(summary.root));
    this.ctx.publish(events.build(tx, details));
  }

  /** Feeds a segment to its connection. */
  parse(
    pkt: Packet,
    tuple: TcpTuple,
    dir: Direction,
    state: DefinedConnection<Req, Resp, C> | undefined,
  ): DefinedConnection<Req, Resp, C> {
    const conn = state ?? new DefinedConnection(tuple, this);
    conn.data(dir, pkt.payload, pkt.ts);
    return conn;
  }

  /** The sender of `dir` finished: an unterminated message is still emitted. */
  receivedFin(
    _tuple: TcpTuple,
    dir: Direction,
    state: DefinedConnection<Req, Resp, C> | undefined,
  ): DefinedConnection<Req, Resp, C> | undefined {
    state?.fin(dir);
    return state;
  }

  /** Counts the gap and lets the parser resynchronise, or drops the connection. */
  gapInStream(
    tuple: TcpTuple,
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
    _tuple: TcpTuple,
    reason: string,
    state: DefinedConnection<Req, Resp, C> | undefined,
    ts: number,
  ): void {
    state?.close(reason, ts);
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
