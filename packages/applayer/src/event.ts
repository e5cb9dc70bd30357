// The common event fields of a transaction. Everything that depends only on the connection
// (addresses, community id, id prefix) is serialised once and reused for the connection's events;
// each event is then one string of a stable shape, which is what keeps building fast. Those pieces
// live in a bounded cache of the builder, not in the connection: an idle connection (hundreds of
// thousands may be open) carries none of them.
import { IpProto, communityId } from './community-id';
import type { Transaction } from './correlator';
import type { Message } from './message';
import type {
  EventDecoration,
  FieldDefinition,
  FlowTuple,
  TcpTuple,
  Transport,
  TransactionEvent,
} from './plugin';
import { packetbeatErrorMessage } from './notes';
import { compileSerialiser, jsonString, type ProtocolSerialiser } from './serialiser';
import { elapsedNanos, formatTimestamp, formatTimestampNanos } from './time';

/** Transaction status as Packetbeat reports it. */
export type TransactionStatus = 'OK' | 'Error';

// Packetbeat 8's categories: network_traffic is what its dashboards and the SIEM app filter on.
const EVENT_CATEGORY: readonly string[] = Object.freeze(['network_traffic', 'network']);
const EVENT_TYPE: readonly string[] = Object.freeze(['connection', 'protocol']);

