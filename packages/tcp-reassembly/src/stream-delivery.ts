// In-order delivery of one direction's bytes: trimming of retransmissions and overlaps, draining
// the reorder buffer, gaps (acknowledged holes, buffer limits, shutdown) and FIN ordering.
import type { ConnectionState, HalfStream, BufferedSegment } from './connection';
import type { BufferLimits } from './reassembler-options';
import type { MutableCounters } from './reassembly-counters';
import { bufferSegment } from './reorder-buffer';
import type { Direction, StreamConsumer } from './types';

const EMPTY = new Uint8Array(0);
/**
 * Bytes before the start of a stream that may still arrive as retransmissions: a connection picked
 * up mid-stream can see earlier segments late, within about a window.
 */
const JUMP_SLACK = 1 << 24;

/** Delivers the bytes of connections in order to a consumer; closing is left to the owner. */
export class StreamDelivery {
  /**
   * Nanoseconds below the current packet's microsecond (undefined for microsecond captures), set
   * by the owner per packet: every delivery happens at the time of the packet being applied.
   */
  tsNanos: number | undefined = undefined;

  constructor(
    private readonly consumer: StreamConsumer,
    private readonly c: MutableCounters,
    private readonly limits: BufferLimits,
    /** Called when both directions reached their FIN. */
    private readonly onBothFins: (conn: ConnectionState, ts: number) => void,
  ) {}

  /**
   * Applies payload starting at sequence `seq`: buffers a copy when it is early, else delivers the
   * parts that neither were delivered before nor are already buffered (the first copy wins).
   */
  payload(
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
      // Behind by more than the whole stream so far: not a retransmission but a jump of 2^31 or more.
      if (-rel > ((h.nextSeq - h.baseSeq) >>> 0) + JUMP_SLACK) {
        this.c.sequenceJumps++;
        this.consumer.onAnomaly?.(conn, dir, 'sequence_jump', ts);
      } else this.c.retransmittedBytes += total;
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

  /** The peer acknowledged bytes up to `ack` that the capture never showed: they are a gap. */
  ackedHole(conn: ConnectionState, dir: Direction, h: HalfStream, ack: number, ts: number): void {
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
  checkFin(conn: ConnectionState, dir: Direction, h: HalfStream, ts: number): void {
    if (h.finDone || h.nextSeq !== h.finSeq) return;
    h.finDone = true;
    h.nextSeq = (h.nextSeq + 1) | 0;
    this.consumer.onFin(conn, dir, ts);
    if (!conn.closed && conn.h0.finDone && conn.h1.finDone) this.onBothFins(conn, ts);
  }

  /**
   * Shutdown of one direction: every hole becomes a gap, buffered data is delivered, bytes the peer
   * acknowledged but the capture never showed become a gap, then onFin.
   */
  flush(conn: ConnectionState, dir: Direction, h: HalfStream, ts: number): void {
    while (h.segs !== null && !conn.closed) this.skipHole(conn, dir, h, ts);
    if (h.ackSeen && h.init && !h.finDone && !conn.closed) {
      let n = (h.ackTo - h.nextSeq) | 0;
      if (h.finPending) n = Math.min(n, (h.finSeq - h.nextSeq) | 0);
      if (n > 0 && n < JUMP_SLACK) {
        h.nextSeq = (h.nextSeq + n) | 0;
        this.gap(conn, dir, n, ts);
      }
    }
    if (!h.finDone && !conn.closed) {
      h.finDone = true;
      this.consumer.onFin(conn, dir, ts);
    }
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
      this.consumer.onData(conn, dir, bytes, ts, this.tsNanos);
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

  /** Buffers an early segment, then skips holes while a buffer limit is exceeded. */
  private buffer(
    conn: ConnectionState,
    dir: Direction,
    h: HalfStream,
    rel: number,
    view: Uint8Array,
    missing: number,
    ts: number,
  ): void {
    const c = this.c;
    bufferSegment(h, rel, view, missing, c);
    const connBuffered = conn.h0.bufferedBytes + conn.h1.bufferedBytes;
    if (connBuffered > c.reorderHighWater) c.reorderHighWater = connBuffered;
    const lim = this.limits;
    while (
      h.segs !== null &&
      !conn.closed &&
      (conn.h0.bufferedBytes + conn.h1.bufferedBytes > lim.maxConnBuffer ||
        c.bufferedBytes > lim.maxTotalBuffer ||
        h.segs.length > lim.maxSegments)
    ) {
      c.bufferLimitHits++;
      this.skipHole(conn, dir, h, ts);
    }
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
}
