// A byte budget for the requests all connections of one protocol hold while they wait for their
// responses. Hundreds of thousands of open connections each with a pending request must not grow
// memory without bound: beyond the budget the oldest pending requests are published as Error with
// a note (never dropped silently) and counted. What it charges is charged to the beat-wide
// MemoryBudget too, which also counts connections (memory-budget.ts).
import type { MemoryBudget } from './memory-budget';

/** Default `max_pending_bytes`: 128 MiB of pending request state per protocol. */
export const DEFAULT_MAX_PENDING_BYTES = 128 * 1024 * 1024;

/**
 * Bytes one pending request is charged besides its own size: the message object, its place in the
 * correlator's queue and in the timeout queue (measured: about 250 bytes for an echo request).
 */
export const PENDING_REQUEST_OVERHEAD = 256;

/** A connection's correlator, as the budget sees it. */
export interface BudgetedQueue {
  /**
   * Publishes the oldest pending request (or unfinished message) as evicted (status Error, with a
   * note). It may free nothing (a parser cannot give up its message while it runs): the budget
   * then moves on to the next queue.
   */
  evictOldest(): void;
  /** Set while the queue has an entry in the budget's eviction order (kept by the budget). */
  inBudgetOrder: boolean;
  /** Bytes its pending requests are charged (kept by the budget). */
  budgetBytes: number;
}

/**
 * Bytes an unfinished message is charged besides what its parser reports: the message object, its
 * field arrays, the parser and its buffer (measured: about 850 bytes in all for an HTTP request
 * line and one header). Unfinished messages share the budget with pending requests.
 */
export const PARTIAL_MESSAGE_OVERHEAD = 768;

/** The pending-request byte budget of one protocol, shared by all its connections' correlators. */
export class PendingBudget {
  /** Bytes charged by the requests pending now. */
  used = 0;
  /** Requests published early because the budget was exceeded. */
  evictedRequests = 0;
  // Queues in the order their oldest pending request arrived (roughly: a queue keeps its place
  // until it is evicted from or found empty), so eviction takes the oldest requests first.
  private order: BudgetedQueue[] = [];
  private head = 0;
  /** Queues with pending requests (bounds the order list's stale entries). */
  private tracked = 0;

  /**
   * A budget of `maxBytes` for the pending requests of all connections; `beat` (when given) is
   * charged the same bytes.
   */
  constructor(
    readonly maxBytes: number = DEFAULT_MAX_PENDING_BYTES,
    private readonly beat?: MemoryBudget,
  ) {}

  /** A request of `bytes` was queued on `queue`; evicts the oldest requests while over budget. */
  charge(queue: BudgetedQueue, bytes: number): void {
    this.used += bytes;
    if (this.beat !== undefined) this.beat.used += bytes;
    if (queue.budgetBytes === 0) this.tracked++;
    queue.budgetBytes += bytes;
    if (!queue.inBudgetOrder) this.enter(queue);
    if (this.used > this.maxBytes) this.enforce();
  }

  /** A request of `bytes` left `queue` (answered, timed out, evicted, closed). */
  release(queue: BudgetedQueue, bytes: number): void {
    this.used -= bytes;
    if (this.beat !== undefined) this.beat.used -= bytes;
    queue.budgetBytes -= bytes;
    if (queue.budgetBytes === 0) this.tracked--;
  }

  private enter(queue: BudgetedQueue): void {
    queue.inBudgetOrder = true;
    const live = this.order.length - this.head;
    // Entries of queues emptied since (connections closed or evicted in bulk) keep those
    // connections reachable: compact once they are a fifth of the order (amortised O(1)).
    if (live > 1024 && live > this.tracked + (this.tracked >> 2)) this.compact();
    this.order.push(queue);
  }

  /** Drops entries of queues that have nothing pending any more. */
  private compact(): void {
    const kept: BudgetedQueue[] = [];
    for (let i = this.head; i < this.order.length; i++) {
      const q = this.order[i];
      if (q.budgetBytes > 0) kept.push(q);
      else q.inBudgetOrder = false;
    }
    this.order = kept;
    this.head = 0;
  }

  private enforce(): void {
    while (this.used > this.maxBytes && this.head < this.order.length) {
      const q = this.order[this.head];
      this.order[this.head++] = undefined as unknown as BudgetedQueue;
      q.inBudgetOrder = false;
      if (q.budgetBytes === 0) continue;
      const before = q.budgetBytes;
      q.evictOldest();
      if (q.budgetBytes === before) continue; // re-enters the order on its next charge
      this.evictedRequests++;
      if (q.budgetBytes > 0) this.enter(q);
    }
    if (this.head === this.order.length) {
      this.order.length = 0;
      this.head = 0;
    }
  }
}
