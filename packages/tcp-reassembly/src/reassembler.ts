// TCP stream reassembly: a connection table keyed by the 4-tuple, in-order delivery per direction
// with a bounded reorder buffer, trimming of retransmissions and overlaps, gaps, FIN/RST, idle
// timeouts on packet time, and limits on buffered bytes and connections.
//
// Policies (documented in README.md):
// - Overlapping bytes: the first copy received wins. Bytes already delivered are never delivered
//   again; a buffered segment is trimmed around segments buffered before it.
// - A connection without a SYN starts at the first segment seen; earlier bytes that arrive later
//   are treated as retransmissions.
// - A hole is reported as a gap (onGap) when the peer acknowledges bytes beyond it (the capture
//   lost them), when a buffer limit forces progress, or at timeout / RST / end of input.
// - Buffered data is delivered with the timestamp of the packet that made it deliverable.
import { ConnectionState, HalfStream, type BufferedSegment } from './connection';
import { Ipv4ConnectionTable } from './connection-table';
import { IdleLists } from './idle-lists';
import { DecodedPacket, DecodeStatus, decodeFrame, UNDECODABLE_REASONS } from './decoder';
import { InvalidOptionError } from './errors';
import { ipv4ToString, ipv6ToString } from './ip-address';
import { TcpFlags } from './tcp-flags';
import type { CloseReason, Direction, Frame, StreamConsumer } from './types';

/** Options of TcpReassembler; every field is optional. */
export interface ReassemblerOptions {
  /** Tells server ports, to pick the client of a connection whose SYN was not seen. Default: none. */
  isServerPort?: (port: number) => boolean;
  /** Idle timeout of new connections in ms (a consumer may change it in onConnectionOpen). Default 60,000. */
  idleTimeoutMs?: number;
  /** Connections kept at once; the least recently active one is evicted beyond it. Default 262,144. */
  maxConnections?: number;
  /** Out-of-order bytes buffered per connection (both directions). Default 1 MiB, at least 64 KiB. */
  maxBufferedBytesPerConnection?: number;
  /** Out-of-order bytes buffered over all connections. Default 128 MiB. */
  maxBufferedBytesTotal?: number;
  /** Out-of-order segments buffered per direction. Default 1,024. */
  maxBufferedSegments?: number;
  /** How often (packet time, ms) idle connections are looked for. Default 1,000. */
  timeoutCheckIntervalMs?: number;
}

/** Counters of a TcpReassembler (plain numbers, safe to serialize). */
export interface ReassemblyCounters {
  packets: number;
  /** Captured bytes of all frames. */
  bytes: number;
  /** Frames decoded down to a TCP segment. */
  decoded: number;
  /** Frames not decoded, by reason (not_ip, not_tcp, ip_fragment, truncated_tcp, ...). */
  undecodable: Record<string, number>;
  /** Decoded segments carrying SYN, FIN and RST flags. */
  synSegments: number;
  finSegments: number;
  rstSegments: number;
  /** TCP segments of no known connection that cannot open one (pure ACK, RST, FIN without data). */
  segmentsWithoutConnection: number;
  connectionsOpened: number;
  connectionsClosed: number;
  connectionsActive: number;
  connectionsTimedOut: number;
  connectionsReset: number;
  /** Connections closed with reason 'evicted': maxConnections reached, or replaced (see connectionsReused). */
  connectionsEvicted: number;
  /** Connections replaced by a new SYN on the same 4-tuple (closed with reason 'evicted'). */
  connectionsReused: number;
  /** Bytes received again after they were delivered or buffered (dropped). */
  retransmittedBytes: number;
  /** Segments that partly overlapped delivered or buffered bytes. */
  overlaps: number;
  gaps: number;
  gapBytes: number;
  /** Bytes captured beyond the snaplen cut (reported as gaps). */
  snaplenCutBytes: number;
  /** Out-of-order bytes buffered now, and the largest amount buffered by one connection at once. */
  bufferedBytes: number;
  reorderHighWater: number;
  /** Times a buffer limit forced a hole to be skipped. */
  bufferLimitHits: number;
}

const { SYN, ACK, FIN, RST } = TcpFlags;
const MIN_CONN_BUFFER = 65536;

