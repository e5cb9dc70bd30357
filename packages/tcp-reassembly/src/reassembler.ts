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
import type { ConnectionState, HalfStream } from './connection';
import { createConnection, senderIsClient } from './connection-factory';
import { Ipv4ConnectionTable } from './connection-table';
import { IdleLists } from './idle-lists';
import { DecodedPacket, DecodeStatus, decodeFrame, UNDECODABLE_REASONS } from './decoder';
import { resolveOptions, type ReassemblerOptions, type ResolvedOptions } from './reassembler-options';
import { newCounters, type ReassemblyCounters } from './reassembly-counters';
import { rstAcceptable } from './rst-acceptance';
import { StreamDelivery } from './stream-delivery';
import { windowScaleOption } from './tcp-options';
import { TimeWaitTable } from './time-wait';
import { TcpFlags } from './tcp-flags';
import { clientIsKeyA, directionOf, ipv6Key, ipv6SenderIsKeyA } from './tuple-key';
import type { CloseReason, Direction, Frame, StreamConsumer } from './types';

export type { ReassemblerOptions } from './reassembler-options';
export type { ReassemblyCounters } from './reassembly-counters';

const { SYN, ACK, FIN, RST } = TcpFlags;

/** Turns frames into ordered byte streams per TCP connection, delivered to a StreamConsumer. */
export class TcpReassembler {
  /** The segment being applied: the reassembler's own, or the engine's (processSegment). */
  private pkt = new DecodedPacket();
  private readonly table4 = new Ipv4ConnectionTable<ConnectionState>(1024);
  private readonly table6 = new Map<string, ConnectionState>();
  private readonly key6Scratch = Buffer.alloc(36);
  private readonly idle: IdleLists<ConnectionState>;
  private readonly timeWait = new TimeWaitTable();
  private active = 0;
  private nextId = 1;
  private now = 0;
  private nextCheck = 0;
  private readonly undecodable = new Float64Array(UNDECODABLE_REASONS.length);
  private readonly opts: ResolvedOptions;
  private readonly c = newCounters();
  private readonly delivery: StreamDelivery;

  constructor(
    private readonly consumer: StreamConsumer,
    opts: ReassemblerOptions = {},
  ) {
    this.opts = resolveOptions(opts);
    this.idle = new IdleLists(this.opts.idleTimeoutMs);
    this.delivery = new StreamDelivery(consumer, this.c, this.opts, (conn, ts) =>
      this.close(conn, 'fin', ts),
    );
  }

  /** Decodes one frame and feeds its TCP segment to its connection; bad packets are only counted. */
  processFrame(frame: Frame): void {
    const c = this.c;
    c.packets++;
    const data = frame.data;
    c.bytes += data.length;
    const ts = frame.ts;
    this.delivery.tsNanos = frame.tsNanos;
    if (ts > this.now) {
      this.now = ts;
      if (ts >= this.nextCheck) this.expire(ts);
    }
    let st = decodeFrame(data, frame.linktype, this.pkt, frame.origLen);
    // Alone, the reassembler has no use for UDP (the engine routes it to its flows).
    if (st === DecodeStatus.OK && this.pkt.protocol !== 6) st = DecodeStatus.NOT_TCP;
    if (st !== DecodeStatus.OK) {
      this.undecodable[st]++;
      return;
    }
    c.decoded++;
    if (this.pkt.shortFrame) c.shortFrames++;
    this.segment(data, ts);
  }

  /**
   * Feeds a TCP segment someone else decoded (the engine decodes each frame once): `pkt` describes
   * it within `data`. The frame counters (packets, bytes, decoded, undecodable) are the decoder's
   * then, not the reassembler's.
   */
  processSegment(pkt: DecodedPacket, data: Uint8Array, ts: number, tsNanos?: number): void {
    this.pkt = pkt;
    this.delivery.tsNanos = tsNanos;
    if (ts > this.now) {
      this.now = ts;
      if (ts >= this.nextCheck) this.expire(ts);
    }
    if (pkt.shortFrame) this.c.shortFrames++;
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
    this.timeWait.clear();
  }

  /**
   * Closes at most `max` connections, the least recently active first (the end of input in
   * batches, so that what they publish can be delivered between batches); the number closed.
   */
  closeOldest(reason: CloseReason, max: number): number {
    let closed = 0;
    let conn: ConnectionState | null;
    while (closed < max && (conn = this.idle.oldest()) !== null) {
      this.shutdown(conn, reason, this.now);
      closed++;
    }
    return closed;
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
    return {
      ...this.c,
      undecodable,
      connectionsActive: this.active,
      connectionsTimeWait: this.timeWait.size,
    };
  }

