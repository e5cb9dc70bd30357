// What the format parsers share with the PcapReader: the bytes in hand, the position in them,
// counters and warnings. Parsers advance `pos`; the reader refills `buf`.
import { CorruptCaptureWarning, type CaptureWarning } from './errors';
import type { Frame } from './types';

const EMPTY = new Uint8Array(0);

/** Buffer, cursor, counters and warnings of one capture being read. */
export class CaptureState {
  buf: Uint8Array = EMPTY;
  pos = 0;
  end = 0;
  /** Input offset of buf[0]. */
  base = 0;
  /** Bytes the record at `pos` needs, for the truncation warning and the next read size. */
  need = 0;
  /** Frames delivered so far. */
  framesRead = 0;
  /** Frames whose captured length is shorter than their wire length (snaplen cut). */
  framesTruncated = 0;
  /** pcapng blocks skipped (unknown types, or packets of undeclared interfaces). */
  blocksSkipped = 0;
  /** A parser met damage it cannot read past: the reader stops. */
  stopped = false;
  readonly warnings: CaptureWarning[] = [];

  constructor(readonly name: string) {}

  /** Bytes of the input consumed so far. */
  get bytesRead(): number {
    return this.base + this.pos;
  }

  /** Records a non-fatal problem. */
  warn(w: CaptureWarning): void {
    this.warnings.push(w);
  }

  /** Records damage that stops the reading (an impossible length). */
  corrupt(what: string): undefined {
    this.warn(new CorruptCaptureWarning(this.name, this.bytesRead, this.framesRead, what));
    this.stopped = true;
    return undefined;
  }

  /** Counts and returns a frame; `origLen` is raised to the captured length when smaller. */
  frame(ts: number, linktype: number, data: Uint8Array, origLen: number): Frame {
    this.framesRead++;
    if (origLen > data.length) this.framesTruncated++;
    return { ts, linktype, data, origLen: origLen > data.length ? origLen : data.length };
  }
}

/** Reads the frames of one capture format out of a CaptureState. */
export interface RecordParser {
  /** The next frame, or undefined when more input is needed (or `stopped` was set). */
  next(): Frame | undefined;
}