/** Turns frames into ordered byte streams per TCP connection, delivered to a StreamConsumer. */
export class TcpReassembler {
  private readonly pkt = new DecodedPacket();
  private readonly table4 = new Ipv4ConnectionTable<ConnectionState>(1024);
  private readonly table6 = new Map<string, ConnectionState>();
  private readonly key6Scratch = Buffer.alloc(36);
  private readonly idle: IdleLists;
  private active = 0;
  private nextId = 1;
  private now = 0;
  private nextCheck = 0;
  private readonly undecodable = new Float64Array(UNDECODABLE_REASONS.length);
  private readonly isServerPort: ((port: number) => boolean) | undefined;
  private readonly idleTimeoutMs: number;
  private readonly maxConnections: number;
  private readonly maxConnBuffer: number;
  private readonly maxTotalBuffer: number;
  private readonly maxSegments: number;
  private readonly checkInterval: number;
  private readonly c = {
    packets: 0,
    bytes: 0,
    decoded: 0,
    synSegments: 0,
    finSegments: 0,
    rstSegments: 0,
    segmentsWithoutConnection: 0,
    connectionsOpened: 0,
    connectionsClosed: 0,
    connectionsTimedOut: 0,
    connectionsReset: 0,
    connectionsEvicted: 0,
    connectionsReused: 0,
    retransmittedBytes: 0,
    overlaps: 0,
    gaps: 0,
    gapBytes: 0,
    snaplenCutBytes: 0,
    bufferedBytes: 0,
    reorderHighWater: 0,
    bufferLimitHits: 0,
  };

  constructor(
    private readonly consumer: StreamConsumer,
    opts: ReassemblerOptions = {},
  ) {
    this.isServerPort = opts.isServerPort;
    this.idleTimeoutMs = positive('idleTimeoutMs', opts.idleTimeoutMs, 60_000);
    this.maxConnections = positive('maxConnections', opts.maxConnections, 262_144);
    this.maxConnBuffer = Math.max(
      MIN_CONN_BUFFER,
      positive('maxBufferedBytesPerConnection', opts.maxBufferedBytesPerConnection, 1 << 20),
    );
    this.maxTotalBuffer = Math.max(
      this.maxConnBuffer,
      positive('maxBufferedBytesTotal', opts.maxBufferedBytesTotal, 128 << 20),
    );
    this.maxSegments = positive('maxBufferedSegments', opts.maxBufferedSegments, 1024);
    this.checkInterval = positive('timeoutCheckIntervalMs', opts.timeoutCheckIntervalMs, 1000);
    this.idle = new IdleLists(this.idleTimeoutMs);
  }

  /** Decodes one frame and feeds its TCP segment to its connection; bad packets are only counted. */
  processFrame(frame: Frame): void {
    const c = this.c;
    c.packets++;
    const data = frame.data;
    c.bytes += data.length;
    const ts = frame.ts;
    if (ts > this.now) {
      this.now = ts;
      if (ts >= this.nextCheck) this.expire(ts);
    }
    const st = decodeFrame(data, frame.linktype, this.pkt, frame.origLen);
    if (st !== DecodeStatus.OK) {
      this.undecodable[st]++;
      return;
    }
    c.decoded++;
    this.segment(data, ts);
  }

  /** Advances packet time without a packet (live capture idle): expires idle connections. */
  advanceTime(ts: number): void {
    if (ts > this.now) this.now = ts;
    if (ts >= this.nextCheck) this.expire(ts);
  }

  /** End of input: flushes every connection (gaps, buffered data, onFin) and closes it with `reason`. */
  closeAll(reason: CloseReason = 'eof'): void {
    let conn: ConnectionState | null;
    while ((conn = this.idle.oldest()) !== null) this.shutdown(conn, reason, this.now);
  }

  /** Number of connections in the table. */
  get activeConnections(): number {
    return this.active;
  }

  /** A snapshot of the counters. */
  counters(): ReassemblyCounters {
    const undecodable: Record<string, number> = {};
    for (let i = 1; i < UNDECODABLE_REASONS.length; i++)
      undecodable[UNDECODABLE_REASONS[i]] = this.undecodable[i];
    return { ...this.c, undecodable, connectionsActive: this.active };
  }

