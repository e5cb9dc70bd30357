// One Redis connection: a RESP parser per direction and the pub/sub awareness correlation needs.
// Redis answers in order, so the framework's FIFO pairing is right, except on connections in
// pub/sub mode: there the server also sends messages nobody asked for, and one SUBSCRIBE of n
// channels is confirmed n times. Those are recognised here so that they never take the place of a
// command's reply.
import type { ConnectionContext, ConnectionHandler, Direction, ProtocolCounters } from '@wirebeat/applayer';
import type { RedisConfig } from './config';
import type { RedisMessage } from './message';
import { RespParser } from './parser';
import { redactArgs } from './pub';
import { formatValue, itemsOf } from './resp';
import { commandName } from './command-name';

/** Commands whose replies are one confirmation per channel (or pattern). */
const SUBSCRIPTION_COMMANDS = new Set([
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'PSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SSUBSCRIBE',
  'SUNSUBSCRIBE',
]);
/** Pushes that carry published data or invalidations: never replies. */
const MESSAGE_KINDS = new Set(['message', 'pmessage', 'smessage', 'invalidate']);

/** Counters of the Redis analyzer: the common ones plus pushes. */
export interface RedisCounters extends ProtocolCounters {
  /** Pub/sub messages, invalidations and extra confirmations: server data that answers no command. */
  push_messages: number;
}

/** The command name of a request, upper-case ('' when it has none). */
function methodOf(command: RedisMessage): string {
  return commandName(command.args?.[0] ?? '').upper;
}

/** Channels (or patterns) a command names: the confirmations a subscription command gets. */
function channelsOf(command: RedisMessage): number {
  return Math.max(0, (command.args?.length ?? 0) - 1);
}

/**
 * The handler of one Redis connection. The command a reply may answer is the framework's oldest
 * pending request: what a command says about its replies is read from it when needed.
 */
export class RedisConnection implements ConnectionHandler {
  private readonly parsers: [RespParser, RespParser];
  private readonly onMessage: [(m: RedisMessage) => void, (m: RedisMessage) => void];
  /** Confirmations still expected for the last subscription command answered, and their kind. */
  private confirmationsLeft = 0;
  private confirmationKind = '';
  /** Subscriptions the server reports active: non-zero puts RESP2 arrays under suspicion. */
  private subscriptions = 0;

  /** Created on a connection's first segment (or gap). */
  constructor(private readonly ctx: ConnectionContext<RedisMessage, RedisMessage, RedisConfig>) {
    const maxBulkBytes = ctx.config.max_bulk_bytes;
    const idle = (): boolean => ctx.pending === 0;
    // Options as literals, not spread from one object: a spread copy got a map of its own per
    // connection, which made every read of the options megamorphic.
    this.parsers = [
      new RespParser(ctx.tuple, 0, { maxBulkBytes, idle, onLost: (ts) => this.commandLost(ts) }),
      new RespParser(ctx.tuple, 1, { maxBulkBytes, idle, onLost: (ts) => ctx.lost(1, ts) }),
    ];
    this.onMessage = [(m) => this.command(m), (m) => this.reply(m)];
  }

  /** Feeds a segment of one direction to that direction's parser. */
  onData(dir: Direction, payload: Uint8Array, ts: number): void {
    this.parsers[dir].parse(payload, ts, this.onMessage[dir]);
  }

  /**
   * A gap inside a bulk string only shortens what is seen of it (the message gets a note).
   * Anywhere else the lost messages are reported to the correlator and the parser resumes at the
   * next command or reply (see RespParser.gap).
   */
  onGap(dir: Direction, nbytes: number, ts: number): boolean {
    return this.parsers[dir].gap(nbytes, ts);
  }

  /** A command lost in a gap: its reply must answer nothing, and must not be taken for a push. */
  private commandLost(ts: number): void {
    this.ctx.lost(0, ts);
  }

  /**
   * A command; its text (passwords redacted) is what `request` and `query` publish. It is made now
   * only for send_request (the framework drops it otherwise): the event makes the query itself.
   */
  command(msg: RedisMessage): void {
    if (msg.args !== undefined && this.ctx.config.send_request) msg.raw = redactArgs(msg.args).join(' ');
    this.ctx.request(msg);
  }

  /** A reply or push from the server. */
  reply(msg: RedisMessage): void {
    const command = this.ctx.pendingRequest();
    const next = command === undefined ? undefined : methodOf(command);
    const kind = this.kindOf(msg, next);
    if (kind !== undefined && SUBSCRIPTION_COMMANDS.has(kind.toUpperCase())) {
      const count = itemsOf(msg.value)?.[2];
      if (typeof count === 'number') this.subscriptions = count;
      if (this.confirmationsLeft > 0 && this.confirmationKind === kind) {
        this.confirmationsLeft--;
        return this.push();
      }
      if (command === undefined || next !== kind.toUpperCase()) return this.push();
      this.confirmationKind = kind;
      // Without channels, UNSUBSCRIBE is confirmed once per subscription until none is left.
      const channels = channelsOf(command);
      this.confirmationsLeft =
        channels > 0 ? channels - 1 : typeof count === 'number' && kind.includes('unsub') ? count : 0;
    } else if (msg.isPush || (kind !== undefined && MESSAGE_KINDS.has(kind))) {
      return this.push();
    }
    msg.raw = formatValue(msg.value);
    this.ctx.response(msg);
  }

  /**
   * What a server message is, from its first element (lower-case): RESP3 pushes always tell;
   * RESP2 arrays only on a subscribed connection (elsewhere an array is just a reply).
   */
  private kindOf(msg: RedisMessage, next: string | undefined): string | undefined {
    if (!msg.isPush && this.subscriptions === 0 && !SUBSCRIPTION_COMMANDS.has(next ?? '')) return undefined;
    const items = itemsOf(msg.value);
    if (items === undefined || items.length === 0) return undefined;
    if (typeof items[0] === 'string') return items[0].toLowerCase();
    // A gap cut the kind short: on a pending subscription command, take it for its confirmation.
    if (msg.truncated && next !== undefined && SUBSCRIPTION_COMMANDS.has(next)) return next.toLowerCase();
    return undefined;
  }

  private push(): void {
    this.ctx.count('push_messages');
  }
}
