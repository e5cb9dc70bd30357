// Per-connection and per-direction reassembly state.
import type { IdleList } from './idle-lists';
import { ipv4ToString } from './ip-address';
import { clientIsKeyA } from './tuple-key';
import type { TcpConnection } from './types';

/** A copied out-of-order segment waiting for the hole before it to fill. */
export interface BufferedSegment {
  /** Sequence number of data[0] (signed 32-bit). */
  seq: number;
  data: Uint8Array;
  /** Bytes after `data` that the snaplen cut: delivered as a gap. */
  missing: number;
}

/** The out-of-order segments of a half stream and their size. */
class OutOfOrder {
  segs: BufferedSegment[] | null = null;
  bytes = 0;
}

/** One direction of a connection: what was delivered and what waits. */
export class HalfStream {
  /** Starts the stream at `seq` (the first data byte). */
  start(seq: number): void {
    this.init = true;
    this.nextSeq = seq;
    this.baseSeq = seq;
    this.highEnd = seq;
  }

  /** Sequence number of the next byte to deliver (signed 32-bit). */
  nextSeq = 0;
  /** First sequence number of the stream (after the SYN, or of the first segment seen). */
  baseSeq = 0;
  /** End of the highest sequence seen from this sender (signed 32-bit), for RST acceptance. */
  highEnd = 0;
  /** Sequence number of the first data byte after the SYN, when synSeen. */
  synStart = 0;
  /** The highest acknowledgment the peer sent for this direction's bytes, when ackSeen. */
  ackTo = 0;
  /** Where the FIN was seen, when finPending. */
  finSeq = 0;
  /** What waits out of order, or null (most of the time): one field instead of two. */
  private ooo: OutOfOrder | null = null;
  // Five booleans in one small integer: every field costs 8 bytes on each of two halves of
  // hundreds of thousands of open connections.
  private flags = 0;
  /** Out-of-order segments sorted by sequence, or null when none. */
  get segs(): BufferedSegment[] | null {
    return this.ooo === null ? null : this.ooo.segs;
  }
  set segs(segs: BufferedSegment[] | null) {
    if (segs === null && (this.ooo === null || this.ooo.bytes === 0)) this.ooo = null;
    else (this.ooo ??= new OutOfOrder()).segs = segs;
  }

  /** Bytes of the out-of-order segments. */
  get bufferedBytes(): number {
    return this.ooo === null ? 0 : this.ooo.bytes;
  }
  set bufferedBytes(n: number) {
    if (n === 0 && (this.ooo === null || this.ooo.segs === null)) this.ooo = null;
    else (this.ooo ??= new OutOfOrder()).bytes = n;
  }

  /** wscale + 1 (0 to 15) in the high bits, window in the low 16 bits: one field for two. */
  private scaledWindow = 0;

  /** Window scale shift from this sender's SYN, -1 when its SYN had none (or was not seen). */
  get wscale(): number {
    return (this.scaledWindow >>> 16) - 1;
  }
  set wscale(shift: number) {
    this.scaledWindow = ((shift + 1) << 16) | (this.scaledWindow & 0xffff);
  }

  /** Last receive window this sender advertised (unscaled 16-bit field). */
  get window(): number {
    return this.scaledWindow & 0xffff;
  }
  set window(w: number) {
    this.scaledWindow = (this.scaledWindow & ~0xffff) | (w & 0xffff);
  }

  /** Whether nextSeq is known (SYN seen, or the first segment of a mid-stream connection). */
  get init(): boolean {
    return (this.flags & 1) !== 0;
  }
  set init(on: boolean) {
    this.flags = on ? this.flags | 1 : this.flags & ~1;
  }

  /** Whether a SYN was seen (synStart is then the sequence number of the first data byte after it). */
  get synSeen(): boolean {
    return (this.flags & 2) !== 0;
  }
  set synSeen(on: boolean) {
    this.flags = on ? this.flags | 2 : this.flags & ~2;
  }

  /** Whether the peer acknowledged any of this direction's bytes (ackTo is then the highest). */
  get ackSeen(): boolean {
    return (this.flags & 4) !== 0;
  }
  set ackSeen(on: boolean) {
    this.flags = on ? this.flags | 4 : this.flags & ~4;
  }

