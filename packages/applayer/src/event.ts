// The common event fields of a transaction. Everything that depends only on the connection
// (addresses, community id, id prefix) is computed once per connection; each event is then one
// object literal of a stable shape, which is what keeps building and JSON serialisation fast.
import { IpProto, communityId } from './community-id';
import type { Transaction } from './correlator';
import type { Message } from './message';
import type { TcpTuple, TransactionEvent } from './plugin';
import { formatTimestamp } from './time';

/** Transaction status as Packetbeat reports it. */
export type TransactionStatus = 'OK' | 'Error';

const EVENT_CATEGORY: readonly string[] = Object.freeze(['network']);
const EVENT_TYPE: readonly string[] = Object.freeze(['connection', 'protocol']);

/** The identity of a connection used in event ids: the 4-tuple and the connection's first packet time. */
export function connectionIdOf(
  clientIp: string,
  clientPort: number,
  serverIp: string,
  serverPort: number,
  openedAt: number,
): string {
  // Two independent 32-bit FNV-1a hashes: 64 bits, deterministic, and far cheaper per
  // connection than a crypto hash (the ids only need to be stable and distinct, not secret).
  const text = `${clientIp}|${clientPort}|${serverIp}|${serverPort}|${openedAt}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(36).padStart(7, '0') + (h2 >>> 0).toString(36).padStart(7, '0');
}

/** Builds a TcpTuple (with its deterministic connectionId) from a connection's endpoints. */
export function makeTcpTuple(conn: {
  ipVersion: 4 | 6;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  openedAt: number;
}): TcpTuple {
  return {
    ipVersion: conn.ipVersion,
    srcIp: conn.clientIp,
    srcPort: conn.clientPort,
    dstIp: conn.serverIp,
    dstPort: conn.serverPort,
    connectionId: connectionIdOf(
      conn.clientIp,
      conn.clientPort,
      conn.serverIp,
      conn.serverPort,
      conn.openedAt,
    ),
  };
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

  /** Wraps a serialised document. */
  constructor(
    readonly id: string,
    readonly timestamp: number,
    public json: string | undefined,
  ) {}

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
  /** The namespace object already serialised, instead of `fields` (for protocols with few shapes). */
  fieldsJson?: string;
}

/** Options of a TransactionEventBuilder. */
export interface EventBuilderOptions {
  /** Publish `request` (default false). */
  sendRequest?: boolean;
  /** Publish `response` (default false). */
  sendResponse?: boolean;
  /** Name of the protocol-specific object in events; defaults to the protocol name. */
  namespace?: string;
}

/** Builds the events of one protocol; make one per plugin and one ConnectionEvents per connection. */
export class TransactionEventBuilder {
  readonly sendRequest: boolean;
  readonly sendResponse: boolean;
  readonly namespace: string;

  /** Creates the builder of a protocol (`protocol` fills `type`, `network.protocol`, `event.dataset`). */
  constructor(
    readonly protocol: string,
    opts: EventBuilderOptions = {},
  ) {
    this.sendRequest = opts.sendRequest ?? false;
    this.sendResponse = opts.sendResponse ?? false;
    this.namespace = opts.namespace ?? protocol;
  }

  /** Computes the per-connection constant parts once. */
  forConnection(tuple: TcpTuple): ConnectionEvents {
    return new ConnectionEvents(this, tuple);
  }
}

/** Event builder bound to one connection. */
export class ConnectionEvents {
  readonly communityId: string;
  private readonly networkType: 'ipv4' | 'ipv6';
  private readonly idPrefix: string;
  // Serialised constant parts of every event of this connection, in the fields' key order.
  private readonly jsonType: string;
  private readonly jsonSource: string;
  private readonly jsonDestination: string;
  private readonly jsonClient: string;
  private readonly jsonServer: string;
  private readonly jsonNetwork: string;
  private readonly jsonEvent: string;
  private readonly jsonNamespace: string;

  /** Use TransactionEventBuilder#forConnection. */
  constructor(
    private readonly builder: TransactionEventBuilder,
    readonly tuple: TcpTuple,
  ) {
    this.communityId = communityId(tuple.srcIp, tuple.srcPort, tuple.dstIp, tuple.dstPort, IpProto.TCP);
    this.networkType = tuple.ipVersion === 6 ? 'ipv6' : 'ipv4';
    // The protocol is part of the id: two protocols analysing one connection (say `echo` and a
    // generated `echo2`) number their transactions from 0 alike, and outputs that index with
    // `create` would otherwise take the second protocol's events for duplicates and drop them.
    this.idPrefix = builder.protocol + '-' + tuple.connectionId + '-';
    const q = JSON.stringify;
    const proto = q(builder.protocol);
    const endpoint = (ip: string, port: number): string => `{"ip":${q(ip)},"port":${port},"bytes":`;
    this.jsonType = `,"type":${proto},"status":`;
    this.jsonSource = `,"source":${endpoint(tuple.srcIp, tuple.srcPort)}`;
    this.jsonDestination = `},"destination":${endpoint(tuple.dstIp, tuple.dstPort)}`;
    this.jsonClient = `},"client":${endpoint(tuple.srcIp, tuple.srcPort)}`;
    this.jsonServer = `},"server":${endpoint(tuple.dstIp, tuple.dstPort)}`;
    this.jsonNetwork = `},"network":{"transport":"tcp","protocol":${proto},"type":"${this.networkType}","bytes":`;
    this.jsonEvent =
      `,"community_id":${q(this.communityId)}},"event":{"kind":"event","category":${q(EVENT_CATEGORY)},` +
      `"type":${q(EVENT_TYPE)},"dataset":${proto},"start":"`;
    this.jsonNamespace = `,${q(builder.namespace)}:`;
  }

  /**
   * The event of one transaction: common fields, notes, request/response text and protocol fields.
   * The document is serialised right away (that is all the outputs need); `fields` is parsed
   * from it only if someone asks, so the hot path allocates one flat string per event.
   */
  build(tx: Transaction<Message, Message>, details: TransactionDetails): TransactionEvent {
    const b = this.builder;
    const req = tx.request;
    const resp = tx.response;
    const bytesIn = req === undefined ? 0 : req.size;
    const bytesOut = resp === undefined ? 0 : resp.size;
    const startTs = req !== undefined ? req.ts : resp!.ts;
    const start = formatTimestamp(startTs);
    let end: string | undefined;
    let duration = 0;
    let responsetime = 0;
    if (req !== undefined && resp !== undefined) {
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
    // Key order is the documented field order; the per-connection parts are preformatted.
    const inText = '' + bytesIn;
    const outText = '' + bytesOut;
    let json =
      '{"@timestamp":"' + start + '"' + this.jsonType + (details.status === 'OK' ? '"OK"' : '"Error"');
    if (end !== undefined) json += ',"responsetime":' + responsetime;
    json +=
      ',"bytes_in":' +
      inText +
      ',"bytes_out":' +
      outText +
      this.jsonSource +
      inText +
      this.jsonDestination +
      outText +
      this.jsonClient +
      inText +
      this.jsonServer +
      outText +
      this.jsonNetwork +
      (bytesIn + bytesOut) +
      this.jsonEvent +
      start +
      '"';
    if (end !== undefined) json += ',"end":"' + end + '","duration":' + duration;
    json += details.status === 'OK' ? ',"outcome":"success"}' : ',"outcome":"failure"}';
    if (request !== undefined) json += ',"request":' + JSON.stringify(request);
    if (response !== undefined) json += ',"response":' + JSON.stringify(response);
    if (notes !== undefined) json += ',"notes":' + JSON.stringify(notes);
    if (details.fieldsJson !== undefined) json += this.jsonNamespace + details.fieldsJson;
    else if (details.fields !== undefined) json += this.jsonNamespace + JSON.stringify(details.fields);
    json += '}';
    // Concatenation builds a rope of ~40 nodes, several times the size of the text; flattening
    // now (charCodeAt does) keeps queued events small and cheap for the garbage collector.
    json.charCodeAt(0);
    return new SerialisedEvent(this.idPrefix + tx.index, startTs, json);
  }
}
