// Per-connection and per-direction reassembly state.
import type { IdleList } from './idle-lists';
import type { TcpConnection } from './types';

/** A copied out-of-order segment waiting for the hole before it to fill. */
export interface BufferedSegment {
  /** Sequence number of data[0] (signed 32-bit). */
  seq: number;
  data: Uint8Array;
  /** Bytes after `data` that the snaplen cut: delivered as a gap. */
  missing: number;
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

  /** Whether nextSeq is known (SYN seen, or the first segment of a mid-stream connection). */
  init = false;
  /** Sequence number of the next byte to deliver (signed 32-bit). */
  nextSeq = 0;
  /** First sequence number of the stream (after the SYN, or of the first segment seen). */
  baseSeq = 0;
  /** End of the highest sequence seen from this sender (signed 32-bit), for RST acceptance. */
  highEnd = 0;
  /** Whether a SYN was seen, and the sequence number of the first data byte after it. */
  synSeen = false;
  synStart = 0;
  /** Window scale shift from this sender's SYN, -1 when its SYN had none (or was not seen). */
  wscale = -1;
  /** Last receive window this sender advertised (unscaled 16-bit field). */
  window = 0;
  /** The highest acknowledgment the peer sent for this direction's bytes. */
  ackSeen = false;
  ackTo = 0;
  /** A FIN was seen at finSeq; onFin waits until everything before it is delivered. */
  finPending = false;
  finSeq = 0;
  /** onFin was called for this direction. */
  finDone = false;
  /** Out-of-order segments sorted by sequence, or null when none (most of the time). */
  segs: BufferedSegment[] | null = null;
  bufferedBytes = 0;
}

/** A connection in the table: the consumer-visible TcpConnection plus reassembly state. */
export class ConnectionState implements TcpConnection {
  idleTimeoutMs: number;
  userData: unknown = undefined;
  /** Client address as a signed 32-bit integer (IPv4) for direction lookup. */
  client4 = 0;
  /** Client address bytes (IPv6) for direction lookup when both ports are equal. */
  client6: Uint8Array | undefined = undefined;
  /** Table key: canonical IPv4 tuple, or the IPv6 string key. */
  keyA = 0;
  keyB = 0;
  keyP = 0;
  key6 = '';
  lastSeen: number;
  /** Place in the IdleLists (the list of its idle timeout, ordered by lastSeen). */
  idleList: IdleList | null = null;
  lruPrev: ConnectionState | null = null;
  lruNext: ConnectionState | null = null;
  readonly h0 = new HalfStream();
  readonly h1 = new HalfStream();
  closed = false;
  /** A SYN with a new sequence number seen inside the open connection (-1: none), waiting for a SYN-ACK. */
  pendingSynDir = -1;
  pendingSyn = 0;

  constructor(
    readonly id: number,
    readonly ipVersion: 4 | 6,
    readonly clientIp: string,
    readonly clientPort: number,
    readonly serverIp: string,
    readonly serverPort: number,
    readonly openedAt: number,
    idleTimeoutMs: number,
  ) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.lastSeen = openedAt;
  }
}