  /** Finds or opens the connection of the decoded segment and applies it. */
  private segment(data: Uint8Array, ts: number): void {
    const p = this.pkt;
    let conn: ConnectionState | undefined;
    let ka = 0;
    let kb = 0;
    let kp = 0;
    let key6 = '';
    if (p.ipVersion === 4) {
      const s = p.src4;
      const d = p.dst4;
      if (s < d || (s === d && p.srcPort <= p.dstPort)) {
        ka = s;
        kb = d;
        kp = (p.srcPort << 16) | p.dstPort;
      } else {
        ka = d;
        kb = s;
        kp = (p.dstPort << 16) | p.srcPort;
      }
      conn = this.table4.get(ka, kb, kp);
    } else {
      key6 = this.ipv6Key(data);
      conn = this.table6.get(key6);
    }
    const flags = p.flags;
    if ((flags & (SYN | FIN | RST)) !== 0) {
      if ((flags & SYN) !== 0) this.c.synSegments++;
      if ((flags & FIN) !== 0) this.c.finSegments++;
      if ((flags & RST) !== 0) this.c.rstSegments++;
    }
    if (conn === undefined) {
      if ((flags & RST) !== 0 || ((flags & SYN) === 0 && p.payloadLength + p.missingBytes === 0)) {
        this.c.segmentsWithoutConnection++;
        return;
      }
      conn = this.open(data, ts, ka, kb, kp, key6);
    } else {
      if ((flags & (SYN | ACK)) === SYN && this.isNewSyn(conn, data)) {
        // A fresh SYN on a known tuple (port reuse before the old connection was seen closing).
        this.c.connectionsReused++;
        this.shutdown(conn, 'evicted', ts);
        conn = this.open(data, ts, ka, kb, kp, key6);
      } else {
        conn.lastSeen = ts;
        this.idle.touch(conn);
      }
    }
    const dir: Direction = this.directionOf(conn, data);
    if ((flags & RST) !== 0) {
      this.c.connectionsReset++;
      this.shutdown(conn, 'rst', ts);
      return;
    }
    const h = dir === 0 ? conn.h0 : conn.h1;
    let start = p.seq;
    if ((flags & SYN) !== 0) {
      start = (start + 1) | 0;
      if (!h.synSeen) {
        h.synSeen = true;
        h.synStart = start;
      }
      if (!h.init) {
        h.init = true;
        h.nextSeq = start;
      }
    } else if (!h.init) {
      h.init = true;
      h.nextSeq = start;
    }
    if ((flags & ACK) !== 0) {
      // The acknowledgment concerns the other direction and precedes this segment's own data.
      const other = dir === 0 ? conn.h1 : conn.h0;
      if (
        (other.segs !== null || (other.finPending && !other.finDone)) &&
        ((p.ack - other.nextSeq) | 0) > 0
      ) {
        this.ackedHole(conn, dir === 0 ? 1 : 0, other, p.ack, ts);
        if (conn.closed) return;
      }
    }
    const len = p.payloadLength;
    const missing = p.missingBytes;
    if (len + missing > 0) this.data(conn, dir, h, start, data, p.payloadOffset, len, missing, ts);
    if ((flags & FIN) !== 0 && !h.finPending && !conn.closed) {
      h.finPending = true;
      h.finSeq = (start + len + missing) | 0;
      this.checkFin(conn, dir, h, ts);
    }
  }

  /**
   * Applies payload starting at sequence `seq`: buffers a copy when it is early, else delivers the
   * parts that neither were delivered before nor are already buffered (the first copy wins).
   */
  private data(
    conn: ConnectionState,
    dir: Direction,
    h: HalfStream,
    seq: number,
    data: Uint8Array,
    off: number,
    len: number,
    missing: number,
    ts: number,
  ): void {
    const total = len + missing;
    const rel = (seq - h.nextSeq) | 0;
    if (rel > 0) {
      if (h.finDone) this.c.retransmittedBytes += total;
      else this.buffer(conn, dir, h, rel, data.subarray(off, off + len), missing, ts);
      return;
    }
    if (-rel >= total) {
      this.c.retransmittedBytes += total;
      return;
    }
    let pos = 0;
    let overlapped = false;
    let delivered = false;
    while (!conn.closed) {
      // Bytes up to nextSeq were delivered (before, or just now from the buffer): skip them.
      const behind = (h.nextSeq - seq - pos) | 0;
      if (behind > 0) {
        overlapped = true;
        this.c.retransmittedBytes += Math.min(behind, total - pos);
        pos += behind;
      }
      if (pos >= total) break;
      let stop = total;
      if (h.segs !== null) {
        const buffered = (h.segs[0].seq - h.nextSeq) | 0;
        if (pos + buffered < stop) stop = pos + buffered;
      }
      const dataEnd = stop < len ? stop : len;
      this.deliver(
        conn,
        dir,
        h,
        pos < dataEnd ? data.subarray(off + pos, off + dataEnd) : undefined,
        stop > len ? stop - (pos > len ? pos : len) : 0,
        ts,
      );
      pos = stop;
      delivered = true;
      if (h.segs !== null && !conn.closed) this.drain(conn, dir, h, ts);
      if (pos >= total) break;
    }
    if (overlapped && delivered) this.c.overlaps++;
    if (h.finPending && !conn.closed) this.checkFin(conn, dir, h, ts);
  }

