// IP fragment reassembly for UDP datagrams (IPv4, and IPv6 fragment headers whose next header is
// UDP). DNS answers with EDNS and large SIP or memcache messages get fragmented; without this their
// datagrams would be lost whole. Memory is bounded (bytes and datagrams in progress), unfinished
// datagrams are dropped after a timeout on packet time, and every outcome is counted.
//
// Policy: fragments that overlap others with different extents make the whole datagram invalid
// (as Linux and RFC 5722 do; overlaps are an evasion technique); an exact duplicate is ignored.
import type { DecodedPacket } from './decoder';
import { InvalidOptionError } from './errors';

/** Options of an IpDefragmenter; every field is optional. */
export interface DefragOptions {
  /** Fragment payload bytes held at once over all datagrams. Default 4 MiB. */
  maxBytes?: number;
  /** Datagrams in progress at once. Default 4,096. */
  maxDatagrams?: number;
  /** An unfinished datagram is dropped this long (packet time, ms) after its first fragment. Default 30,000. */
  timeoutMs?: number;
}

/** Counters of an IpDefragmenter. */
export interface DefragCounters {
  /** Fragments received. */
  fragments: number;
  /** Datagrams put together. */
  reassembled: number;
  /** Datagrams dropped unfinished after the timeout. */
  timedOut: number;
  /** Datagrams dropped unfinished to stay within maxBytes / maxDatagrams. */
  evicted: number;
  /** Datagrams dropped because fragments overlapped, or went beyond 65,535 bytes. */
  invalid: number;
  /** Fragments the capture cut short (snaplen): their datagram cannot be completed. */
  truncated: number;
  /** Fragments received again (same offset and length): ignored. */
  duplicates: number;
  /** Datagrams in progress now. */
  pending: number;
}

/** One fragment's payload, copied. */
interface Piece {
  offset: number;
  bytes: Uint8Array;
}

/** A datagram in progress. */
class Partial {
  pieces: Piece[] = [];
  /** Payload bytes held. */
  held = 0;
  /** Length of the whole IP payload, once the last fragment (no MF) was seen; else -1. */
  total = -1;
  /** The IP header to put before the payload (version, addresses, protocol, TTL). */
  header: Uint8Array | undefined = undefined;

  constructor(readonly firstTs: number) {}
}

const MAX_IP_PAYLOAD = 65535;

/** Puts fragmented UDP datagrams back together. */
export class IpDefragmenter {
  // Insertion order is first-fragment order: the oldest datagram is the first entry.
  private readonly partials = new Map<string, Partial>();
  private held = 0;
  private readonly maxBytes: number;
  private readonly maxDatagrams: number;
  private readonly timeoutMs: number;
  private readonly c: Omit<DefragCounters, 'pending'> = {
    fragments: 0,
    reassembled: 0,
    timedOut: 0,
    evicted: 0,
    invalid: 0,
    truncated: 0,
    duplicates: 0,
  };

  /** A defragmenter with the given limits. */
  constructor(opts: DefragOptions = {}) {
    this.maxBytes = positive('maxBytes', opts.maxBytes, 4 << 20);
    this.maxDatagrams = positive('maxDatagrams', opts.maxDatagrams, 4096);
    this.timeoutMs = positive('timeoutMs', opts.timeoutMs, 30_000);
  }

  /**
   * Adds the fragment `pkt` (decoded with status IP_FRAGMENT) of `data`. Returns the whole IP packet
   * (header without options or extension headers, then the payload; link type RAW) when this
   * fragment completed it, else undefined.
   */
  add(pkt: DecodedPacket, data: Uint8Array, ts: number): Uint8Array | undefined {
    this.c.fragments++;
    this.expire(ts);
    const key = keyOf(pkt, data);
    if (pkt.missingBytes > 0) {
      this.c.truncated++;
      this.drop(key);
      return undefined;
    }
    const offset = pkt.fragOffset;
    const length = pkt.payloadLength;
    const end = offset + length;
    let partial = this.partials.get(key);
    if (end > MAX_IP_PAYLOAD || (pkt.fragMore && (length & 7) !== 0)) {
      // Too long for an IP packet, or a middle fragment not a multiple of 8 bytes: not a datagram.
      this.c.invalid++;
      this.drop(key);
      return undefined;
    }
    if (partial === undefined) {
      while (this.partials.size >= this.maxDatagrams) this.evictOldest();
      partial = new Partial(ts);
      this.partials.set(key, partial);
    }
    for (const piece of partial.pieces) {
      const pieceEnd = piece.offset + piece.bytes.length;
      if (piece.offset === offset && pieceEnd === end) {
        this.c.duplicates++;
        return undefined;
      }
      if (offset < pieceEnd && piece.offset < end) {
        this.c.invalid++;
        this.drop(key);
        return undefined;
      }
    }
    if (!pkt.fragMore) {
      if (partial.total >= 0 && partial.total !== end) {
        this.c.invalid++;
        this.drop(key);
        return undefined;
      }
      partial.total = end;
    }
    if (offset === 0 || partial.header === undefined) partial.header = headerOf(pkt, data);
    partial.pieces.push({ offset, bytes: copyOf(data, pkt.payloadOffset, length) });
    partial.held += length;
    this.held += length;
    while (this.held > this.maxBytes && this.partials.size > 0) {
      const oldestKey = this.partials.keys().next().value as string;
      this.evictOldest();
      if (oldestKey === key) return undefined;
    }
    return this.complete(key, partial);
  }

