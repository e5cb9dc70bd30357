// The echo plugin and its per-connection state.
import {
  PendingBudget,
  TransactionEventBuilder,
  TransactionTimeouts,
  createCounters,
  type ConnectionEvents,
  type Direction,
  type Packet,
  type ProtocolContext,
  type ProtocolCounters,
  type TcpPlugin,
  type TcpTuple,
  type TransactionCorrelator,
} from '@wirebeat/applayer';
import type { EchoConfig } from './config';
import { EchoParser, type EchoMessage } from './parser';
import { publishEchoTransaction } from './pub';
import { createEchoCorrelator } from './trans';

/** State of one echo connection: a parser per direction, the correlator and the event builder. */
export class EchoConnection {
  readonly parsers: [EchoParser, EchoParser];
  readonly correlator: TransactionCorrelator<EchoMessage, EchoMessage>;
  readonly events: ConnectionEvents;
  /** Latest packet time seen, for placeholders of requests lost in gaps. */
  lastTs = 0;
  /** The message callbacks, bound once per connection rather than per segment. */
  readonly onMessage: [(m: EchoMessage) => void, (m: EchoMessage) => void];

  /** Created on a connection's first segment (or gap). */
  constructor(tuple: TcpTuple, plugin: EchoPlugin) {
    this.parsers = [
      new EchoParser(tuple, 0, plugin.config.max_message_size),
      new EchoParser(tuple, 1, plugin.config.max_message_size),
    ];
    this.events = plugin.builder.forConnection(tuple);
    this.correlator = createEchoCorrelator({
      counters: plugin.stats,
      timeouts: plugin.timeouts,
      transactionTimeoutMs: plugin.config.transaction_timeout,
      maxPending: plugin.config.max_pending_requests,
      budget: plugin.budget,
      onTransaction: (tx) => publishEchoTransaction(tx, this.events, plugin.ctx, plugin.stats),
    });
    this.onMessage = [(m) => this.correlator.onRequest(m), (m) => this.correlator.onResponse(m)];
  }

  /** A message of `dir` was lost in a gap: keep the correlator from mis-pairing. */
  lost(dir: Direction): void {
    if (dir === 0) this.correlator.requestGap(this.lastTs);
    else this.correlator.responseGap();
  }

  /**
   * A gap cut a message of `dir` short (it was published truncated) and may have swallowed whole
   * messages after it, or none: pairing after it needs the echo as proof.
   */
  maybeLost(dir: Direction): void {
    if (dir === 0) this.correlator.requestsMaybeLost(this.lastTs);
    else this.correlator.responsesMaybeLost();
  }
}

/** The echo analyzer: newline-terminated messages, client lines are requests, server lines responses. */
export class EchoPlugin implements TcpPlugin<EchoConnection> {
  readonly builder: TransactionEventBuilder;
  readonly timeouts = new TransactionTimeouts();
  readonly stats: ProtocolCounters = createCounters();
  readonly budget: PendingBudget;

  /** One plugin per run, shared by every echo connection. */
  constructor(
    readonly config: EchoConfig,
    readonly ctx: ProtocolContext,
  ) {
    this.builder = new TransactionEventBuilder('echo', {
      sendRequest: config.send_request,
      sendResponse: config.send_response,
    });
    this.budget = new PendingBudget(config.max_pending_bytes);
  }

  /** Feeds a segment of one direction to that direction's parser. */
  parse(pkt: Packet, tuple: TcpTuple, dir: Direction, state: EchoConnection | undefined): EchoConnection {
    const conn = state ?? new EchoConnection(tuple, this);
    conn.lastTs = pkt.ts;
    conn.parsers[dir].parse(pkt.payload, pkt.ts, conn.onMessage[dir]);
    return conn;
  }

  /** An unterminated last line still becomes a message (with a note). */
  receivedFin(
    _tuple: TcpTuple,
    dir: Direction,
    state: EchoConnection | undefined,
  ): EchoConnection | undefined {
    state?.parsers[dir].flush(state.onMessage[dir]);
    return state;
  }

  /**
   * Publishes the message the gap cut short (truncated, with a note) and resynchronises at the next
   * newline; never drops the connection.
   */
  gapInStream(
    tuple: TcpTuple,
    dir: Direction,
    _nbytes: number,
    state: EchoConnection | undefined,
  ): { state: EchoConnection | undefined; drop: boolean } {
    this.stats.gaps++;
    const conn = state ?? new EchoConnection(tuple, this);
    if (conn.parsers[dir].gap(conn.onMessage[dir])) conn.maybeLost(dir);
    else conn.lost(dir);
    return { state: conn, drop: false };
  }

  /** Publishes unterminated lines and every pending request (status Error, with a note). */
  connectionClosed(_tuple: TcpTuple, reason: string, state: EchoConnection | undefined, ts: number): void {
    if (state === undefined) return;
    state.lastTs = Math.max(state.lastTs, ts);
    state.parsers[0].flush(state.onMessage[0]);
    state.parsers[1].flush(state.onMessage[1]);
    state.correlator.close(reason);
  }

  /** Packet time: publishes requests whose response is overdue. */
  tick(now: number): void {
    this.timeouts.tick(now);
  }

  /** Live counters of this plugin. */
  counters(): ProtocolCounters {
    return this.stats;
  }
}