  /** Finds or opens the connection of the decoded segment and applies it. */
  private segment(data: Uint8Array, ts: number): void {
    const p = this.pkt;
    const c = this.c;
    let conn: ConnectionState | undefined;
    let ka = 0;
    let kb = 0;
    let kp = 0;
    let key6 = '';
    let fromA = true;
    if (p.ipVersion === 4) {
      const s = p.src4;
      const d = p.dst4;
      if (s < d || (s === d && p.srcPort <= p.dstPort)) {
        ka = s;
        kb = d;
        kp = (p.srcPort << 16) | p.dstPort;
      } else {
        fromA = false;
        ka = d;
        kb = s;
        kp = (p.dstPort << 16) | p.srcPort;
      }
      conn = this.table4.get(ka, kb, kp);
    } else {
      key6 = ipv6Key(data, p, this.key6Scratch);
      conn = this.table6.get(key6);
    }
    const flags = p.flags;
    if ((flags & (SYN | FIN | RST)) !== 0) {
      if ((flags & SYN) !== 0) c.synSegments++;
      if ((flags & FIN) !== 0) c.finSegments++;
      if ((flags & RST) !== 0) c.rstSegments++;
    }
    if (conn === undefined) {
      const tw = this.timeWait;
      const slot = tw.size === 0 ? -1 : key6 === '' ? tw.find4(ka, kb, kp) : tw.find6(key6);
      if (slot >= 0) {
        // A closed connection's tuple: only a SYN with a new sequence number starts a new one.
        if (key6 !== '') fromA = ipv6SenderIsKeyA(data, p);
        if ((flags & SYN) === 0 || tw.sameSyn(slot, fromA, (p.seq + 1) | 0)) {
          c.timeWaitSegments++;
          c.retransmittedBytes += p.payloadLength + p.missingBytes;
          return;
        }
        tw.remove(slot);
      }
      if ((flags & RST) !== 0 || ((flags & SYN) === 0 && p.payloadLength + p.missingBytes === 0)) {
        c.segmentsWithoutConnection++;
        return;
      }
      conn = this.open(data, ts, ka, kb, kp, key6);
    } else if ((flags & SYN) !== 0) {
      const next = this.synOnOpenConnection(conn, data, ts, ka, kb, kp, key6);
      if (next === undefined) return;
      conn = next;
    } else {
      conn.lastSeen = ts;
      this.idle.touch(conn);
    }
    const dir: Direction = directionOf(conn, p, data);
    const h = dir === 0 ? conn.h0 : conn.h1;
    const other = dir === 0 ? conn.h1 : conn.h0;
    if ((flags & RST) !== 0) {
      this.reset(conn, dir, h, other, data, ts);
      return;
    }
    let start = p.seq;
    if ((flags & SYN) !== 0) {
      start = (start + 1) | 0;
      if (!h.synSeen) {
        h.synSeen = true;
        h.synStart = start;
        h.wscale = windowScaleOption(data, p.tcpOffset, p.payloadOffset);
      }
      if (!h.init) h.start(start);
    } else if (!h.init) h.start(start);
    h.window = p.window;
    if ((flags & ACK) !== 0) {
      // The acknowledgment concerns the other direction and precedes this segment's own data.
      const ack = p.ack;
      if (!other.ackSeen || ((ack - other.ackTo) | 0) > 0) {
        other.ackSeen = true;
        other.ackTo = ack;
      }
      if ((other.segs !== null || (other.finPending && !other.finDone)) && ((ack - other.nextSeq) | 0) > 0) {
        this.delivery.ackedHole(conn, dir === 0 ? 1 : 0, other, ack, ts);
        if (conn.closed) return;
      }
    }
    const len = p.payloadLength;
    const missing = p.missingBytes;
    const end = (start + len + missing) | 0;
    if (((end - h.highEnd) | 0) > 0) h.highEnd = end;
    if (len + missing > 0)
      this.delivery.payload(conn, dir, h, start, data, p.payloadOffset, len, missing, ts);
    if ((flags & FIN) !== 0 && !h.finPending && !conn.closed) {
      h.finPending = true;
      h.finSeq = end;
      this.delivery.checkFin(conn, dir, h, ts);
    }
  }

  /**
   * A SYN on an open connection. The same sequence number is a retransmission. Another one starts
   * over when the peer never answered; in a synchronized connection it is ignored (RFC 5961 4.2)
   * until the peer accepts it with a SYN-ACK, which proves the tuple was reused.
   */
  private synOnOpenConnection(
    conn: ConnectionState,
    data: Uint8Array,
    ts: number,
    ka: number,
    kb: number,
    kp: number,
    key6: string,
  ): ConnectionState | undefined {
    const p = this.pkt;
    const dir = directionOf(conn, p, data);
    const h = dir === 0 ? conn.h0 : conn.h1;
    const other = dir === 0 ? conn.h1 : conn.h0;
    const start = (p.seq + 1) | 0;
    conn.lastSeen = ts;
    this.idle.touch(conn);
    if (!h.init || (h.synSeen ? start === h.synStart : start === h.baseSeq || start === h.nextSeq))
      return conn;
    if ((p.flags & ACK) !== 0) {
      if (conn.pendingSynDir === (dir ^ 1) && p.ack === ((conn.pendingSyn + 1) | 0)) {
        this.c.connectionsReused++;
        this.shutdown(conn, 'evicted', ts);
        const next = this.open(data, ts, ka, kb, kp, key6);
        // The SYN this answers was seen (and set aside) before: start the client's stream after it.
        next.h0.start(p.ack);
        next.h0.synSeen = true;
        next.h0.synStart = p.ack;
        return next;
      }
    } else if (!other.init) {
      // No answer yet: a new attempt from the same port (the old one was never seen closing).
      this.c.connectionsReused++;
      this.shutdown(conn, 'evicted', ts);
      return this.open(data, ts, ka, kb, kp, key6);
    } else {
      conn.pendingSynDir = dir;
      conn.pendingSyn = p.seq;
    }
    this.c.synInConnection++;
    this.consumer.onAnomaly?.(conn, dir, 'syn_in_connection', ts);
    return undefined;
  }

