// The protocol plugin contract. Shapes here mirror @wirebeat/tcp-reassembly's Direction and
// @wirebeat/publisher's BeatEvent structurally; applayer depends on neither.

/** 0: original direction (client to server), 1: reverse direction (server to client). */
export type Direction = 0 | 1;

/** The connection a message belongs to; src is always the client, dst the server. */
export interface TcpTuple {
  readonly ipVersion: 4 | 6;
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  /** Stable identity of the connection (for deterministic event ids). */
  readonly connectionId: string;
}

/** A piece of a TCP stream handed to a plugin. `payload` is only valid during the call. */
export interface Packet {
  /** Milliseconds since the Unix epoch. */
  ts: number;
  payload: Uint8Array;
}

/** One event per transaction: `fields` is the JSON document, `id` its deterministic _id. */
export interface TransactionEvent {
  id: string;
  /** Event time (request time) in ms since the epoch; the output derives the daily index from it. */
  timestamp: number;
  fields: Record<string, unknown>;
}

/** Elasticsearch field types a protocol may declare for its own fields. */
export type FieldType = 'keyword' | 'text' | 'long' | 'integer' | 'double' | 'boolean' | 'date' | 'ip' | 'object';

/** A protocol-specific event field, used to build the index template. */
export interface FieldDefinition {
  /** Dotted path, e.g. `echo.message_count`. */
  name: string;
  type: FieldType;
  description: string;
}