/** The identity of a connection used in event ids: the 4-tuple and the connection's first packet time. */
export function connectionIdOf(
  clientIp: string,
  clientPort: number,
  serverIp: string,
  serverPort: number,
  openedAt: number,
  transport: Transport = 'tcp',
): string {
  // Two independent 32-bit FNV-1a hashes: 64 bits, deterministic, and far cheaper per
  // connection than a crypto hash (the ids only need to be stable and distinct, not secret).
  // A UDP flow on the same endpoints and first packet time is another flow (TCP ids unchanged).
  const udp = transport === 'udp' ? '|udp' : '';
  const text = `${clientIp}|${clientPort}|${serverIp}|${serverPort}|${openedAt}${udp}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 15);
  }
  return base36Of(h1 >>> 0) + base36Of(h2 >>> 0);
}

/** An unsigned 32-bit number as 7 base-36 digits, like toString(36).padStart(7, '0') but cheaper. */
function base36Of(n: number): string {
  const d6 = n % 36;
  n = (n - d6) / 36;
  const d5 = n % 36;
  n = (n - d5) / 36;
  const d4 = n % 36;
  n = (n - d4) / 36;
  const d3 = n % 36;
  n = (n - d3) / 36;
  const d2 = n % 36;
  n = (n - d2) / 36;
  const d1 = n % 36;
  const d0 = (n - d1) / 36;
  return String.fromCharCode(
    digit36(d0),
    digit36(d1),
    digit36(d2),
    digit36(d3),
    digit36(d4),
    digit36(d5),
    digit36(d6),
  );
}

function digit36(d: number): number {
  return d < 10 ? 0x30 + d : 0x57 + d;
}

/** Builds a TcpTuple (with its deterministic connectionId) from a connection's endpoints. */
export function makeTcpTuple(conn: TupleSource): FlowTuple {
  return new ConnectionTuple(conn);
}

/** What a tuple is read from: tcp-reassembly's connection or UDP flow (its fields never change). */
export interface TupleSource {
  readonly ipVersion: 4 | 6;
  /** Absent on TCP connections. */
  readonly transport?: Transport;
  readonly clientIp: string;
  readonly clientPort: number;
  readonly serverIp: string;
  readonly serverPort: number;
  readonly openedAt: number;
}

/**
 * A TcpTuple reading through to the connection rather than copying it (open connections are
 * many).
 */
export class ConnectionTuple implements FlowTuple {
  /** The tuple of `conn`. */
  constructor(private conn: TupleSource) {}

  /**
   * The connection closed: keeps a copy of its tuple instead of the connection, so that whatever
   * still refers to this tuple for a while (a timeout entry, the budget's eviction order) no
   * longer holds the reassembler's state of a connection that is gone.
   */
  detach(): void {
    const c = this.conn;
    this.conn = {
      ipVersion: c.ipVersion,
      transport: c.transport,
      clientIp: c.clientIp,
      clientPort: c.clientPort,
      serverIp: c.serverIp,
      serverPort: c.serverPort,
      openedAt: c.openedAt,
    };
  }

  get ipVersion(): 4 | 6 {
    return this.conn.ipVersion;
  }
  get transport(): Transport {
    return this.conn.transport ?? 'tcp';
  }
  get srcIp(): string {
    return this.conn.clientIp;
  }
  get srcPort(): number {
    return this.conn.clientPort;
  }
  get dstIp(): string {
    return this.conn.serverIp;
  }
  get dstPort(): number {
    return this.conn.serverPort;
  }

  /**
   * Stable identity of the connection (for deterministic event ids). Computed on each call, not
   * kept: the event builder keeps what it derives from it for the connections it is busy with.
   */
  get connectionId(): string {
    const c = this.conn;
    return connectionIdOf(c.clientIp, c.clientPort, c.serverIp, c.serverPort, c.openedAt, c.transport);
  }
}

function mergeNotes(
  a: string[] | undefined,
  b: string[] | undefined,
  c: string[] | undefined,
): string[] | undefined {
  if (a === undefined && b === undefined) return c;
  const out: string[] = [];
  for (const list of [a, b, c]) {
    if (list !== undefined) for (const n of list) if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** A transaction event carried as its JSON text; `fields` is parsed from it on first access. */
export class SerialisedEvent implements TransactionEvent {
  private parsed: Record<string, unknown> | undefined = undefined;
  /** Set by the dispatcher for events published because the input ended (see TransactionEvent). */
  provisional: boolean | undefined = undefined;
  /** The builder wrote the beat's decoration into the document (see EventDecoration). */
  decorated: boolean | undefined = undefined;

  // A true private field: the connection is not part of the event's data (comparisons and
  // inspection of events see only the document and its metadata).
  readonly #tuple: TcpTuple | undefined;

  /** Wraps a serialised document and what the builder knew of it. */
  constructor(
    readonly id: string,
    readonly timestamp: number,
    public json: string | undefined,
    readonly status?: 'OK' | 'Error',
    readonly notes?: readonly string[],
    tuple?: TcpTuple,
  ) {
    this.#tuple = tuple;
  }

  /** The connection of the transaction. */
  get tuple(): TcpTuple | undefined {
    return this.#tuple;
  }

  /**
   * The document as an object, parsed once. Whoever reads it may change it, so the serialised
   * form is dropped at that point and the publisher serialises the object instead.
   */
  get fields(): Record<string, unknown> {
    if (this.parsed === undefined) {
      this.parsed = JSON.parse(this.json ?? '{}') as Record<string, unknown>;
      this.json = undefined;
    }
    return this.parsed;
  }

  /** Serialises like a plain TransactionEvent would (id, timestamp, fields). */
  toJSON(): { id: string; timestamp: number; fields: Record<string, unknown> } {
    return { id: this.id, timestamp: this.timestamp, fields: this.fields };
  }

  /** Replaces the document; the serialised form is dropped (the publisher serialises it again). */
  set fields(value: Record<string, unknown>) {
    this.parsed = value;
    this.json = undefined;
  }
}

/** What a protocol adds to the common fields of one transaction. */
export interface TransactionDetails {
  status: TransactionStatus;
  /** Raw request text; only published when send_request is on. */
  request?: string;
  /** Raw response text; only published when send_response is on. */
  response?: string;
  /** The protocol namespace object (e.g. the `echo` fields); omitted when undefined. */
  fields?: object;
  /** Extra top-level fields (e.g. ECS `url`, Packetbeat's `method` / `query`), after the namespace object. */
  root?: object;
  /** The server's name (HTTP Host): destination.domain, server.domain and related.hosts. */
  domain?: string;
  /** event.action (Packetbeat's Redis `redis.<command>`). */
  action?: string;
  /** network.forwarded_ip (HTTP real_ip_header); also in related.ip. */
  forwardedIp?: string;
  /** Addresses the transaction names besides its endpoints (DNS answers): related.ip. */
  relatedIps?: readonly string[];
  /** A user the transaction names (HTTP Basic auth): related.user. */
  relatedUser?: string;
}

/** Options of a TransactionEventBuilder. */
export interface EventBuilderOptions {
  /** Publish `request` (default false). */
  sendRequest?: boolean;
  /** Publish `response` (default false). */
  sendResponse?: boolean;
  /** Name of the protocol-specific object in events; defaults to the protocol name. */
  namespace?: string;
  /** The protocol's field definitions: the namespace and top-level objects are written in their order. */
  fields?: readonly FieldDefinition[];
  /** What the beat adds to every event, written here rather than after (see EventDecoration). */
  decoration?: EventDecoration;
}

/** Builds the events of one protocol; make one per plugin and one ConnectionEvents per connection. */
export class TransactionEventBuilder {
  readonly sendRequest: boolean;
  readonly sendResponse: boolean;
  readonly namespace: string;
  /** Serialised text from the end of `@timestamp` to the first number, by status and completeness. */
  readonly jsonStatus: {
    readonly ok: string;
    readonly error: string;
  };
  /** `,"<namespace>":`. */
  readonly jsonNamespace: string;
  /** The `network` object up to its `bytes`, for IPv4 and IPv6 connections, then UDP flows. */
  readonly jsonNetwork4: string;
  readonly jsonNetwork6: string;
  readonly jsonNetworkUdp4: string;
  readonly jsonNetworkUdp6: string;
  /** From the end of `network.community_id` to the opening quote of `event.start`. */
  readonly jsonEventHead: string;
  /** Writes the protocol's namespace and top-level objects, compiled from its field definitions. */
  readonly serialiser: ProtocolSerialiser;
  /** The beat's additions, written by build (absent: the document ends with its own brace). */
  readonly decoration: EventDecoration | undefined;
  /** The document's last text: the decoration's suffix, or the closing brace. */
  readonly jsonEnd: string;
  /**
   * Serialised pieces of recently active connections, direct-mapped by connection serial number:
   * the last PIECES_CACHE_SIZE connections opened never evict each other, and memory stays bounded
   * however many connections are open.
   */
  private readonly pieces: Array<ConnectionPieces | undefined> = new Array(PIECES_CACHE_SIZE).fill(undefined);
  private nextSerial = 0;

  /** Creates the builder of a protocol (`protocol` fills `type`, `network.protocol`, `event.dataset`). */
  constructor(
    readonly protocol: string,
    opts: EventBuilderOptions = {},
  ) {
    this.sendRequest = opts.sendRequest ?? false;
    this.sendResponse = opts.sendResponse ?? false;
    this.namespace = opts.namespace ?? protocol;
    this.serialiser = compileSerialiser(opts.fields ?? [], this.namespace);
    this.decoration = opts.decoration;
    this.jsonEnd = opts.decoration?.suffix ?? '}';
    const type = `","type":${JSON.stringify(protocol)},"status":`;
    // No bytes_in / bytes_out: as in Packetbeat 8 they are index-template aliases of source.bytes
    // and destination.bytes (core's aliasFields), not stored twice.
    this.jsonStatus = { ok: flat(type + '"OK"'), error: flat(type + '"Error"') };
    this.jsonNamespace = flat(`,${JSON.stringify(this.namespace)}:`);
    const q = JSON.stringify;
    const network = `},"network":{"transport":"tcp","protocol":${q(protocol)},"type":`;
    this.jsonNetwork4 = flat(network + '"ipv4","bytes":');
    this.jsonNetwork6 = flat(network + '"ipv6","bytes":');
    const networkUdp = network.replace('"tcp"', '"udp"');
    this.jsonNetworkUdp4 = flat(networkUdp + '"ipv4","bytes":');
    this.jsonNetworkUdp6 = flat(networkUdp + '"ipv6","bytes":');
    this.jsonEventHead = flat(
      `},"event":{"kind":"event","category":${q(EVENT_CATEGORY)},` +
        `"type":${q(EVENT_TYPE)},"dataset":${q(protocol)},"start":"`,
    );
  }

  /** The event builder of one connection (cheap: its serialised parts are made on first use). */
  forConnection(tuple: TcpTuple): ConnectionEvents {
    const slot = this.nextSerial;
    this.nextSerial = (slot + 1) & (PIECES_CACHE_SIZE - 1);
    return new ConnectionEvents(this, tuple, slot);
  }

  /** The serialised constant parts of `events`' connection, from the cache or made now. */
  piecesOf(events: ConnectionEvents): ConnectionPieces {
    const cached = this.pieces[events.slot];
    if (cached !== undefined && cached.owner === events) return cached;
    const made = new ConnectionPieces(this, events);
    this.pieces[events.slot] = made;
    return made;
  }
}

