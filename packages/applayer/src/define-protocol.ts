// defineProtocol: a protocol as a few functions. The framework owns everything analyzers share:
// configuration (shared options, strict schema), per-connection state, correlation (FIFO with
// pipelining, optional proof of pairing), transaction timeouts, counters, message metadata and the
// event. The result is an ordinary ProtocolModule, so beats and the dispatcher treat it like any.
import type { z } from 'zod';
import { describeConfigIssues, protocolConfigSchema } from './config';
import type { Transaction } from './correlator';
import { DefinedPlugin } from './defined-plugin';
import { ProtocolConfigError } from './errors';
import type { TransactionStatus } from './event';
import type { Message } from './message';
import { correlationOptions } from './options';
import type {
  DashboardSpec,
  Direction,
  FieldDefinition,
  FlowTuple,
  ProtocolModule,
  SharedProtocolConfig,
  Transport,
} from './plugin';

/** Validated options of a defined protocol: shared ones, its own, then the correlation ones. */
export type DefinedConfig<Own extends z.ZodRawShape> = SharedProtocolConfig & {
  max_pending_requests: number;
} & { -readonly [K in keyof Own]: z.output<Own[K]> };

/** What a transaction becomes in its event besides the common fields. */
export interface TransactionSummary {
  status: TransactionStatus;
  /** The protocol's namespace object (e.g. `{ echoed: true }` under `echo`); omitted when undefined. */
  fields?: object;
  /** Extra top-level fields (e.g. ECS `url`), written after the namespace object; omitted when undefined. */
  root?: object;
  /** The server's name (HTTP Host): destination.domain, server.domain and related.hosts. */
  domain?: string;
  /** event.action (Packetbeat's Redis `redis.<command>`). */
  action?: string;
  /** network.forwarded_ip (HTTP real_ip_header); also in related.ip. */
  forwardedIp?: string;
  /** Addresses the transaction names besides its endpoints (DNS answers): related.ip, as Packetbeat. */
  relatedIps?: readonly string[];
  /** A user the transaction names (HTTP Basic auth): related.user, as Packetbeat. */
  relatedUser?: string;
}

/**
 * Parser of one direction of a connection or flow. Messages carry their metadata (LineParser
 * stamps it). On a UDP flow (`tuple.transport === 'udp'`) each parse call is one whole datagram.
 */
export interface DirectionParser<M extends Message> {
  /**
   * Parses a borrowed segment (or datagram), emitting every complete message. false: the message in progress is
   * over the size limit and the direction cannot be parsed further (its transaction gets a note,
   * the direction's bytes are ignored from then on).
   */
  parse(payload: Uint8Array, ts: number, emit: (msg: M) => void): void | boolean;
  /**
   * A gap hit this direction: true when the parser emitted the message the gap cut short (then
   * whole messages may or may not be lost), false when it lost whole messages. Without gap() the
   * direction stops at its first gap (length-prefixed protocols cannot resynchronise), and the
   * connection is dropped once both have.
   */
  gap?(emit: (msg: M) => void): boolean;
  /** End of the stream: emits what is incomplete, with a note. */
  flush?(emit: (msg: M) => void): void;
  /**
   * Bytes the unfinished message (and the buffer) holds in memory, an estimate counted in
   * `max_pending_bytes` with the pending requests; 0 between messages. Cheap: asked per segment.
   */
  partialBytes?(): number;
  /**
   * The budget is exceeded and this unfinished message is among the oldest: emit it now (truncated,
   * with Notes.messageEvicted) and keep none of it; parsing resumes at the next message.
   */
  evictPartial?(emit: (msg: M) => void): void;
}

/** The framework side of one connection, for protocols that bring a {@link ConnectionHandler}. */
export interface ConnectionContext<Req extends Message, Resp extends Message, C> {
  readonly tuple: FlowTuple;
  readonly config: C;
  /** A complete request: queued for its response. */
  request(msg: Req): void;
  /** A complete response: paired with its request, or published alone with a note. */
  response(msg: Resp): void;
  /**
   * A request that expects no response (noreply, quiet commands): its transaction is published at
   * once with the request alone, status from the protocol's transaction(), no "response missing"
   * note. Either instead of request(), or for a request queued earlier that is now known unanswered.
   */
  noResponse(msg: Req): void;
  /** Whole messages of `dir` were lost in a gap: keeps the pairing from going wrong. */
  lost(dir: Direction, ts: number): void;
  /** A gap cut a message of `dir` short (it was still emitted) and may have swallowed more. */
  maybeLost(dir: Direction, ts: number): void;
  /** Requests waiting for their response (placeholders of requests lost in gaps included). */
  readonly pending: number;
  /**
   * The oldest request still waiting for its response, after timeouts and evictions (with `key`:
   * the oldest of that pairBy key); undefined when none waits or the oldest was lost in a gap.
   * What the protocol keeps on its request objects is its per-request state: no shadow queue.
   */
  pendingRequest(key?: string | number): Req | undefined;
  /** Adds `n` (default 1) to one of the protocol's counters (a common one or one it declared). */
  count(counter: string, n?: number): void;
}