  /** An RST: ignored outside the window, else its data is delivered and the connection closes. */
  private reset(
    conn: ConnectionState,
    dir: Direction,
    h: HalfStream,
    other: HalfStream,
    data: Uint8Array,
    ts: number,
  ): void {
    const p = this.pkt;
    if (!rstAcceptable(p, h, other)) {
      this.c.rstIgnored++;
      this.consumer.onAnomaly?.(conn, dir, 'rst_out_of_window', ts);
      return;
    }
    this.c.connectionsReset++;
    const len = p.payloadLength;
    const missing = p.missingBytes;
    if (len + missing > 0) {
      if (!h.init) h.start(p.seq);
      this.delivery.payload(conn, dir, h, p.seq, data, p.payloadOffset, len, missing, ts);
    }
    if (!conn.closed) this.shutdown(conn, 'rst', ts);
  }

  /** Flushes both directions (gap + buffered data, then onFin) and closes the connection. */
  private shutdown(conn: ConnectionState, reason: CloseReason, ts: number): void {
    this.delivery.flush(conn, 0, conn.h0, ts);
    this.delivery.flush(conn, 1, conn.h1, ts);
    if (!conn.closed) this.close(conn, reason, ts);
  }

  /** Closes a connection; one closed by FIN or RST stays in the table in TIME_WAIT. */
  private close(conn: ConnectionState, reason: CloseReason, ts: number): void {
    conn.closed = true;
    const dropped = conn.h0.bufferedBytes + conn.h1.bufferedBytes;
    this.c.bufferedBytes -= dropped;
    conn.h0.segs = null;
    conn.h1.segs = null;
    conn.h0.bufferedBytes = 0;
    conn.h1.bufferedBytes = 0;
    this.idle.remove(conn);
    if (conn.ipVersion === 4) this.table4.delete(conn.keyA, conn.keyB, conn.keyP);
    else this.table6.delete(conn.key6);
    if ((reason === 'fin' || reason === 'rst') && this.opts.timeWaitMs > 0) this.enterTimeWait(conn, ts);
    this.active--;
    this.c.connectionsClosed++;
    if (reason === 'timeout') this.c.connectionsTimedOut++;
    else if (reason === 'evicted') this.c.connectionsEvicted++;
    this.consumer.onConnectionClose(conn, reason, ts);
  }

  /** Keeps the closed connection's tuple and SYNs in TIME_WAIT. */
  private enterTimeWait(conn: ConnectionState, ts: number): void {
    const clientA = clientIsKeyA(conn);
    const a = clientA ? conn.h0 : conn.h1;
    const b = clientA ? conn.h1 : conn.h0;
    const key6 = conn.ipVersion === 4 ? '' : conn.key6;
    this.timeWait.add(
      conn.keyA,
      conn.keyB,
      conn.keyP,
      key6,
      a.synSeen,
      a.synStart,
      b.synSeen,
      b.synStart,
      ts,
    );
    if (this.timeWait.size > this.opts.maxConnections)
      this.timeWait.expire(-Infinity, this.opts.maxConnections);
  }

  /** Expires idle connections (timestamped when they expired) and TIME_WAIT entries. */
  private expire(now: number): void {
    this.nextCheck = now + Math.min(this.opts.checkInterval, this.idle.minTimeout);
    let conn: ConnectionState | null;
    while ((conn = this.idle.expired(now)) !== null) {
      this.shutdown(conn, 'timeout', conn.lastSeen + this.idle.timeoutOf(conn));
    }
    this.timeWait.expire(now - this.opts.timeWaitMs, this.opts.maxConnections);
  }

  /** Creates and files a connection for the decoded segment (evicting the oldest one beyond maxConnections). */
  private open(
    data: Uint8Array,
    ts: number,
    ka: number,
    kb: number,
    kp: number,
    key6: string,
  ): ConnectionState {
    if (this.active >= this.opts.maxConnections) {
      const oldest = this.idle.oldest();
      if (oldest !== null) this.shutdown(oldest, 'evicted', ts);
    }
    const p = this.pkt;
    const srcIsClient = senderIsClient(p, this.opts.isServerPort);
    const conn = createConnection(p, data, srcIsClient, this.nextId++, ts, this.opts.idleTimeoutMs);
    if (p.ipVersion === 4) {
      conn.keyA = ka;
      conn.keyB = kb;
      conn.keyP = kp;
      this.table4.insert(ka, kb, kp, conn);
    } else {
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
}
