// The protocol plugin contract. Direction, events, field definitions and the logger shape come from
// @wirebeat/core, which tcp-reassembly's consumers and the publisher share; applayer depends on
// neither of them.
import type { BeatEvent, Direction, FieldDefinition, Logger } from '@wirebeat/core';
import type { ZodType } from 'zod';
import type { MemoryBudget } from './memory-budget';

export type { Direction, FieldType, FieldDefinition, Logger } from '@wirebeat/core';

/** The transport protocols a flow can run on. */
export type Transport = 'tcp' | 'udp';

/**
 * The flow a message belongs to (a TCP connection or a UDP flow); src is always the client (the
 * side that is not on the protocol's server port), dst the server.
 */
export interface FlowTuple {
  readonly ipVersion: 4 | 6;
  /** `tcp` for a reassembled connection, `udp` for a flow of datagrams (one datagram per parse call). */
  readonly transport: Transport;
  readonly srcIp: string;
  readonly srcPort: number;
  readonly dstIp: string;
  readonly dstPort: number;
  /** Stable identity of the flow (for deterministic event ids). */
  readonly connectionId: string;
}

/**
 * The tuple as code written before UDP knew it: a FlowTuple whose transport may be left out
 * (then it is TCP). Every FlowTuple is one; the framework hands out FlowTuples.
 */
export type TcpTuple = Omit<FlowTuple, 'transport'> & { readonly transport?: Transport };

/** The transport of a tuple (`tcp` when it does not say). */
export function transportOf(tuple: TcpTuple): Transport {
  return tuple.transport ?? 'tcp';
}

/** A piece of a TCP stream, or one whole UDP datagram, handed to a plugin. `payload` is only valid during the call. */
export interface Packet {
  /** Milliseconds since the Unix epoch (to the microsecond). */
  ts: number;
  /** Nanoseconds below ts's microsecond (0..999); undefined when the capture has none. */
  tsNanos?: number | undefined;
  payload: Uint8Array;
}

/** One event per transaction: a BeatEvent whose `id` is always set (deterministic `_id`). */
export interface TransactionEvent extends BeatEvent {
  id: string;
  /**
   * What the event builder knew when it serialised the document, so that later stages (the beat's
   * enrichment) need not parse it. Absent on events built by other means.
   */
  readonly status?: 'OK' | 'Error';
  /** The transaction's notes (also in the document). */
  readonly notes?: readonly string[];
  /** The connection: client (source) and server (destination) endpoints. */
  readonly tuple?: TcpTuple;
  /** The document already has what the beat's EventDecoration adds (see ProtocolContext). */
  readonly decorated?: boolean;
}

/**
 * What the beat adds to every serialised event when it adds the same text to all of them (no
 * processors): the event builder then writes it in place, and the document is made once instead
 * of being cut and joined again after it was built.
 */
export interface EventDecoration {
  /**
   * The first member of the network object (`"direction":"ingress",`) for a connection's
   * endpoints; undefined for none. Asked once per connection, not per event.
   */
  networkMember?(srcIp: string, dstIp: string): string | undefined;
  /** The text written in place of the document's closing brace (the beat's fields, then `}`). */
  readonly suffix: string;
}

/** Counters every protocol keeps; the runner logs them with the metrics. */
export interface ProtocolCounters {
  /** Messages parsed (requests and responses). */
  messages: number;
  /** Transactions published (complete or not). */
  transactions: number;
  /** Transactions published with status Error. */
  errors: number;
  /** Responses without a request (published with a note). */
  unmatched_responses: number;
  /** Requests whose response never came (published with status Error and a note). */
  missing_responses: number;
  /** Gaps in a stream that hit this protocol's connections. */
  gaps: number;
  /**
   * Pending requests published early (status Error, with a note) because the protocol's pending
   * requests went over max_pending_bytes (set when non-zero).
   */
  evicted_requests?: number;
  /**
   * Unfinished messages (a request head still arriving...) published early because they and the
   * pending requests went over max_pending_bytes (set when non-zero).
   */
  evicted_partial_messages?: number;
  /** Connections dropped because the plugin threw (set by the dispatcher when non-zero). */
  plugin_failures?: number;
}