/** One object per connection or flow, for protocols that do not fit a parser per direction. */
export interface ConnectionHandler {
  /** In-order bytes of one direction, or one whole datagram on a UDP flow (borrowed for the call). */
  onData(dir: Direction, payload: Uint8Array, ts: number): void;
  /** `nbytes` of `dir` are lost; return false to drop the connection (the default without it). */
  onGap?(dir: Direction, nbytes: number, ts: number): boolean;
  /** The sender of `dir` finished. */
  onFin?(dir: Direction, ts: number): void;
  /** The connection is gone; the framework then publishes every pending request with a note. */
  onClose?(reason: string, ts: number): void;
  /** As DirectionParser.partialBytes, for both directions of the connection. */
  partialBytes?(): number;
  /** As DirectionParser.evictPartial: emits (through the context) and drops unfinished messages. */
  evictPartial?(): void;
}

/** Everything a protocol says about itself; see {@link defineProtocol}. */
export interface ProtocolDefinition<Own extends z.ZodRawShape, Req extends Message, Resp extends Message> {
  /** Protocol name: `type` of its events and the name of its namespace object. */
  name: string;
  description: string;
  /**
   * Bytes a pending request holds in memory, counted in max_pending_bytes besides a fixed
   * overhead; default its size on the wire. Must give the same value for the same request.
   */
  pendingBytes?(request: Req): number;
  /** Default server ports. */
  ports: number[];
  /**
   * Transports the protocol runs on, its ports claimed on each; default `['tcp']`. The parser tells
   * them apart by `tuple.transport` (DNS over TCP has a length prefix, over UDP not).
   */
  transports?: readonly Transport[];
  /** zod shape of the protocol's own options (the shared ones are added). */
  options?: Own;
  /**
   * The protocol's own event fields: the index template maps them and events are written from them
   * (namespace and top-level objects in this order, each value as its type).
   */
  fields?: FieldDefinition[];
  /** What dashboards show: the resource field and the error field, beside the fields above. */
  dashboard?: DashboardSpec;
  /** The parser of one direction of a new connection (0: requests, 1: responses)... */
  parser?(dir: Direction, tuple: FlowTuple, config: DefinedConfig<Own>): DirectionParser<Req | Resp>;
  /** ...or one handler per connection. */
  connection?(ctx: ConnectionContext<Req, Resp, DefinedConfig<Own>>): ConnectionHandler;
  /** Proof that a response answers a request: keeps pairing right after gaps and timeouts. */
  match?(request: Req, response: Resp): boolean;
  /**
   * Pairing by key instead of FIFO: a response is paired with the oldest pending request of the
   * same key, in whatever order responses come (DNS: id and question; memcached binary: opaque).
   * Messages without a key (undefined) pair in order among themselves. Must return the same key
   * for a message every time; keep it on the message when computing it costs.
   */
  pairBy?(message: Req | Resp): string | number | undefined;
  /** Status and namespace fields of a transaction (complete, or one side alone with notes). */
  transaction(tx: Transaction<Req, Resp>, config: DefinedConfig<Own>): TransactionSummary;
  /** Names of the protocol's own counters (zero at start), reported with the common ones. */
  counters?: string[];
  /** Idle timeout of this protocol's TCP connections in ms (default: the beat's). */
  connectionTimeoutMs?: number;
  /**
   * Idle timeout of this protocol's UDP flows in ms of packet time (default: its
   * transaction_timeout, 10 s unless configured, as Packetbeat keeps UDP transactions).
   */
  flowTimeoutMs?: number;
}

/** A ProtocolModule made by defineProtocol, with a config validator that names the protocol. */
export interface DefinedProtocol<C extends SharedProtocolConfig> extends ProtocolModule<C> {
  /** Validates raw options; throws `makeError(message)` (default ProtocolConfigError) naming each problem. */
  parseConfig(raw?: unknown, makeError?: (message: string) => Error): C;
}

/** Builds a ProtocolModule from a protocol's definition. */
export function defineProtocol<
  Own extends z.ZodRawShape = Record<never, never>,
  Req extends Message = Message,
  Resp extends Message = Message,
>(def: ProtocolDefinition<Own, Req, Resp>): DefinedProtocol<DefinedConfig<Own>> {
  if ((def.parser === undefined) === (def.connection === undefined))
    throw new TypeError(`protocol ${def.name}: give either parser or connection`);
  if (
    def.transports !== undefined &&
    (def.transports.length === 0 || def.transports.some((t) => t !== 'tcp' && t !== 'udp'))
  )
    throw new TypeError(`protocol ${def.name}: transports must list 'tcp', 'udp' or both`);
  const own = { ...(def.options ?? {}), ...correlationOptions } as Own & typeof correlationOptions;
  const configSchema = protocolConfigSchema(def.ports, own);
  type C = DefinedConfig<Own>;
  return {
    name: def.name,
    defaultPorts: [...def.ports],
    transports: [...(def.transports ?? ['tcp'])],
    description: def.description,
    configSchema: configSchema as unknown as z.ZodType<C>,
    fields: def.fields ?? [],
    ...(def.dashboard !== undefined && { dashboard: { ...def.dashboard } }),
    create: (config, ctx) => new DefinedPlugin<Req, Resp, C>(def, config, ctx),
    parseConfig(raw = {}, makeError) {
      const result = configSchema.safeParse(raw);
      if (result.success) return result.data as C;
      const problems = describeConfigIssues(result.error);
      throw (
        makeError?.(`invalid ${def.name} configuration: ${problems.join('; ')}`) ??
        new ProtocolConfigError(def.name, problems)
      );
    },
  };
}
