// The template protocol's TCP plugin: per-connection state (one parser per direction and a
// correlator) and the calls the dispatcher makes for every segment, gap, FIN and close.
import { TransactionTimeouts, createCounters } from '@wirebeat/applayer';
import type {
  Direction,
  Packet,
  ProtocolContext,
  ProtocolCounters,
  TcpPlugin,
  TcpTuple,
  TransactionCorrelator,
  TransactionEventBuilder,
} from '@wirebeat/applayer';
import type { TemplateConfig } from './config';
import type { TemplateMessage } from './message';
import { TemplateParser } from './parser';
import { createCorrelator } from './trans';
import { createEvent, createEventBuilder, transactionStatus } from './pub';

/** Notes for a request / response lost because it is longer than max_message_bytes. */
const TOO_LONG = [
  'request missing: longer than max_message_bytes',
  'response missing: longer than max_message_bytes',
] as const;

/** What the plugin keeps for one TCP connection. */
export class TemplateConnection {
  /** Parsers for client->server (0) and server->client (1). */
  readonly parsers: [TemplateParser, TemplateParser];
  /** Directions whose stream can no longer be parsed (message too long, gap without resync). */
  readonly dead: [boolean, boolean] = [false, false];
  /** Time of the last segment seen, for gaps (which carry no time of their own). */
  lastTs = 0;
  readonly correlator: TransactionCorrelator<TemplateMessage, TemplateMessage>;
  /** Routes parsed messages to the correlator (bound once, not per segment). */
  readonly onMessage: (msg: TemplateMessage) => void;

  constructor(plugin: TemplatePlugin, tuple: TcpTuple) {
    const parserOptions = {
      maxMessageBytes: plugin.config.max_message_bytes,
      keepContent: plugin.config.send_request || plugin.config.send_response,
    };
    this.parsers = [new TemplateParser(parserOptions), new TemplateParser(parserOptions)];
    const events = plugin.events.forConnection(tuple);
    this.correlator = createCorrelator(plugin.config, plugin.stats, plugin.timeouts, (tx) => {
      if (transactionStatus(tx) === 'Error') plugin.stats.errors++;
      plugin.ctx.publish(createEvent(events, tx));
    });
    this.onMessage = (msg) => {
      if (msg.isRequest) this.correlator.onRequest(msg);
      else this.correlator.onResponse(msg);
    };
  }
}

/** The template protocol analyzer: one instance per beat, state per connection. */
export class TemplatePlugin implements TcpPlugin<TemplateConnection> {
  /** Counters reported with the beat's metrics. */
  readonly stats: ProtocolCounters = createCounters();
  /** Transaction timeouts of every connection, driven by packet time. */
  readonly timeouts = new TransactionTimeouts();

  /** Builds the common fields of every event. */
  readonly events: TransactionEventBuilder;

  constructor(
    readonly config: TemplateConfig,
    readonly ctx: ProtocolContext,
  ) {
    this.events = createEventBuilder(config);
  }

  /** Feeds a segment to the direction's parser; complete messages go to the correlator. */
  parse(
    pkt: Packet,
    tuple: TcpTuple,
    dir: Direction,
    state: TemplateConnection | undefined,
  ): TemplateConnection {
    const conn = state ?? new TemplateConnection(this, tuple);
    conn.lastTs = pkt.ts;
    if (conn.dead[dir]) return conn;
    if (!conn.parsers[dir].feed(pkt, tuple, dir, conn.onMessage)) {
      // The message being parsed is lost: tell the correlator so that it never mis-pairs.
      conn.dead[dir] = true;
      if (dir === 0) conn.correlator.requestGap(pkt.ts, TOO_LONG[0]);
      else conn.correlator.responseGap(TOO_LONG[1]);
      this.ctx.logger.debug(`template: stopped parsing ${tuple.connectionId} direction ${dir}`);
    }
    return conn;
  }

  /** Nothing to do at FIN: pending requests are flushed when the connection closes. */
  // TODO(protocol): if a message may end with the stream (no delimiter), parse the rest here.
  receivedFin(
    _tuple: TcpTuple,
    _dir: Direction,
    state: TemplateConnection | undefined,
  ): TemplateConnection | undefined {
    return state;
  }

  /** Bytes lost in one direction: the transaction they belonged to gets a note. */
  gapInStream(
    tuple: TcpTuple,
    dir: Direction,
    _nbytes: number,
    state: TemplateConnection | undefined,
  ): { state: TemplateConnection; drop: boolean } {
    // A gap before any data (capture started mid-connection) still needs the connection's state.
    const conn = state ?? new TemplateConnection(this, tuple);
    if (conn.dead[dir]) return { state: conn, drop: conn.dead[0] && conn.dead[1] };
    if (dir === 0) conn.correlator.requestGap(conn.lastTs);
    else conn.correlator.responseGap();
    if (!conn.parsers[dir].gap()) conn.dead[dir] = true;
    return { state: conn, drop: conn.dead[0] && conn.dead[1] };
  }

  /** The connection is gone: pending requests are published with status Error and a note. */
  connectionClosed(_tuple: TcpTuple, reason: string, state: TemplateConnection | undefined): void {
    state?.correlator.close(reason);
  }

  /** Packet time moved on: publish requests whose response is overdue. */
  tick(now: number): void {
    this.timeouts.tick(now);
  }

  /** This protocol's counters. */
  counters(): ProtocolCounters {
    return this.stats;
  }
}
