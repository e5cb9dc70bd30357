// The HTTP plugin and its per-connection state: the glue between parsers, correlation and events.
import {
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
} from '@wirebeat/applayer';
import type { HttpConfig } from './config';
import type { HttpMessage } from './message';
import { HttpParser } from './parser';
import { publishHttpTransaction, type HeaderPolicy } from './pub';
import { HttpTransactions } from './trans';

/** State of one HTTP connection: a parser per direction, the correlation state and the event builder. */
export class HttpConnection {
  readonly parsers: [HttpParser, HttpParser];
  readonly transactions: HttpTransactions;
  readonly events: ConnectionEvents;
  /** Latest packet time seen, for placeholders of requests lost in gaps. */
  lastTs = 0;
  readonly onMessage: [(m: HttpMessage) => void, (m: HttpMessage) => void];

  /** Created on a connection's first segment (or gap). */
  constructor(tuple: TcpTuple, plugin: HttpPlugin) {
    const cfg = plugin.config;
    // Bodies are only kept when they are published.
    const parserOpts = (send: boolean) => ({
      maxHeadBytes: cfg.max_message_size,
      maxBodyBytes: send ? cfg.max_body_bytes : 0,
      requestMethod: () => this.transactions.nextMethod(),
    });
    this.parsers = [
      new HttpParser(tuple, 0, parserOpts(cfg.send_request)),
      new HttpParser(tuple, 1, parserOpts(cfg.send_response)),
    ];
    this.events = plugin.builder.forConnection(tuple);
    const send = { request: cfg.send_request, response: cfg.send_response };
    this.transactions = new HttpTransactions({
      counters: plugin.stats,
      timeouts: plugin.timeouts,
      transactionTimeoutMs: cfg.transaction_timeout,
      maxPending: cfg.max_pending_requests,
      onTransaction: (tx) =>
        publishHttpTransaction(tx, this.events, plugin.ctx, plugin.stats, plugin.headerPolicy, send),
    });
    this.onMessage = [
      (m) => this.transactions.request(m),
      (m) => {
        if (!m.interim) return this.transactions.response(m);
        // 100 Continue and friends precede the final response; 101 ends HTTP on this connection.
        plugin.stats.messages++;
        if (m.statusCode === 101) this.parsers[0].stop();
      },
    ];
  }
}

/** The HTTP/1.x analyzer. */
export class HttpPlugin implements TcpPlugin<HttpConnection> {
  readonly builder: TransactionEventBuilder;
  readonly timeouts = new TransactionTimeouts();
  readonly stats: ProtocolCounters = createCounters();
  readonly headerPolicy: HeaderPolicy;

  /** One plugin per run, shared by every HTTP connection. */
  constructor(
    readonly config: HttpConfig,
    readonly ctx: ProtocolContext,
  ) {
    this.builder = new TransactionEventBuilder('http', {
      sendRequest: config.send_request,
      sendResponse: config.send_response,
    });
    this.headerPolicy = {
      all: config.send_all_headers,
      include: new Set(config.send_headers),
      redact: new Set(config.redact_headers),
    };
  }

  /** Feeds a segment of one direction to that direction's parser. */
  parse(pkt: Packet, tuple: TcpTuple, dir: Direction, state: HttpConnection | undefined): HttpConnection {
    const conn = state ?? new HttpConnection(tuple, this);
    conn.lastTs = pkt.ts;
    conn.parsers[dir].parse(pkt.payload, pkt.ts, conn.onMessage[dir]);
    return conn;
  }

  /** A response read until close ends here; an unfinished message is published with a note. */
  receivedFin(
    _tuple: TcpTuple,
    dir: Direction,
    state: HttpConnection | undefined,
  ): HttpConnection | undefined {
    state?.parsers[dir].flush(state.onMessage[dir]);
    return state;
  }

  /**
   * A gap inside a body of known length only shortens what is seen of it; elsewhere the message is
   * published cut short (or counted lost) and parsing resumes at the next request or status line.
   */
  gapInStream(
    tuple: TcpTuple,
    dir: Direction,
    nbytes: number,
    state: HttpConnection | undefined,
  ): { state: HttpConnection | undefined; drop: boolean } {
    this.stats.gaps++;
    const conn = state ?? new HttpConnection(tuple, this);
    const effect = conn.parsers[dir].gap(nbytes, conn.onMessage[dir]);
    if (effect === 'lost') {
      if (dir === 0) conn.transactions.requestLost(conn.lastTs);
      else conn.transactions.responseLost();
    }
    return { state: conn, drop: false };
  }

  /** Publishes unfinished messages and every pending request (status Error, with a note). */
  connectionClosed(_tuple: TcpTuple, reason: string, state: HttpConnection | undefined, ts: number): void {
    if (state === undefined) return;
    state.lastTs = Math.max(state.lastTs, ts);
    state.parsers[0].flush(state.onMessage[0]);
    state.parsers[1].flush(state.onMessage[1]);
    state.transactions.correlator.close(reason);
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
