// Pairs requests with responses on one connection or flow. FIFO with pipelining is the rule; after
// anything that can desynchronise the two directions (a gap, a timeout, an eviction) the correlator
// prefers publishing an incomplete transaction with a note over pairing a response with the wrong
// request. Protocols whose responses carry the request's identity (DNS id, memcached opaque) pair
// by key instead (`pairBy`): a response takes the oldest pending request of its key, in any order.
import { PENDING_REQUEST_OVERHEAD, type BudgetedQueue, type PendingBudget } from './budget';
import type { Message } from './message';
import { Notes, connectionClosedNote } from './notes';
import type { ProtocolCounters } from './plugin';
import type { TransactionTimeouts } from './timeouts';

/** A request paired with its response, or one of them alone with notes saying why. */
export interface Transaction<Req extends Message = Message, Resp extends Message = Message> {
  /** Index of the transaction in its connection (0, 1, ...), for deterministic event ids. */
  index: number;
  request: Req | undefined;
  response: Resp | undefined;
  /** Transaction-level notes (response missing, orphan response ...); undefined when complete. */
  notes: string[] | undefined;
}

/** Options of a TransactionCorrelator; every field but onTransaction is optional. */
export interface CorrelatorOptions<Req extends Message, Resp extends Message> {
  /**
   * Receives every transaction, complete or not, with the correlator that made it (so that one
   * options object and one callback can serve every connection of a protocol: a subclass of the
   * correlator can carry the connection's state).
   */
  onTransaction(tx: Transaction<Req, Resp>, from: TransactionCorrelator<Req, Resp>): void;
  /** Counters to update (messages, transactions, missing_responses, unmatched_responses; not gaps). */
  counters?: ProtocolCounters;
  /** Most requests waiting for a response; the oldest is published as missing beyond it. Default 1000. */
  maxPending?: number;
  /** Requests older than this (packet time, ms) are published as timed out. Default 10 000. */
  transactionTimeoutMs?: number;
  /** Shared timeout queue (one per plugin) that calls expire() on packet time. */
  timeouts?: TransactionTimeouts;
  /**
   * Optional proof that a response answers a request. After a gap or timeout, responses are only
   * paired with a request they match; without it the correlator counts lost messages instead.
   */
  matches?(request: Req, response: Resp): boolean;
  /**
   * Byte budget shared by the protocol's connections (one per plugin): beyond it the oldest pending
   * requests are published as missing with Notes.responseEvicted and counted `evicted_requests`.
   */
  budget?: PendingBudget;
  /**
   * Pairing by key: a response is paired with the oldest pending request of the same key, whatever
   * the order (messages whose key is undefined pair in order among themselves). Without it,
   * pairing is FIFO. Must give the same key for the same message every time (it may be asked
   * again while the request waits): a key computed once by the parser and kept on the message is best.
   */
  pairBy?(message: Req | Resp): string | number | undefined;
  /**
   * Bytes a pending request holds besides the fixed PENDING_REQUEST_OVERHEAD, for the budget;
   * default its size on the wire (an upper bound of the text it keeps). Must give the same value
   * for the same request every time.
   */
  pendingBytes?(request: Req): number;
}

/**
 * Stands in the request queue for a request lost in a gap: its response must not pair with another.
 * An uncertain one marks where requests may have been lost (a gap right after a truncated request):
 * FIFO stays right for the requests before it, and pairing needs proof from there on.
 */
class LostRequest {
  constructor(
    readonly ts: number,
    readonly note: string,
    readonly certain = true,
  ) {}
}

const DEFAULT_MAX_PENDING = 1000;
/** Flag: after a gap or timeout, until a response provably answers a request again. */
const UNSYNCED = 1;
/** Flag: the connection is gone. */
const CLOSED = 2;
/** Flag: the budget's eviction order holds an entry for this correlator. */
const IN_BUDGET_ORDER = 4;
const DEFAULT_TIMEOUT_MS = 10_000;

/** The queue of a correlator with nothing pending: shared, never written (enqueue replaces it). */
const EMPTY_QUEUE: never[] = Object.freeze([]) as never[];

/** FIFO request/response correlation for one connection (create one per connection). */
export class TransactionCorrelator<
  Req extends Message = Message,
  Resp extends Message = Message,
