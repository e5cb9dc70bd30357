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
import { ConnectionState } from './connection';
import { Ipv4ConnectionTable } from './connection-table';
import { IdleLists } from './idle-lists';
import { DecodedPacket, DecodeStatus, decodeFrame, UNDECODABLE_REASONS } from './decoder';
import { ipv4ToString, ipv6ToString } from './ip-address';
import { resolveOptions, type ReassemblerOptions, type ResolvedOptions } from './reassembler-options';
import { newCounters, type ReassemblyCounters } from './reassembly-counters';
import { StreamDelivery } from './stream-delivery';
import { TcpFlags } from './tcp-flags';
import { directionOf, ipv6Key } from './tuple-key';
import type { CloseReason, Direction, Frame, StreamConsumer } from './types';

export type { ReassemblerOptions } from './reassembler-options';
export type { ReassemblyCounters } from './reassembly-counters';

const { SYN, ACK, FIN, RST } = TcpFlags;

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
      key6 = ipv6Key(data, p, this.key6Scratch);
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
    const dir: Direction = directionOf(conn, this.pkt, data);
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
        this.delivery.ackedHole(conn, dir === 0 ? 1 : 0, other, p.ack, ts);
        if (conn.closed) return;
      }
    }
    const len = p.payloadLength;
    const missing = p.missingBytes;
    if (len + missing > 0)
      this.delivery.payload(conn, dir, h, start, data, p.payloadOffset, len, missing, ts);
    if ((flags & FIN) !== 0 && !h.finPending && !conn.closed) {
      h.finPending = true;
      h.finSeq = (start + len + missing) | 0;
      this.delivery.checkFin(conn, dir, h, ts);
    }
  }

  /** Flushes both directions (gap + buffered data, then onFin) and closes the connection. */
  private shutdown(conn: ConnectionState, reason: CloseReason, ts: number): void {
    this.delivery.flush(conn, 0, conn.h0, ts);
    this.delivery.flush(conn, 1, conn.h1, ts);
    if (!conn.closed) this.close(conn, reason, ts);
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
    this.nextCheck = now + Math.min(this.opts.checkInterval, this.idle.minTimeout);
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
    if (this.active >= this.opts.maxConnections) {
      const oldest = this.idle.oldest();
      if (oldest !== null) this.shutdown(oldest, 'evicted', ts);
    }
    const p = this.pkt;
    const flags = p.flags;
    let srcIsClient = true;
    if ((flags & SYN) !== 0) srcIsClient = (flags & ACK) === 0;
    else if (this.opts.isServerPort !== undefined) {
      const dstServer = this.opts.isServerPort(p.dstPort);
      const srcServer = this.opts.isServerPort(p.srcPort);
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
        this.opts.idleTimeoutMs,
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
        this.opts.idleTimeoutMs,
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
    const h = directionOf(conn, this.pkt, data) === 0 ? conn.h0 : conn.h1;
    if (!h.init) return false;
    const start = (this.pkt.seq + 1) | 0;
    return h.synSeen ? start !== h.synStart : start !== h.nextSeq;
  }
}