/** What a protocol plugin may call back into. */
export interface ProtocolContext {
  /** Hands one transaction event to the publisher pipeline. */
  publish(event: TransactionEvent): void;
  logger: Logger;
  /** The beat-wide budget the protocol's messages are charged to as well (absent: none). */
  memory?: MemoryBudget;
  /** What the beat adds to every event, written by the event builder (absent: the beat adds it). */
  decoration?: EventDecoration;
}

/** Options every protocol has (see sharedProtocolOptions in config.ts for defaults). */
export interface SharedProtocolConfig {
  enabled: boolean;
  ports: number[];
  send_request: boolean;
  send_response: boolean;
  /** Transaction timeout in milliseconds (configured as a duration such as '10s'). */
  transaction_timeout: number;
  /**
   * Byte budget of the requests all this protocol's connections hold while waiting for responses
   * (default 128 MiB); beyond it the oldest are published as Error and counted `evicted_requests`.
   */
  max_pending_bytes?: number;
}

/**
 * The per-protocol analyzer the dispatcher drives; S is its per-flow state. The name stayed from
 * when every flow was TCP: on a UDP flow `parse` receives one whole datagram per call, and
 * receivedFin / gapInStream are never called.
 */
export interface TcpPlugin<S = unknown> {
  /** Parses a piece of one direction's stream (or one datagram); returns the (new) flow state. */
  parse(pkt: Packet, tuple: FlowTuple, dir: Direction, state: S | undefined): S | undefined;
  /** The sender of `dir` finished (FIN or RST). */
  receivedFin(tuple: FlowTuple, dir: Direction, state: S | undefined): S | undefined;
  /** nbytes of `dir` are lost; drop=true tells the dispatcher to stop feeding this connection. */
  gapInStream(
    tuple: FlowTuple,
    dir: Direction,
    nbytes: number,
    state: S | undefined,
  ): { state: S | undefined; drop: boolean };
  /** The connection is gone: publish every pending request as an Error transaction with a note. */
  connectionClosed(tuple: FlowTuple, reason: string, state: S | undefined, ts: number): void;
  /** Idle timeout in ms for this protocol's TCP connections. */
  connectionTimeout?(): number;
  /** Idle timeout in ms (packet time) for this protocol's UDP flows. */
  flowTimeout?(): number;
  /** Packet-time clock, used for transaction timeouts. */
  tick?(now: number): void;
  /** This plugin's counters (a live object or a copy). */
  counters(): ProtocolCounters;
}

/** What dashboards show of a protocol: fields named by their dotted path in the event. */
export interface DashboardSpec {
  /** What a transaction is about, counted in the top list (e.g. `url.path`, `method`). */
  resource: string;
  /** What says why a transaction failed (default `error.message`). */
  error?: string;
}

/** What a protocol package exports: metadata, configuration schema and the plugin factory. */
export interface ProtocolModule<C extends SharedProtocolConfig = SharedProtocolConfig> {
  name: string;
  defaultPorts: number[];
  /** Transports the protocol runs on (its ports are claimed on each); default `['tcp']`. */
  transports?: readonly Transport[];
  description: string;
  /** Strict object schema (unknown keys rejected), shared options included, defaults applied. */
  configSchema: ZodType<C>;
  /** The protocol's own fields, for the index template. */
  fields: FieldDefinition[];
  /** What its dashboards show (resource and error fields); without it, only rates and latency. */
  dashboard?: DashboardSpec;
  /** Creates the plugin (once per run) from validated options. */
  create(config: C, ctx: ProtocolContext): TcpPlugin;
}