  /** Drops datagrams whose first fragment is older than the timeout at packet time `now`. */
  expire(now: number): void {
    if (this.partials.size === 0) return;
    for (const [key, partial] of this.partials) {
      if (partial.firstTs + this.timeoutMs > now) break;
      this.c.timedOut++;
      this.drop(key);
    }
  }

  /** A snapshot of the counters. */
  counters(): DefragCounters {
    return { ...this.c, pending: this.partials.size };
  }

  /** The whole packet when every byte up to the last fragment's end is there. */
  private complete(key: string, partial: Partial): Uint8Array | undefined {
    if (partial.total < 0 || partial.held !== partial.total) return undefined;
    // No overlaps were let in, so held === total means the pieces cover [0, total) exactly.
    const header = partial.header!;
    // A plain Uint8Array like the frames (one kind of byte array for the decoders and parsers).
    const out = new Uint8Array(header.length + partial.total);
    out.set(header, 0);
    for (const piece of partial.pieces) out.set(piece.bytes, header.length + piece.offset);
    if (header.length === 20) {
      const totalLength = 20 + partial.total;
      out[2] = totalLength >> 8;
      out[3] = totalLength & 255;
    } else {
      out[4] = partial.total >> 8;
      out[5] = partial.total & 255;
    }
    this.drop(key);
    this.c.reassembled++;
    return out;
  }

  private evictOldest(): void {
    const key = this.partials.keys().next().value;
    if (key === undefined) return;
    this.c.evicted++;
    this.drop(key);
  }

  private drop(key: string): void {
    const partial = this.partials.get(key);
    if (partial === undefined) return;
    this.held -= partial.held;
    this.partials.delete(key);
  }
}

/** Identity of the datagram a fragment belongs to: addresses, protocol and identification. */
function keyOf(pkt: DecodedPacket, data: Uint8Array): string {
  if (pkt.ipVersion === 4) return `4|${pkt.src4}|${pkt.dst4}|${pkt.protocol}|${pkt.fragId}`;
  const off = pkt.ipOffset + 8;
  return `6|${Buffer.from(data.buffer, data.byteOffset + off, 32).toString('latin1')}|${pkt.protocol}|${pkt.fragId}`;
}

/**
 * A copy of `length` bytes of `data` from `start`. Frames may be views of a buffer the reader
 * reuses, and on a Buffer `slice` is a view too: fragments kept for later must be copied.
 */
function copyOf(data: Uint8Array, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(new Uint8Array(data.buffer, data.byteOffset + start, length));
  return out;
}

/** A bare IP header for the reassembled packet (no options, no extension headers). */
function headerOf(pkt: DecodedPacket, data: Uint8Array): Uint8Array {
  const off = pkt.ipOffset;
  if (pkt.ipVersion === 4) {
    const h = new Uint8Array(20);
    h[0] = 0x45;
    h[1] = data[off + 1];
    h[4] = data[off + 4];
    h[5] = data[off + 5];
    h[8] = data[off + 8];
    h[9] = pkt.protocol;
    for (let i = 12; i < 20; i++) h[i] = data[off + i];
    return h;
  }
  const h = new Uint8Array(40);
  for (let i = 0; i < 40; i++) h[i] = data[off + i];
  h[4] = 0;
  h[5] = 0;
  h[6] = pkt.protocol;
  return h;
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)))
    throw new InvalidOptionError(`IpDefragmenter option ${name} must be a positive number, got ${String(v)}`);
  return v;
}
