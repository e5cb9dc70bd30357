// The Redis plugin and its per-connection state: the glue between parsers, correlation and events.
import {
  TransactionEventBuilder,
  TransactionTimeouts,
  createCounters,
  type ConnectionEvents,
  type Direction,
  type Packet,
  type ProtocolContext,
  type TcpPlugin,
  type TcpTuple,
} from '@wirebeat/applayer';
import type { RedisConfig } from './config';
import type { RedisMessage } from './message';
import { RespParser } from './parser';
import { publishRedisTransaction } from './pub';
import { RedisTransactions, type RedisCounters } from './trans';

/** State of one Redis connection: a parser per direction, the correlation state and the event builder. */
export class RedisConnection {
  readonly parsers: [RespParser, RespParser];
  readonly transactions: RedisTransactions;
  readonly events: ConnectionEvents;
  readonly onMessage: [(m: RedisMessage) => void, (m: RedisMessage) => void];

  /** Created on a connection's first segment (or gap). */
  constructor(tuple: TcpTuple, plugin: RedisPlugin) {
    const opts = { maxBulkBytes: plugin.config.max_bulk_bytes };
    this.parsers = [new RespParser(tuple, 0, opts), new RespParser(tuple, 1, opts)];
    this.events = plugin.builder.forConnection(tuple);
    this.transactions = new RedisTransactions(plugin.stats, {
      timeouts: plugin.timeouts,
      transactionTimeoutMs: plugin.config.transaction_timeout,
      maxPending: plugin.config.max_pending_requests,
      onTransaction: (tx) => publishRedisTransaction(tx, this.events, plugin.ctx, plugin.stats),
    });
    this.onMessage = [(m) => this.transactions.command(m), (m) => this.transactions.reply(m)];
  }
}

/** The Redis analyzer (RESP2 and RESP3). */
export class RedisPlugin implements TcpPlugin<RedisConnection> {
  readonly builder: TransactionEventBuilder;
  readonly timeouts = new TransactionTimeouts();
  readonly stats: RedisCounters = { ...createCounters(), push_messages: 0 };

  /** One plugin per run, shared by every Redis connection. */
  constructor(
    readonly config: RedisConfig,
    readonly ctx: ProtocolContext,
  ) {
    this.builder = new TransactionEventBuilder('redis', {
      sendRequest: config.send_request,
      sendResponse: config.send_response,
    });
  }

  /** Feeds a segment of one direction to that direction's parser. */
  parse(pkt: Packet, tuple: TcpTuple, dir: Direction, state: RedisConnection | undefined): RedisConnection {
    const conn = state ?? new RedisConnection(tuple, this);
    conn.parsers[dir].parse(pkt.payload, pkt.ts, conn.onMessage[dir]);
    return conn;
  }

  /** Nothing to flush: RESP messages are self-delimiting. */
  receivedFin(
    _tuple: TcpTuple,
    _dir: Direction,
    state: RedisConnection | undefined,
  ): RedisConnection | undefined {
    return state;
  }

  /**
   * A gap inside a bulk string only shortens what is seen of it (the message gets a note).
   * Anywhere else RESP offers no way back in step, so the connection is dropped: its pending
   * commands are published with status Error and a note.
   */
  gapInStream(
    tuple: TcpTuple,
    dir: Direction,
    nbytes: number,
    state: RedisConnection | undefined,
  ): { state: RedisConnection | undefined; drop: boolean } {
    this.stats.gaps++;
    const conn = state ?? new RedisConnection(tuple, this);
    return { state: conn, drop: !conn.parsers[dir].gap(nbytes) };
  }

  /** Publishes every pending command (status Error, with a note). */
  connectionClosed(_tuple: TcpTuple, reason: string, state: RedisConnection | undefined): void {
    state?.transactions.close(reason);
  }

  /** Packet time: publishes commands whose reply is overdue. */
  tick(now: number): void {
    this.timeouts.tick(now);
  }

  /** Live counters of this plugin. */
  counters(): RedisCounters {
    return this.stats;
  }
}