  /** Hands in-order bytes (and a snaplen-cut tail as a gap) to the consumer. */
  private deliver(
    conn: ConnectionState,
    dir: Direction,
    h: HalfStream,
    bytes: Uint8Array | undefined,
    missing: number,
    ts: number,
  ): void {
    if (bytes !== undefined) {
      h.nextSeq = (h.nextSeq + bytes.length) | 0;
      this.consumer.onData(conn, dir, bytes, ts);
    }
    if (missing > 0) {
      h.nextSeq = (h.nextSeq + missing) | 0;
      this.c.snaplenCutBytes += missing;
      this.gap(conn, dir, missing, ts);
    }
  }

  private gap(conn: ConnectionState, dir: Direction, n: number, ts: number): void {
    this.c.gaps++;
    this.c.gapBytes += n;
    this.consumer.onGap(conn, dir, n, ts);
  }

  /** Stores a copy of an early segment, trimmed around already-buffered bytes (first copy wins). */
  private buffer(
    conn: ConnectionState,
    dir: Direction,
    h: HalfStream,
    rel: number,
    view: Uint8Array,
    missing: number,
    ts: number,
  ): void {
    const segs = h.segs ?? (h.segs = []);
    const next = h.nextSeq;
    const len = view.length;
    let s = rel;
    const e = rel + len + missing;
    let i = 0;
    let trimmed = false;
    const before = h.bufferedBytes;
    for (; i < segs.length && s < e; i++) {
      const seg = segs[i];
      const rs = (seg.seq - next) | 0;
      const re = rs + seg.data.length + seg.missing;
      if (re <= s) continue;
      if (rs >= e) break;
      trimmed = true;
      if (rs > s) {
        this.insertPiece(h, i, next, rel, view, s, rs);
        i++;
      }
      s = Math.max(s, re);
    }
    if (s < e) this.insertPiece(h, i, next, rel, view, s, e);
    const kept = h.bufferedBytes - before;
    if (trimmed) {
      this.c.retransmittedBytes += len - kept;
      if (kept > 0) this.c.overlaps++;
    }
    const connBuffered = conn.h0.bufferedBytes + conn.h1.bufferedBytes;
    if (connBuffered > this.c.reorderHighWater) this.c.reorderHighWater = connBuffered;
    while (
      h.segs !== null &&
      !conn.closed &&
      (conn.h0.bufferedBytes + conn.h1.bufferedBytes > this.maxConnBuffer ||
        this.c.bufferedBytes > this.maxTotalBuffer ||
        h.segs.length > this.maxSegments)
    ) {
      this.c.bufferLimitHits++;
      this.skipHole(conn, dir, h, ts);
    }
  }

  /** Inserts the part [ps, pe) (relative to nextSeq) of a segment starting at rel, as a copy. */
  private insertPiece(
    h: HalfStream,
    at: number,
    next: number,
    rel: number,
    view: Uint8Array,
    ps: number,
    pe: number,
  ): void {
    const len = view.length;
    const ds = ps - rel;
    const de = pe - rel;
    // Copy: the frame's buffer may be reused for the next packet (live capture).
    const data = ds < len ? new Uint8Array(view.subarray(ds, Math.min(de, len))) : EMPTY;
    const seg: BufferedSegment = {
      seq: (next + ps) | 0,
      data,
      missing: de > len ? de - Math.max(ds, len) : 0,
    };
    (h.segs as BufferedSegment[]).splice(at, 0, seg);
    h.bufferedBytes += seg.data.length;
    this.c.bufferedBytes += seg.data.length;
  }

  /** Delivers buffered segments that became in order. */
  private drain(conn: ConnectionState, dir: Direction, h: HalfStream, ts: number): void {
    const segs = h.segs as BufferedSegment[];
    while (segs.length > 0 && !conn.closed) {
      const seg = segs[0];
      const rel = (seg.seq - h.nextSeq) | 0;
      if (rel > 0) break;
      segs.shift();
      h.bufferedBytes -= seg.data.length;
      this.c.bufferedBytes -= seg.data.length;
      let data = seg.data;
      let missing = seg.missing;
      const total = data.length + missing;
      if (-rel >= total) {
        this.c.retransmittedBytes += total;
        continue;
      }
      if (rel < 0) {
        const skip = -rel;
        if (skip <= data.length) data = data.subarray(skip);
        else {
          missing -= skip - data.length;
          data = EMPTY;
        }
      }
      this.deliver(conn, dir, h, data.length > 0 ? data : undefined, missing, ts);
    }
    if (segs.length === 0 && h.segs === segs) h.segs = null;
  }

