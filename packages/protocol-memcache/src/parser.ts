// The parsers the framework feeds: one per direction of a TCP connection (text or binary, told by
// the first byte, as memcached itself does), and one per direction of a UDP flow, where every
// datagram starts with memcached's 8-byte frame header and a reply may span several datagrams.
import type { Direction, TcpTuple } from '@wirebeat/applayer';
import { BinaryParser, MAGIC_REQUEST, MAGIC_RESPONSE } from './binary-parser';
import type { MemcacheMessage } from './message';
import type { MemcacheLimits, Stamp } from './stamp';
import { TextParser } from './text-parser';

type Emit = (msg: MemcacheMessage) => void;

/** The parser for a stream whose first byte is `first`. */
function parserFor(first: number, stamp: Stamp, limits: MemcacheLimits): TextParser | BinaryParser {
  return first === MAGIC_REQUEST || first === MAGIC_RESPONSE
    ? new BinaryParser(stamp, limits)
    : new TextParser(stamp, limits);
}

/** One direction of a TCP connection, text or binary. */
export class MemcacheStreamParser {
  private inner: TextParser | BinaryParser | undefined = undefined;
  private readonly stamp: Stamp;

  /** Creates the parser of one direction (0: requests, 1: replies). */
  constructor(
    tuple: TcpTuple,
    direction: Direction,
    private readonly limits: MemcacheLimits,
  ) {
    this.stamp = { tuple, direction, transport: 'tcp' };
  }

  /** The protocol seen on this direction, once its first byte has arrived. */
  get binary(): boolean | undefined {
    return this.inner === undefined ? undefined : this.inner instanceof BinaryParser;
  }

  /** Parses borrowed bytes; false once the direction is given up. */
  parse(payload: Uint8Array, ts: number, emit: Emit): boolean {
    if (payload.length === 0) return true;
    this.inner ??= parserFor(payload[0], this.stamp, this.limits);
    return this.inner.parse(payload, ts, emit);
  }

  /** `nbytes` were lost; true when the pairing is safe to go on (the gap fell inside a value). */
  gap(nbytes: number): boolean {
    if (this.inner === undefined) return false;
    return this.inner.gap(nbytes);
  }

  /** End of the stream: what is incomplete is emitted as it is. */
  flush(emit: Emit): void {
    this.inner?.flush(emit);
  }
}

/** memcached's UDP frame header: request id, sequence number, datagram count, reserved. */
export const UDP_HEADER = 8;
/** Replies in reassembly per flow direction, and datagrams per reply, at most. */
const MAX_ASSEMBLIES = 64;
const MAX_DATAGRAMS = 1024;

interface Assembly {
  total: number;
  parts: (Uint8Array | undefined)[];
  seen: number;
  ts: number;
}

/** One direction of a UDP flow: each parse() call is one whole datagram. */
export class MemcacheDatagramParser {
  private readonly stamp: Stamp;
  private readonly assemblies = new Map<number, Assembly>();
  /** A text reply whose END has not come yet, and the request id it answers. */
  private open: { id: number; parser: TextParser; headers: number; emit: Emit } | undefined = undefined;
  /** Datagrams too short for the frame header, or with an impossible one. */
  malformed = 0;

  /** Creates the parser of one direction of a flow. */
  constructor(
    tuple: TcpTuple,
    direction: Direction,
    private readonly limits: MemcacheLimits,
  ) {
    this.stamp = { tuple, direction, transport: 'udp' };
  }

  /** Parses one datagram (borrowed), emitting the messages it completes. */
  parse(datagram: Uint8Array, ts: number, emit: Emit): boolean {
    if (datagram.length < UDP_HEADER) return this.bad();
    const id = (datagram[0] << 8) | datagram[1];
    const seq = (datagram[2] << 8) | datagram[3];
    const total = (datagram[4] << 8) | datagram[5];
    if (total === 0 || total > MAX_DATAGRAMS || seq >= total) return this.bad();
    if (total === 1) return this.decode(id, [datagram.subarray(UDP_HEADER)], datagram.length, ts, emit);
    let a = this.assemblies.get(id);
    if (a === undefined || a.total !== total) {
      if (this.assemblies.size >= MAX_ASSEMBLIES)
        this.assemblies.delete(this.assemblies.keys().next().value!);
      a = { total, parts: new Array<Uint8Array | undefined>(total), seen: 0, ts };
      this.assemblies.set(id, a);
    }
    if (a.parts[seq] === undefined) {
      a.parts[seq] = Buffer.from(datagram.subarray(UDP_HEADER));
      a.seen++;
    }
    if (a.seen < a.total) return true;
    this.assemblies.delete(id);
    const parts = a.parts as Uint8Array[];
    const size = parts.reduce((n, p) => n + p.length + UDP_HEADER, 0);
    return this.decode(id, parts, size, a.ts, emit);
  }

  private bad(): boolean {
    this.malformed++;
    return true;
  }

  /**
   * Parses the payload of one datagram (or of a reassembled reply); its messages carry the request
   * id. memcached may also answer one request with several whole datagrams (a multi-get's VALUE
   * lines, then END): a text reply left open waits for the next datagram of the same request id.
   */
  private decode(id: number, parts: Uint8Array[], size: number, ts: number, emit: Emit): boolean {
    if (parts[0].length === 0) return true;
    let open = this.open;
    if (open !== undefined && open.id !== id) {
      this.close();
      open = undefined;
    }
    const parser = open?.parser ?? parserFor(parts[0][0], this.stamp, this.limits);
    let headers = (open?.headers ?? 0) + size - parts.reduce((n, p) => n + p.length, 0);
    const out = (m: MemcacheMessage) => {
      m.udpRequestId = id;
      // The frame headers count in the size of the message they carried.
      m.size += headers;
      headers = 0;
      emit(m);
    };
    for (const part of parts) parser.parse(part, ts, out);
    if (parser instanceof TextParser && parser.open) this.open = { id, parser, headers, emit: out };
    else {
      this.open = undefined;
      parser.flush(out);
    }
    return true;
  }

  /** Publishes a reply left open (its END never came): the flow moved on to another request. */
  private close(): void {
    const open = this.open;
    this.open = undefined;
    open?.parser.flush(open.emit);
  }

  /** End of the flow: a reply left open is published as it is. */
  flush(): void {
    this.close();
  }
}
