// Shapes that cross package boundaries: how reassembly hands over a connection and its directions
// (tcp-reassembly produces them, applayer consumes them) and the event the publisher takes
// (applayer produces it). Each lives here once; the packages on both sides use it.

/** 0: original direction (client to server), 1: reverse direction (server to client). */
export type Direction = 0 | 1;

/** One TCP connection as reassembly hands it to its consumer. */
export interface StreamConnection {
  readonly ipVersion: 4 | 6;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly serverIp: string;
  readonly serverPort: number;
  /** Timestamp (ms) of the first packet of the connection. */
  readonly openedAt: number;
  /** Idle timeout for this connection in ms; the consumer may set it when the connection opens. */
  idleTimeoutMs: number;
  /** Slot for the consumer's per-connection state. */
  userData: unknown;
}

/** An event to publish. */
export interface BeatEvent {
  /** Deterministic document id; outputs that support ids use it for idempotent writes. */
  id?: string;
  /** Event time in ms since the epoch (used for the daily index name). */
  timestamp: number;
  /** The JSON document. */
  fields: Record<string, unknown>;
  /**
   * `JSON.stringify(fields)`: set by whoever built the event when that is cheaper (applayer's event
   * builder), else by the pipeline when it accepts the event, so that the size limit and every
   * output share one serialisation. Whoever changes `fields` must delete it.
   */
  json?: string;
  /**
   * The transaction was cut off by the end of the input (end of file, stopped capture), not by the
   * traffic: a later run over more of the same traffic publishes a final version under the same id.
   * Outputs that store by id never let a provisional event replace a stored document (`create`),
   * while events without the flag replace what is stored (`index`), so the final version wins.
   */
  provisional?: boolean;
}