> implements BudgetedQueue {
  // The options are shared by every connection of a protocol: one reference instead of eight. A
  // subclass may reach its own shared state through them (it is one field less per connection).
  protected readonly opts: CorrelatorOptions<Req, Resp>;
  /** Pending entries; an empty one is replaced on the next request by an exactly sized array. */
  private queue: Array<Req | LostRequest> = EMPTY_QUEUE;
  /**
   * The only pending entry, while there is exactly one (then the queue is empty): most connections
   * wait for one response at a time, and an array for it costs more than the request's own fields.
   */
  private solo: Req | LostRequest | undefined = undefined;
  private qHead = 0;
  /** Responses still expected for requests already published as missing. */
  private late = 0;
  /**
   * Responses since the last request that answered nothing queued (published alone, or lost in a
   * gap): a request gap reported after them is their request's, which then needs no placeholder.
   * Gaps are often proven late (by the next segment or an ACK), after its response went by.
   */
  private unmatched = 0;
  /** False after a gap or timeout until a response provably answers a request again. */
  private get synced(): boolean {
    return (this.flags & UNSYNCED) === 0;
  }
  private set synced(on: boolean) {
    this.flags = on ? this.flags & ~UNSYNCED : this.flags | UNSYNCED;
  }
  private nextIndex = 0;
  private get closed(): boolean {
    return (this.flags & CLOSED) !== 0;
  }
  private set closed(on: boolean) {
    this.flags = on ? this.flags | CLOSED : this.flags & ~CLOSED;
  }
  /** UNSYNCED, CLOSED and IN_BUDGET_ORDER bits: one field for three booleans on each open connection. */
  private flags = 0;
  /** Deadline of this correlator's entry in the timeout queue, Infinity when it has none. */
  private watchAt = Infinity;
  /** Note for requests skipped over when a later one is answered while unsynchronised. */
  private skipNote: string = Notes.responseSkipped;
  /** Whether the budget's eviction order holds an entry for this correlator (the budget's flag). */
  get inBudgetOrder(): boolean {
    return (this.flags & IN_BUDGET_ORDER) !== 0;
  }
  set inBudgetOrder(on: boolean) {
    this.flags = on ? this.flags | IN_BUDGET_ORDER : this.flags & ~IN_BUDGET_ORDER;
  }
  /** Bytes the budget charges this correlator's pending requests (the budget's count). */
  budgetBytes = 0;

  /** Creates the correlator of one connection. */
  constructor(opts: CorrelatorOptions<Req, Resp>) {
    this.opts = opts;
  }

  /** True once the connection closed: its timeout entries no longer matter. */
  get finished(): boolean {
    return this.closed;
  }

  /** Requests (and lost-request placeholders) waiting for a response. */
  get pending(): number {
    return this.solo !== undefined ? 1 : this.queue.length - this.qHead;
  }

  /**
   * The oldest request still waiting for its response (requests timed out or evicted are gone),
   * or with `key`, the oldest of that key (pairBy). Undefined when none waits, or when the oldest
   * entry stands for a request lost in a gap. The request object is the protocol's own: what it
   * keeps on it is its per-request state.
   */
  pendingRequest(key?: string | number): Req | undefined {
    if (this.pending === 0) return undefined;
    if (key === undefined) {
      const head = this.peek();
      return head instanceof LostRequest ? undefined : head;
    }
    const pairBy = this.opts.pairBy;
    if (this.solo !== undefined) {
      const solo = this.solo;
      return !(solo instanceof LostRequest) && pairBy?.(solo) === key ? solo : undefined;
    }
    for (let k = this.qHead; k < this.queue.length; k++) {
      const entry = this.queue[k];
      if (!(entry instanceof LostRequest) && pairBy?.(entry) === key) return entry;
    }
    return undefined;
  }

  /** Transactions emitted so far (the next transaction's index). */
  get transactionCount(): number {
    return this.nextIndex;
  }

  /** Queues a request; publishes the oldest as missing when more than maxPending wait. */
  onRequest(req: Req): void {
    if (this.opts.counters) this.opts.counters.messages++;
    this.unmatched = 0;
    if (this.closed) return this.missing(req, connectionClosedNote('closed'));
    if (this.pending >= (this.opts.maxPending ?? DEFAULT_MAX_PENDING)) {
      const oldest = this.shift();
      if (!(oldest instanceof LostRequest)) {
        this.late++;
        this.missing(oldest, Notes.responseTooManyPending);
      }
      this.desync();
    }
    this.enqueue(req);
    if (this.pending === 1) this.watchHead();
    if (this.opts.budget !== undefined) this.opts.budget.charge(this, this.costOf(req));
  }

  /**
   * A request that expects no response (memcache noreply, a quiet command passed by): its
   * transaction is published now with the request alone and no note. A request already queued
   * leaves the queue; one not queued yet is counted as a message here.
   */
  onRequestAlone(req: Req): void {
    if (!this.removePending(req)) {
      if (this.opts.counters) this.opts.counters.messages++;
      this.unmatched = 0;
    }
    this.emit(req, undefined, undefined);
  }

  /** Takes `req` out of the pending requests; false when it is not among them. */
  private removePending(req: Req): boolean {
    if (this.solo === req) this.solo = undefined;
    else {
      const at = this.queue.indexOf(req, this.qHead);
      if (at < 0) return false;
      if (at === this.qHead) this.shiftQueue();
      else this.queue.splice(at, 1);
    }
    const budget = this.opts.budget;
    if (budget !== undefined) budget.release(this, this.costOf(req));
    this.watchHead();
    return true;
  }

  /** The budget is exceeded: the oldest pending request is published as missing, its response late. */
  evictOldest(): void {
    while (this.pending > 0) {
      // Placeholders before it go too: their responses, if any come, are orphans either way.
      const oldest = this.shift();
      if (oldest instanceof LostRequest) continue;
      this.late++;
      if (this.opts.counters)
        this.opts.counters.evicted_requests = (this.opts.counters.evicted_requests ?? 0) + 1;
      this.missing(oldest, Notes.responseEvicted);
      break;
    }
    this.desync();
    this.watchHead();
  }

  /** Pairs a response with its request, or publishes it alone with a note when none fits. */
  onResponse(resp: Resp): void {
    if (this.opts.counters) this.opts.counters.messages++;
    if (this.opts.pairBy !== undefined) return this.onResponseByKey(resp, this.opts.pairBy);
    if (this.opts.matches !== undefined && !this.synced)
      return this.onResponseUnsynced(resp, this.opts.matches);
    if (this.late > 0) {
      this.late--;
      return this.orphan(resp, Notes.lateResponse);
    }
    if (this.pending === 0) {
      this.unmatched++;
      return this.orphan(resp, Notes.responseWithoutRequest);
    }
    const head = this.shift();
    if (head instanceof LostRequest) {
      if (!head.certain && this.opts.matches !== undefined) {
        // Every request before the mark is answered: from here on only proof pairs.
        this.desync();
        return this.onResponseUnsynced(resp, this.opts.matches);
      }
      return this.orphan(resp, head.note);
    }
    this.emit(head, resp, undefined);
    this.watchHead();
  }

  /**
   * A request was lost (a gap hit it, or the parser dropped it): its response must stay unpaired.
   * `note` goes on the response's transaction. The caller counts gaps.
   */
  requestGap(ts: number, note: string = Notes.requestLostInGap): void {
    if (this.unmatched > 0 && note === Notes.requestLostInGap) {
      // Its response already went by (alone, or into a gap of its own).
      this.unmatched--;
      return;
    }
    this.enqueue(new LostRequest(ts, note));
    this.desync();
    if (this.pending === 1) this.watchHead();
  }

  /**
   * A gap cut a request short (the parser still published what it saw) and may have swallowed
   * whole requests after it, or none. Responses to the requests already queued still pair in order;
   * after them, only a response that `matches` a request pairs. Without `matches` nothing can tell,
   * so this acts like requestGap.
   */
  requestsMaybeLost(ts: number, note: string = Notes.requestLostInGap): void {
    if (this.opts.matches === undefined) return this.requestGap(ts, note);
    this.enqueue(new LostRequest(ts, note, false));
    if (this.pending === 1) this.watchHead();
  }

  /**
   * A gap cut a response short (the parser still published it, so it paired as usual) and may have
   * swallowed whole responses after it, or none: from now on only a response that `matches` a
   * request pairs, and requests skipped over are published with `note`. Without `matches` this
   * acts like responseGap.
   */
  responsesMaybeLost(note: string = Notes.responseLostInGap): void {
    if (this.opts.matches === undefined) return this.responseGap(note);
    this.desync();
    this.skipNote = note;
  }

  /**
   * The oldest pending request's response was lost (a gap hit it, or the parser dropped it). When
   * pairing by key, which request lost its response is unknown: it is published when it times out.
   */
  responseGap(note: string = Notes.responseLostInGap): void {
    if (this.opts.pairBy !== undefined) return;
    this.desync();
    this.skipNote = note;
    if (this.pending === 0) {
      if (this.late > 0) this.late--;
      else this.unmatched++;
      return;
    }
    const head = this.shift();
    if (!(head instanceof LostRequest)) this.missing(head, note);
    this.watchHead();
  }

  /** Publishes requests older than the transaction timeout at packet time `now`. */
  expire(now: number): void {
    while (this.pending > 0) {
      const head = this.peek();
      if (head.ts + this.timeoutMs > now) break;
      this.shift();
      if (!(head instanceof LostRequest)) {
        this.late++;
        this.missing(head, Notes.responseTimeout);
      }
      this.desync();
    }
    this.watchHead();
  }

  /** Called by the timeout queue when a deadline this correlator asked for has passed. */
  onDeadline(now: number): void {
    this.watchAt = Infinity;
    this.expire(now);
  }

  /** The connection is gone: every pending request is published with status Error and a note. */
  close(reason: string): void {
    const note = connectionClosedNote(reason);
    while (this.pending > 0) {
      const head = this.shift();
      if (!(head instanceof LostRequest)) this.missing(head, note);
    }
    this.closed = true;
  }

  /**
   * Pairing by key: the oldest pending request with the response's key (and that `matches` it, when
   * the protocol proves pairs) is answered, wherever it sits in the queue. A response no request
   * fits answers a placeholder of a request lost in a gap when there is one (its note), else it is
   * a late response (its request timed out or was evicted) or one without a request.
   */
  private onResponseByKey(resp: Resp, pairBy: (message: Req | Resp) => string | number | undefined): void {
    const key = pairBy(resp);
    const matches = this.opts.matches;
    this.spread();
    let found = -1;
    let lost = -1;
    for (let k = this.qHead; k < this.queue.length; k++) {
      const entry = this.queue[k];
      if (entry instanceof LostRequest) {
        if (lost < 0) lost = k;
      } else if (pairBy(entry) === key && (matches === undefined || matches(entry, resp))) {
        found = k;
        break;
      }
    }
    if (found < 0) {
      if (lost >= 0) {
        const mark = this.takeAt(lost) as LostRequest;
        return this.orphan(resp, mark.note);
      }
      if (this.late > 0) {
        this.late--;
        return this.orphan(resp, Notes.lateResponse);
      }
      return this.orphan(
        resp,
        matches === undefined ? Notes.responseWithoutRequest : Notes.responseWithoutMatchingRequest,
      );
    }
    const req = this.takeAt(found) as Req;
    this.emit(req, resp, undefined);
    this.watchHead();
  }

  /** Removes the queue entry at index `k` (the queue is spread), releasing its budget. */
  private takeAt(k: number): Req | LostRequest {
    if (k === this.qHead) return this.shift();
    const entry = this.queue[k];
    this.queue.splice(k, 1);
    const budget = this.opts.budget;
    if (budget !== undefined && !(entry instanceof LostRequest)) budget.release(this, this.costOf(entry));
    return entry;
  }

  private onResponseUnsynced(resp: Resp, matches: (request: Req, response: Resp) => boolean): void {
    this.spread();
    let k = this.qHead;
    for (; k < this.queue.length; k++) {
      const entry = this.queue[k];
      if (!(entry instanceof LostRequest) && matches(entry, resp)) break;
    }
    if (k === this.queue.length) {
      // No request fits: a lost request's response (only the oldest entry can be answered next,
      // the server answers in order), a late one, or unsolicited. Marks of possible losses say
      // nothing about this response: pass them.
      while (this.pending > 0) {
        const mark = this.queue[this.qHead];
        if (!(mark instanceof LostRequest) || mark.certain) break;
        this.shift();
      }
      const head = this.queue[this.qHead];
      if (head instanceof LostRequest) {
        this.shift();
        return this.orphan(resp, head.note);
      }
      if (this.late > 0) {
        this.late--;
        return this.orphan(resp, Notes.lateResponse);
      }
      return this.orphan(resp, Notes.responseWithoutMatchingRequest);
    }
    // Everything queued before the match was answered (or lost) earlier: its responses are gone.
    // Counted, not compared with k: shift() may compact the queue and move qHead under us.
    for (let skip = k - this.qHead; skip > 0; skip--) {
      const skipped = this.shift();
      if (!(skipped instanceof LostRequest)) this.missing(skipped, this.skipNote);
    }
    const req = this.shift() as Req;
    this.late = 0;
    // Back to plain FIFO only when no lost request is still queued: its response is yet to come.
    this.synced = true;
    for (let j = this.qHead; j < this.queue.length; j++) {
      if (this.queue[j] instanceof LostRequest) this.synced = false;
    }
    if (this.synced) this.skipNote = Notes.responseSkipped;
    this.emit(req, resp, undefined);
    this.watchHead();
  }

  private desync(): void {
    if (this.opts.matches !== undefined) this.synced = false;
  }

  private enqueue(entry: Req | LostRequest): void {
    // One entry needs no array; a literal for two is exactly as long as it needs to be (push()
    // on an empty array would reserve 17 slots).
    if (this.solo !== undefined) {
      this.queue = [this.solo, entry];
      this.qHead = 0;
      this.solo = undefined;
    } else if (this.queue.length === 0) this.solo = entry;
    else this.queue.push(entry);
  }

  /** The oldest pending entry (there must be one). */
  private peek(): Req | LostRequest {
    return this.solo ?? this.queue[this.qHead];
  }

  /** Moves a solo entry into the queue array, for code that walks the queue by index. */
  private spread(): void {
    if (this.solo === undefined) return;
    this.queue = [this.solo];
    this.qHead = 0;
    this.solo = undefined;
  }

  private get timeoutMs(): number {
    return this.opts.transactionTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private costOf(req: Req): number {
    const pendingBytes = this.opts.pendingBytes;
    return PENDING_REQUEST_OVERHEAD + (pendingBytes !== undefined ? pendingBytes(req) : req.size);
  }

  private shift(): Req | LostRequest {
    let entry = this.solo;
    if (entry !== undefined) this.solo = undefined;
    else entry = this.shiftQueue();
    const budget = this.opts.budget;
    if (budget !== undefined && !(entry instanceof LostRequest)) budget.release(this, this.costOf(entry));
    return entry;
  }

  private shiftQueue(): Req | LostRequest {
    const entry = this.queue[this.qHead];
    this.queue[this.qHead++] = undefined as unknown as Req;
    if (this.qHead === this.queue.length) {
      this.queue = EMPTY_QUEUE;
      this.qHead = 0;
    } else if (this.qHead > 64 && this.qHead * 2 > this.queue.length) {
      this.queue.splice(0, this.qHead);
      this.qHead = 0;
    }
    return entry;
  }

  /** Keeps at most one entry per connection in the timeout queue: the earliest deadline that matters. */
  private watchHead(): void {
    const timeouts = this.opts.timeouts;
    if (timeouts === undefined || this.pending === 0) return;
    const deadline = this.peek().ts + this.timeoutMs;
    if (deadline < this.watchAt) {
      this.watchAt = deadline;
      timeouts.watch(this, deadline);
    }
  }

  private missing(req: Req, note: string): void {
    if (this.opts.counters) this.opts.counters.missing_responses++;
    this.emit(req, undefined, note);
  }

  private orphan(resp: Resp, note: string): void {
    if (this.opts.counters) this.opts.counters.unmatched_responses++;
    this.emit(undefined, resp, note);
  }

  private emit(request: Req | undefined, response: Resp | undefined, note: string | undefined): void {
    if (this.opts.counters) this.opts.counters.transactions++;
    const tx = { index: this.nextIndex++, request, response, notes: note === undefined ? undefined : [note] };
    this.opts.onTransaction(tx, this);
  }
}