/**
 * Flattens a concatenation once, where it is made: the constant parts of events are then copied
 * as one piece into every event instead of being walked node by node each time.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** The start of every network piece: a decoration's member is inserted after it. */
const NETWORK_OPEN = '},"network":{';

/** Number of connections whose serialised pieces a builder keeps (a power of two). */
const PIECES_CACHE_SIZE = 1024;

/**
 * Serialised constant parts of every event of one connection, in the fields' key order; each ends
 * where a number (a byte count) follows.
 */
class ConnectionPieces {
  readonly communityId: string;
  readonly idPrefix: string;
  readonly jsonSource: string;
  readonly jsonDestination: string;
  readonly jsonClient: string;
  readonly jsonServer: string;
  readonly jsonNetwork: string;
  /** `,"community_id":"..."` (network.forwarded_ip may follow). */
  readonly jsonCommunityId: string;
  /** `,"related":{"ip":["client","server"` (more addresses may follow before the `]`). */
  readonly jsonRelatedIps: string;
  /** The endpoints' addresses, already in related.ip. */
  readonly relatedIps: readonly string[];

  constructor(
    builder: TransactionEventBuilder,
    readonly owner: ConnectionEvents,
  ) {
    const tuple = owner.tuple;
    const udp = tuple.transport === 'udp';
    const proto = udp ? IpProto.UDP : IpProto.TCP;
    // Read once: a connection's tuple formats its addresses on each read.
    const srcIp = tuple.srcIp;
    const dstIp = tuple.dstIp;
    this.communityId = communityId(srcIp, tuple.srcPort, dstIp, tuple.dstPort, proto);
    // The protocol is part of the id: two protocols analysing one connection (say `echo` and a
    // generated `echo2`) number their transactions from 0 alike, and outputs that index with
    // `create` would otherwise take the second protocol's events for duplicates and drop them.
    this.idPrefix = flat(builder.protocol + '-' + tuple.connectionId + '-');
    const q = JSON.stringify;
    const client = `{"ip":${q(srcIp)},"port":${tuple.srcPort},"bytes":`;
    const server = `{"ip":${q(dstIp)},"port":${tuple.dstPort},"bytes":`;
    this.jsonSource = flat(',"source":' + client);
    this.jsonDestination = flat('},"destination":' + server);
    this.jsonClient = flat('},"client":' + client);
    this.jsonServer = flat('},"server":' + server);
    let network: string;
    if (udp) network = tuple.ipVersion === 6 ? builder.jsonNetworkUdp6 : builder.jsonNetworkUdp4;
    else network = tuple.ipVersion === 6 ? builder.jsonNetwork6 : builder.jsonNetwork4;
    const member = builder.decoration?.networkMember?.(srcIp, dstIp);
    // The decoration's member comes first in the network object (where the beat would put it).
    if (member !== undefined) network = flat(NETWORK_OPEN + member + network.slice(NETWORK_OPEN.length));
    this.jsonNetwork = network;
    this.jsonCommunityId = flat(',"community_id":' + q(this.communityId));
    const ips = srcIp === dstIp ? [srcIp] : [srcIp, dstIp];
    this.relatedIps = ips;
    this.jsonRelatedIps = flat(',"related":{"ip":' + q(ips).slice(0, -1));
  }
}

