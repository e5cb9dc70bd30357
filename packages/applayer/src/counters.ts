// Per-protocol counters.
import type { ProtocolCounters } from './plugin';

/** A zeroed counters object. */
export function createCounters(): ProtocolCounters {
  return { messages: 0, transactions: 0, errors: 0, unmatched_responses: 0, missing_responses: 0, gaps: 0 };
}