  /** A FIN was seen at finSeq; onFin waits until everything before it is delivered. */
  get finPending(): boolean {
    return (this.flags & 8) !== 0;
  }
  set finPending(on: boolean) {
    this.flags = on ? this.flags | 8 : this.flags & ~8;
  }

  /** onFin was called for this direction. */
  get finDone(): boolean {
    return (this.flags & 16) !== 0;
  }
  set finDone(on: boolean) {
    this.flags = on ? this.flags | 16 : this.flags & ~16;
  }
}

/** The parts of an IPv6 connection an IPv4 one does without. */
class Ipv6Parts {
  /** Client address bytes. */
  client: Uint8Array | undefined = undefined;
  /** Table key. */
  key = '';

  constructor(
    readonly clientIp: string,
    readonly serverIp: string,
  ) {}
}

/** A connection in the table: the consumer-visible TcpConnection plus reassembly state. */
export class ConnectionState implements TcpConnection {
  idleTimeoutMs: number;
  userData: unknown = undefined;
  /** Client address as a signed 32-bit integer (IPv4) for direction lookup. */
  client4 = 0;
  /** Table key: canonical IPv4 tuple, or the IPv6 string key. */
  keyA = 0;
  keyB = 0;
  keyP = 0;
  lastSeen: number;
  /** Place in the IdleLists (the list of its idle timeout, ordered by lastSeen). */
  idleList: IdleList<ConnectionState> | null = null;
  lruPrev: ConnectionState | null = null;
  lruNext: ConnectionState | null = null;
  readonly h0 = new HalfStream();
  readonly h1 = new HalfStream();
  /** Sequence number of the SYN pendingSynDir sent. */
  pendingSyn = 0;
  /** What only IPv6 connections need (one field instead of three on IPv4 ones). */
  private readonly six: Ipv6Parts | undefined;
  /** closed (bit 0) and pendingSynDir + 1 (bits 1-2): one field instead of two. */
  private bits = 0;

  /**
   * Created by createConnection; `ip6Names` are the client and server addresses of an IPv6
   * connection (an IPv4 one formats its addresses from client4 and its key when asked).
   */
  constructor(
    readonly id: number,
    ipVersion: 4 | 6,
    ip6Names: readonly [string, string] | undefined,
    readonly clientPort: number,
    readonly serverPort: number,
    readonly openedAt: number,
    idleTimeoutMs: number,
  ) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.lastSeen = openedAt;
    if ((ipVersion === 6) !== (ip6Names !== undefined))
      throw new TypeError('IPv6 connections need their addresses');
    this.six = ip6Names === undefined ? undefined : new Ipv6Parts(ip6Names[0], ip6Names[1]);
  }

  /** 4 or 6 (an IPv6 connection is the one with address names kept). */
  get ipVersion(): 4 | 6 {
    return this.six === undefined ? 4 : 6;
  }

  /** Client address bytes (IPv6) for direction lookup when both ports are equal. */
  get client6(): Uint8Array | undefined {
    return this.six?.client;
  }
  set client6(bytes: Uint8Array | undefined) {
    if (this.six !== undefined) this.six.client = bytes;
  }

  /** Table key of an IPv6 connection ('' for IPv4). */
  get key6(): string {
    return this.six === undefined ? '' : this.six.key;
  }
  set key6(key: string) {
    if (this.six !== undefined) this.six.key = key;
  }

  /** The connection was shut down. */
  get closed(): boolean {
    return (this.bits & 1) !== 0;
  }
  set closed(on: boolean) {
    this.bits = on ? this.bits | 1 : this.bits & ~1;
  }

  /** A SYN with a new sequence number seen inside the open connection (-1: none), waiting for a SYN-ACK. */
  get pendingSynDir(): number {
    return (this.bits >> 1) - 1;
  }
  set pendingSynDir(dir: number) {
    this.bits = (this.bits & 1) | ((dir + 1) << 1);
  }

  // The addresses as text are only read when events are built (once per connection at most, as
  // consumers cache what they derive from them): formatting them then is cheaper than two strings
  // kept by each of hundreds of thousands of open connections.
  /** Client address as text. */
  get clientIp(): string {
    return this.six !== undefined ? this.six.clientIp : ipv4ToString(this.client4 >>> 0);
  }

  /** Server address as text. */
  get serverIp(): string {
    if (this.six !== undefined) return this.six.serverIp;
    return ipv4ToString((clientIsKeyA(this) ? this.keyB : this.keyA) >>> 0);
  }
}
