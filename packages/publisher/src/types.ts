// Events as the publisher sees them; structurally identical to applayer's TransactionEvent.

/** An event to publish. */
export interface BeatEvent {
  /** Deterministic document id; outputs that support ids use it for idempotent writes. */
  id?: string;
  /** Event time in ms since the epoch (used for the daily index name). */
  timestamp: number;
  /** The JSON document. */
  fields: Record<string, unknown>;
}