  /** Gives up on the hole before the first buffered segment: reports it as a gap and delivers on. */
  private skipHole(conn: ConnectionState, dir: Direction, h: HalfStream, ts: number): void {
    const segs = h.segs as BufferedSegment[];
    const hole = (segs[0].seq - h.nextSeq) | 0;
    if (hole > 0) {
      h.nextSeq = segs[0].seq;
      this.gap(conn, dir, hole, ts);
    }
    if (!conn.closed) this.drain(conn, dir, h, ts);
    if (h.finPending && !conn.closed) this.checkFin(conn, dir, h, ts);
  }

  /** The peer acknowledged bytes up to `ack` that the capture never showed: they are a gap. */
  private ackedHole(conn: ConnectionState, dir: Direction, h: HalfStream, ack: number, ts: number): void {
    const firstRel = h.segs !== null ? (h.segs[0].seq - h.nextSeq) | 0 : (h.finSeq - h.nextSeq) | 0;
    const ackRel = (ack - h.nextSeq) | 0;
    const n = Math.min(firstRel, ackRel);
    if (n <= 0) return;
    h.nextSeq = (h.nextSeq + n) | 0;
    this.gap(conn, dir, n, ts);
    if (h.segs !== null && !conn.closed) this.drain(conn, dir, h, ts);
    if (h.finPending && !conn.closed) this.checkFin(conn, dir, h, ts);
  }

  /** Reports FIN once every byte before it was delivered; both FINs close the connection. */
  private checkFin(conn: ConnectionState, dir: Direction, h: HalfStream, ts: number): void {
    if (h.finDone || h.nextSeq !== h.finSeq) return;
    h.finDone = true;
    h.nextSeq = (h.nextSeq + 1) | 0;
    this.consumer.onFin(conn, dir, ts);
    if (!conn.closed && conn.h0.finDone && conn.h1.finDone) this.close(conn, 'fin', ts);
  }

  /** Flushes both directions (gap + buffered data, then onFin) and closes the connection. */
  private shutdown(conn: ConnectionState, reason: CloseReason, ts: number): void {
    this.flush(conn, 0, conn.h0, ts);
    this.flush(conn, 1, conn.h1, ts);
    if (!conn.closed) this.close(conn, reason, ts);
  }

  private flush(conn: ConnectionState, dir: Direction, h: HalfStream, ts: number): void {
    while (h.segs !== null && !conn.closed) this.skipHole(conn, dir, h, ts);
    if (!h.finDone && !conn.closed) {
      h.finDone = true;
      this.consumer.onFin(conn, dir, ts);
    }
  }

  private close(conn: ConnectionState, reason: CloseReason, ts: number): void {
    conn.closed = true;
    const dropped = conn.h0.bufferedBytes + conn.h1.bufferedBytes;
    this.c.bufferedBytes -= dropped;
    conn.h0.segs = null;
    conn.h1.segs = null;
    conn.h0.bufferedBytes = 0;
    conn.h1.bufferedBytes = 0;
    if (conn.ipVersion === 4) this.table4.delete(conn.keyA, conn.keyB, conn.keyP);
    else this.table6.delete(conn.key6);
    this.idle.remove(conn);
    this.active--;
    this.c.connectionsClosed++;
    if (reason === 'timeout') this.c.connectionsTimedOut++;
    else if (reason === 'evicted') this.c.connectionsEvicted++;
    this.consumer.onConnectionClose(conn, reason, ts);
  }

  /** Expires connections idle for longer than their timeout (timestamped when they expired). */
  private expire(now: number): void {
    this.nextCheck = now + Math.min(this.checkInterval, this.idle.minTimeout);
    let conn: ConnectionState | null;
    while ((conn = this.idle.expired(now)) !== null) {
      this.shutdown(conn, 'timeout', conn.lastSeen + this.idle.timeoutOf(conn));
    }
  }

