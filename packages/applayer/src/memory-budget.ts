// The beat-wide memory model. Each protocol bounds its own messages (max_pending_bytes, see
// budget.ts); this budget bounds their sum over every protocol plus the state of every open
// connection, which costs memory whether or not it holds a message: a million idle connections
// are a gigabyte. Who owns the connections (the engine) asks `over` after each frame and closes
// the least recently active ones until the budget holds again; what they held is published (as
// Error, with a note), and the evictions are counted. The output queue has its own bound
// (queue.mem.bytes): together they are what the beat keeps live.

/**
 * Default budget: 128 MiB of connection state and messages, over all protocols. With the output
 * queue (64 MiB), the garbage the heap governor allows and the young generation, it keeps every
 * capture of issue 24 under 512 MB of RSS.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 128 * 1024 * 1024;

/**
 * Bytes one open connection or flow is charged, besides its messages: the reassembler's state (its
 * two half streams and table entry), the dispatcher's slot, the protocol's connection object and
 * its parsers (measured in heap snapshots: about 900 bytes for echo, 1,000 for HTTP).
 */
export const CONNECTION_OVERHEAD = 1024;

/** The budget's counters, published under `memory` in the engine's and the beat's metrics. */
export interface MemoryCounters {
  /** The budget (bytes). */
  budget_bytes: number;
  /** Bytes charged now: connections and messages. */
  used_bytes: number;
  /** Open connections and flows charged. */
  connections: number;
  /** Connections closed because the budget was exceeded (their messages published as Error). */
  evicted_connections: number;
}

/** What connections and messages of every protocol hold, against one limit. */
export class MemoryBudget {
  /** Bytes charged now. */
  used = 0;
  /** Connections charged now. */
  connections = 0;
  /** Connections closed to keep within the budget (counted by whoever closes them). */
  evictedConnections = 0;

  /** A budget of `maxBytes` (default DEFAULT_MEMORY_BUDGET_BYTES). */
  constructor(readonly maxBytes: number = DEFAULT_MEMORY_BUDGET_BYTES) {}

  /** True while more is charged than the budget allows. */
  get over(): boolean {
    return this.used > this.maxBytes;
  }

  /** A connection opened. */
  openConnection(): void {
    this.connections++;
    this.used += CONNECTION_OVERHEAD;
  }

  /** A connection closed. */
  closeConnection(): void {
    this.connections--;
    this.used -= CONNECTION_OVERHEAD;
  }

  /** A snapshot of the counters. */
  counters(): MemoryCounters {
    return {
      budget_bytes: this.maxBytes,
      used_bytes: this.used,
      connections: this.connections,
      evicted_connections: this.evictedConnections,
    };
  }
}
