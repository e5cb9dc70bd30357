// Correlation of HTTP requests and responses. HTTP/1.x answers in order, so FIFO pairing is right;
// interim (1xx) responses are not final answers and never pair. The methods of the requests still
// waiting are kept alongside the correlator because the response parser needs them: the response
// to a HEAD request has no body whatever its headers say.
import {
  TransactionCorrelator,
  type ProtocolCounters,
  type Transaction,
  type TransactionTimeouts,
} from '@wirebeat/applayer';
import type { HttpMessage } from './message';

/** FIFO pairing plus the pending requests' methods, for one connection. */
export class HttpTransactions {
  readonly correlator: TransactionCorrelator<HttpMessage, HttpMessage>;
  private methods: string[] = [];
  private head = 0;

  /** Creates the correlation state of one connection. */
  constructor(opts: {
    counters: ProtocolCounters;
    timeouts: TransactionTimeouts;
    transactionTimeoutMs: number;
    maxPending: number;
    onTransaction(tx: Transaction<HttpMessage, HttpMessage>): void;
  }) {
    this.correlator = new TransactionCorrelator<HttpMessage, HttpMessage>(opts);
  }

  /** A complete request. */
  request(msg: HttpMessage): void {
    this.methods.push(msg.method);
    this.correlator.onRequest(msg);
  }

  /** A final response (callers drop interim ones). */
  response(msg: HttpMessage): void {
    this.sync();
    if (this.head < this.methods.length) this.head++;
    this.correlator.onResponse(msg);
    this.compact();
  }

  /** A request was lost in a gap: its response must stay unpaired. */
  requestLost(ts: number): void {
    this.methods.push('');
    this.correlator.requestGap(ts);
  }

  /** The oldest pending request's response was lost in a gap. */
  responseLost(): void {
    this.sync();
    if (this.head < this.methods.length) this.head++;
    this.correlator.responseGap();
    this.compact();
  }

  /** The method of the request the next response answers ('' when lost, undefined when none). */
  nextMethod(): string | undefined {
    this.sync();
    return this.head < this.methods.length ? this.methods[this.head] : undefined;
  }

  /** Requests published without a response (timeouts, evictions) leave the front of the queue. */
  private sync(): void {
    const extra = this.methods.length - this.head - this.correlator.pending;
    if (extra > 0) this.head += extra;
  }

  private compact(): void {
    if (this.head === this.methods.length) {
      this.methods.length = 0;
      this.head = 0;
    } else if (this.head > 64) {
      this.methods.splice(0, this.head);
      this.head = 0;
    }
  }
}
