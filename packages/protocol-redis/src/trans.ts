// Correlation of Redis commands and replies. Redis answers in order, so FIFO pairing is right,
// except on connections in pub/sub mode: there the server also sends messages nobody asked for,
// and one SUBSCRIBE of n channels is confirmed n times. Those are recognised here so that they
// never take the place of a command's reply.
import {
  TransactionCorrelator,
  type ProtocolCounters,
  type Transaction,
  type TransactionTimeouts,
} from '@wirebeat/applayer';
import type { RedisMessage } from './message';
import { itemsOf } from './resp';

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

/** A command waiting for its reply. */
interface Pending {
  method: string;
  /** Channels (or patterns) named: the confirmations a subscription command gets. */
  channels: number;
}

/** FIFO pairing with pub/sub awareness, for one connection. */
export class RedisTransactions {
  readonly correlator: TransactionCorrelator<RedisMessage, RedisMessage>;
  private pending: Pending[] = [];
  private head = 0;
  /** Confirmations still expected for the last subscription command answered, and their kind. */
  private confirmationsLeft = 0;
  private confirmationKind = '';
  /** Subscriptions the server reports active: non-zero puts RESP2 arrays under suspicion. */
  private subscriptions = 0;

  /** Creates the correlation state of one connection. */
  constructor(
    private readonly counters: RedisCounters,
    opts: {
      timeouts: TransactionTimeouts;
      transactionTimeoutMs: number;
      maxPending: number;
      onTransaction(tx: Transaction<RedisMessage, RedisMessage>): void;
    },
  ) {
    this.correlator = new TransactionCorrelator<RedisMessage, RedisMessage>({ ...opts, counters });
  }

  /** A command. */
  command(msg: RedisMessage): void {
    const args = msg.args ?? [];
    this.pending.push({ method: (args[0] ?? '').toUpperCase(), channels: Math.max(0, args.length - 1) });
    this.correlator.onRequest(msg);
  }

  /** A reply or push from the server. */
  reply(msg: RedisMessage): void {
    this.sync();
    const next = this.head < this.pending.length ? this.pending[this.head] : undefined;
    const kind = this.kindOf(msg, next);
    if (kind !== undefined && SUBSCRIPTION_COMMANDS.has(kind.toUpperCase())) {
      const count = itemsOf(msg.value)?.[2];
      if (typeof count === 'number') this.subscriptions = count;
      if (this.confirmationsLeft > 0 && this.confirmationKind === kind) {
        this.confirmationsLeft--;
        return this.push();
      }
      if (next?.method !== kind.toUpperCase()) return this.push();
      this.confirmationKind = kind;
      // Without channels, UNSUBSCRIBE is confirmed once per subscription until none is left.
      this.confirmationsLeft =
        next.channels > 0
          ? next.channels - 1
          : typeof count === 'number' && kind.includes('unsub')
            ? count
            : 0;
    } else if (msg.isPush || (kind !== undefined && MESSAGE_KINDS.has(kind))) {
      return this.push();
    }
    if (next !== undefined) this.head++;
    this.correlator.onResponse(msg);
    this.compact();
  }

  /** The connection is gone: pending commands are published with a note. */
  close(reason: string): void {
    this.correlator.close(reason);
  }

  /**
   * What a server message is, from its first element (lower-case): RESP3 pushes always tell;
   * RESP2 arrays only on a subscribed connection (elsewhere an array is just a reply).
   */
  private kindOf(msg: RedisMessage, next: Pending | undefined): string | undefined {
    if (!msg.isPush && this.subscriptions === 0 && !SUBSCRIPTION_COMMANDS.has(next?.method ?? ''))
      return undefined;
    const items = itemsOf(msg.value);
    if (items === undefined || items.length === 0) return undefined;
    if (typeof items[0] === 'string') return items[0].toLowerCase();
    // A gap cut the kind short: on a pending subscription command, take it for its confirmation.
    if (msg.truncated && next !== undefined && SUBSCRIPTION_COMMANDS.has(next.method))
      return next.method.toLowerCase();
    return undefined;
  }

  private push(): void {
    this.counters.push_messages++;
  }

  /** Commands published without a reply (timeouts, evictions) leave the front of the queue. */
  private sync(): void {
    const extra = this.pending.length - this.head - this.correlator.pending;
    if (extra > 0) this.head += extra;
  }

  private compact(): void {
    if (this.head === this.pending.length) {
      this.pending.length = 0;
      this.head = 0;
    } else if (this.head > 64) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }
}