/** `,"a","b"`: the forwarded and named addresses not yet in related.ip (each once). */
function moreIps(endpoints: readonly string[], details: TransactionDetails): string {
  const seen = [...endpoints];
  let out = '';
  const add = (ip: string) => {
    if (seen.includes(ip)) return;
    seen.push(ip);
    out += ',' + JSON.stringify(ip);
  };
  if (details.forwardedIp !== undefined) add(details.forwardedIp);
  for (const ip of details.relatedIps ?? []) add(ip);
  return out;
}

/** Event builder bound to one connection. */
export class ConnectionEvents {
  /** Use TransactionEventBuilder#forConnection. */
  constructor(
    private readonly builder: TransactionEventBuilder,
    readonly tuple: TcpTuple,
    /** This connection's entry in the builder's cache of serialised pieces. */
    readonly slot: number,
  ) {}

  /** The connection's Community ID (network.community_id). */
  get communityId(): string {
    return this.builder.piecesOf(this).communityId;
  }

  /**
   * The event of one transaction: common fields, notes, request/response text and protocol fields.
   * The document is serialised right away (that is all the outputs need); `fields` is parsed
   * from it only if someone asks, so the hot path allocates one flat string per event.
   */
  build(tx: Transaction<Message, Message>, details: TransactionDetails): TransactionEvent {
    const b = this.builder;
    const p = b.piecesOf(this);
    const req = tx.request;
    const resp = tx.response;
    const bytesIn = req === undefined ? 0 : req.size;
    const bytesOut = resp === undefined ? 0 : resp.size;
    const startTs = req !== undefined ? req.ts : resp!.ts;
    // Nanosecond captures (issue 25): their messages carry tsNanos; times keep nine digits.
    const nanos = (req ?? resp!).tsNanos !== undefined || resp?.tsNanos !== undefined;
    const start = nanos
      ? formatTimestampNanos(startTs, (req ?? resp!).tsNanos ?? 0)
      : formatTimestamp(startTs);
    let end: string | undefined;
    let duration = 0;
    let responsetime = 0;
    if (nanos && req !== undefined && resp !== undefined) {
      end = formatTimestampNanos(resp.ts, resp.tsNanos ?? 0);
      duration = elapsedNanos(req.ts, req.tsNanos ?? 0, resp.ts, resp.tsNanos ?? 0);
      responsetime = Math.floor(duration / 1e6);
    } else if (req !== undefined && resp !== undefined) {
      const elapsed = resp.ts - req.ts;
      end = formatTimestamp(resp.ts);
      // Timestamps are ms-since-epoch doubles whose ulp is ~0.24 µs, so the raw difference carries
      // noise below the capture's microsecond resolution (738770 ns where tshark says 739000 ns).
      // Rounding to whole microseconds gives back the duration the capture actually recorded.
      duration = Math.round(elapsed * 1000) * 1000;
      responsetime = Math.floor(elapsed);
    }
    const request = b.sendRequest ? details.request : undefined;
    const response = b.sendResponse ? details.response : undefined;
    const notes = mergeNotes(req?.notes, resp?.notes, tx.notes);
    // Key order is the documented field order; the constant parts are preformatted.
    const ok = details.status === 'OK';
    const status = b.jsonStatus;
    const domain = details.domain === undefined ? '' : ',"domain":' + jsonString(details.domain);
    let json = '{"@timestamp":"' + start + (ok ? status.ok : status.error);
    if (end !== undefined) json += ',"responsetime":' + responsetime;
    json +=
      p.jsonSource +
      bytesIn +
      p.jsonDestination +
      bytesOut +
      domain +
      p.jsonClient +
      bytesIn +
      p.jsonServer +
      bytesOut +
      domain +
      p.jsonNetwork +
      (bytesIn + bytesOut) +
      p.jsonCommunityId;
    if (details.forwardedIp !== undefined) json += ',"forwarded_ip":' + jsonString(details.forwardedIp);
    json += b.jsonEventHead + start;
    if (end !== undefined) json += '","end":"' + end + '","duration":' + duration + ',"outcome":';
    else json += '","outcome":';
    json += ok ? '"success"' : '"failure"';
    if (details.action !== undefined) json += ',"action":' + jsonString(details.action);
    json += '}';
    if (request !== undefined) json += ',"request":' + JSON.stringify(request);
    if (response !== undefined) json += ',"response":' + JSON.stringify(response);
    if (notes !== undefined) json += ',"notes":' + JSON.stringify(notes);
    if (!ok && notes !== undefined) {
      const message = packetbeatErrorMessage(req?.notes, resp?.notes, tx.notes);
      json += ',"error":{"message":' + JSON.stringify(message) + '}';
    }
    json += p.jsonRelatedIps;
    if (details.forwardedIp !== undefined || details.relatedIps !== undefined)
      json += moreIps(p.relatedIps, details);
    json += ']';
    if (details.domain !== undefined) json += ',"hosts":[' + jsonString(details.domain) + ']';
    if (details.relatedUser !== undefined) json += ',"user":[' + jsonString(details.relatedUser) + ']';
    json += '}';
    const writer = b.serialiser;
    if (details.fields !== undefined) json += b.jsonNamespace + writer.namespace(details.fields);
    if (details.root !== undefined) json += writer.rootMembers(details.root);
    json += b.jsonEnd;
    // Concatenation builds a rope of ~30 nodes, larger than the text itself; flattening
    // now (charCodeAt does) keeps queued events small and cheap for the garbage collector.
    json.charCodeAt(0);
    const event = new SerialisedEvent(
      p.idPrefix + tx.index,
      startTs,
      json,
      ok ? 'OK' : 'Error',
      notes,
      this.tuple,
    );
    if (b.decoration !== undefined) event.decorated = true;
    return event;
  }
}
