// Out-of-order segments of one direction: copies kept sorted by sequence number, trimmed around
// what is already buffered (the first copy received wins).
import type { BufferedSegment, HalfStream } from './connection';
import type { MutableCounters } from './reassembly-counters';

const EMPTY = new Uint8Array(0);

/**
 * Stores a copy of an early segment that starts `rel` bytes after h.nextSeq, trimmed around
 * already-buffered bytes; counts the trimmed bytes as retransmitted.
 */
export function bufferSegment(
  h: HalfStream,
  rel: number,
  view: Uint8Array,
  missing: number,
  c: MutableCounters,
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
      insertPiece(h, i, next, rel, view, s, rs, c);
      i++;
    }
    s = Math.max(s, re);
  }
  if (s < e) insertPiece(h, i, next, rel, view, s, e, c);
  const kept = h.bufferedBytes - before;
  if (trimmed) {
    c.retransmittedBytes += len - kept;
    if (kept > 0) c.overlaps++;
  }
}

/** Inserts the part [ps, pe) (relative to nextSeq) of a segment starting at rel, as a copy. */
function insertPiece(
  h: HalfStream,
  at: number,
  next: number,
  rel: number,
  view: Uint8Array,
  ps: number,
  pe: number,
  c: MutableCounters,
): void {
  const len = view.length;
  const ds = ps - rel;
  const de = pe - rel;
  // Copy: the frame's buffer may be reused for the next packet (live capture). A plain Uint8Array
  // like the frames (see PcapReader), of its own memory: a segment may be held for long.
  const data = ds < len ? new Uint8Array(view.subarray(ds, Math.min(de, len))) : EMPTY;
  const seg: BufferedSegment = {
    seq: (next + ps) | 0,
    data,
    missing: de > len ? de - Math.max(ds, len) : 0,
  };
  (h.segs as BufferedSegment[]).splice(at, 0, seg);
  h.bufferedBytes += seg.data.length;
  c.bufferedBytes += seg.data.length;
}