  /** Creates a connection for the decoded segment; the client is the SYN sender, else not the server port, else the sender. */
  private open(
    data: Uint8Array,
    ts: number,
    ka: number,
    kb: number,
    kp: number,
    key6: string,
  ): ConnectionState {
    if (this.active >= this.maxConnections) {
      const oldest = this.idle.oldest();
      if (oldest !== null) this.shutdown(oldest, 'evicted', ts);
    }
    const p = this.pkt;
    const flags = p.flags;
    let srcIsClient = true;
    if ((flags & SYN) !== 0) srcIsClient = (flags & ACK) === 0;
    else if (this.isServerPort !== undefined) {
      const dstServer = this.isServerPort(p.dstPort);
      const srcServer = this.isServerPort(p.srcPort);
      if (srcServer && !dstServer) srcIsClient = false;
    }
    const cport = srcIsClient ? p.srcPort : p.dstPort;
    const sport = srcIsClient ? p.dstPort : p.srcPort;
    let conn: ConnectionState;
    if (p.ipVersion === 4) {
      const c4 = srcIsClient ? p.src4 : p.dst4;
      const s4 = srcIsClient ? p.dst4 : p.src4;
      conn = new ConnectionState(
        this.nextId++,
        4,
        ipv4ToString(c4 >>> 0),
        cport,
        ipv4ToString(s4 >>> 0),
        sport,
        ts,
        this.idleTimeoutMs,
      );
      conn.client4 = c4;
      conn.keyA = ka;
      conn.keyB = kb;
      conn.keyP = kp;
      this.table4.insert(ka, kb, kp, conn);
    } else {
      const srcOff = p.ipOffset + 8;
      const dstOff = p.ipOffset + 24;
      const cOff = srcIsClient ? srcOff : dstOff;
      const sOff = srcIsClient ? dstOff : srcOff;
      conn = new ConnectionState(
        this.nextId++,
        6,
        ipv6ToString(data, cOff),
        cport,
        ipv6ToString(data, sOff),
        sport,
        ts,
        this.idleTimeoutMs,
      );
      conn.client6 = data.slice(cOff, cOff + 16);
      conn.key6 = key6;
      this.table6.set(key6, conn);
    }
    this.idle.touch(conn);
    this.active++;
    this.c.connectionsOpened++;
    this.consumer.onConnectionOpen(conn, ts);
    // The consumer may have chosen another timeout: file the connection under it.
    if (!conn.closed) this.idle.touch(conn);
    return conn;
  }

  /** Whether a pure SYN starts a new connection: its sequence differs from the direction's SYN or data. */
  private isNewSyn(conn: ConnectionState, data: Uint8Array): boolean {
    const h = this.directionOf(conn, data) === 0 ? conn.h0 : conn.h1;
    if (!h.init) return false;
    const start = (this.pkt.seq + 1) | 0;
    return h.synSeen ? start !== h.synStart : start !== h.nextSeq;
  }

  private directionOf(conn: ConnectionState, data: Uint8Array): Direction {
    const p = this.pkt;
    if (conn.clientPort !== conn.serverPort) return p.srcPort === conn.clientPort ? 0 : 1;
    if (p.ipVersion === 4) return p.src4 === conn.client4 ? 0 : 1;
    const c6 = conn.client6 as Uint8Array;
    const off = p.ipOffset + 8;
    for (let i = 0; i < 16; i++) if (data[off + i] !== c6[i]) return 1;
    return 0;
  }

  /** Direction-independent key of an IPv6 segment: the lower (address, port) endpoint first. */
  private ipv6Key(data: Uint8Array): string {
    const p = this.pkt;
    const s = p.ipOffset + 8;
    const d = p.ipOffset + 24;
    let cmp = 0;
    for (let i = 0; i < 16 && cmp === 0; i++) cmp = data[s + i] - data[d + i];
    if (cmp === 0) cmp = p.srcPort - p.dstPort;
    const k = this.key6Scratch;
    const first = cmp <= 0 ? s : d;
    const second = cmp <= 0 ? d : s;
    k.set(data.subarray(first, first + 16), 0);
    k.set(data.subarray(second, second + 16), 16);
    k.writeUInt16BE(cmp <= 0 ? p.srcPort : p.dstPort, 32);
    k.writeUInt16BE(cmp <= 0 ? p.dstPort : p.srcPort, 34);
    return k.toString('latin1');
  }
}

const EMPTY = new Uint8Array(0);

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
    throw new InvalidOptionError(`TcpReassembler option ${name} must be a positive number, got ${String(v)}`);
  }
  return v;
}
