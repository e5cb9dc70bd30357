// Frames travel to a worker packed into one ArrayBuffer, transferred (not copied) with one
// postMessage per batch. A record is a 32-byte header
// (ts, the packet clock before the frame, link type, wire length, captured length, nanoseconds) and the bytes,
// padded to 8 so that the next header is aligned for the typed-array views.
import type { Frame } from '@wirebeat/tcp-reassembly';

const HEADER = 32;
/** Default batch size: a few thousand small frames per message. */
export const BATCH_BYTES = 1024 * 1024;

/** A batch ready to be posted: its buffer, the bytes used and the frames in it. */
export interface FrameBatch {
  buffer: ArrayBuffer;
  length: number;
  frames: number;
}

/** Packs frames into a batch buffer. */
export class FrameBatchWriter {
  private buffer: ArrayBuffer;
  private f64: Float64Array;
  private u32: Uint32Array;
  private u8: Uint8Array;
  private pos = 0;
  /** Frames in the current batch. */
  frames = 0;

  /** Starts with `buffer` (a recycled one) or a new one of BATCH_BYTES. */
  constructor(buffer: ArrayBuffer = new ArrayBuffer(BATCH_BYTES)) {
    this.buffer = buffer;
    this.f64 = new Float64Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.u8 = new Uint8Array(buffer);
  }

  /** True when `frame` fits in what is left of the buffer. */
  fits(frame: Frame): boolean {
    return this.pos + HEADER + frame.data.length <= this.buffer.byteLength;
  }

  /** Appends a frame (the caller checked fits(), or the buffer is empty and grows); `clock` is the packet time before it. */
  add(frame: Frame, clock: number): void {
    const n = frame.data.length;
    if (this.pos + HEADER + n > this.buffer.byteLength) this.grow(HEADER + n);
    const at = this.pos;
    this.f64[at >> 3] = frame.ts;
    this.f64[(at >> 3) + 1] = clock;
    const w = (at >> 2) + 4;
    this.u32[w] = frame.linktype;
    this.u32[w + 1] = frame.origLen;
    this.u32[w + 2] = n;
    // The nanoseconds below ts's microsecond (pcapng), plus one: 0 says the frame has none.
    this.u32[w + 3] = frame.tsNanos === undefined ? 0 : frame.tsNanos + 1;
    this.u8.set(frame.data, at + HEADER);
    this.pos = at + HEADER + ((n + 7) & ~7);
    this.frames++;
  }

  /** Hands out the batch and continues in `next` (a recycled buffer, or a new one). */
  take(next: ArrayBuffer = new ArrayBuffer(BATCH_BYTES)): FrameBatch {
    const batch = { buffer: this.buffer, length: this.pos, frames: this.frames };
    this.buffer = next;
    this.f64 = new Float64Array(next);
    this.u32 = new Uint32Array(next);
    this.u8 = new Uint8Array(next);
    this.pos = 0;
    this.frames = 0;
    return batch;
  }

  /** A frame larger than the batch (jumbo frames with a small batch): the buffer grows, keeping what it holds. */
  private grow(need: number): void {
    const bigger = new ArrayBuffer(Math.max(this.buffer.byteLength * 2, this.pos + need));
    new Uint8Array(bigger).set(this.u8.subarray(0, this.pos));
    const frames = this.frames;
    const pos = this.pos;
    this.take(bigger);
    this.pos = pos;
    this.frames = frames;
  }
}

/** Calls `each(frame, clock)` for every frame of a batch; the frame object and its data are reused. */
export function readFrameBatch(
  buffer: ArrayBuffer,
  length: number,
  each: (frame: Frame, clock: number) => void,
): void {
  const f64 = new Float64Array(buffer);
  const u32 = new Uint32Array(buffer);
  // Plain Uint8Array views, as frames are from the capture reader and the live source (one kind
  // of byte array for the engine's code: see tcp-reassembly's PcapReader).
  const u8 = new Uint8Array(buffer);
  const frame: Frame = { ts: 0, linktype: 0, data: u8, origLen: 0 };
  let at = 0;
  while (at < length) {
    frame.ts = f64[at >> 3];
    const clock = f64[(at >> 3) + 1];
    const w = (at >> 2) + 4;
    frame.linktype = u32[w];
    frame.origLen = u32[w + 1];
    const n = u32[w + 2];
    const nanos = u32[w + 3];
    frame.tsNanos = nanos === 0 ? undefined : nanos - 1;
    frame.data = u8.subarray(at + HEADER, at + HEADER + n);
    each(frame, clock);
    at += HEADER + ((n + 7) & ~7);
  }
}
