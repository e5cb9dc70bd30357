// What the format parsers share with the PcapReader: the bytes in hand, the position in them,
// counters and warnings. Parsers advance `pos`; the reader refills `buf`.
import {
  CorruptCaptureWarning,
  TimestampOutOfRangeWarning,
  UndeclaredInterfaceWarning,
  UnsupportedLinkTypeWarning,
  type CaptureWarning,
} from './errors';
import type { Frame } from './types';

const EMPTY = new Uint8Array(0);
/** Latest time an ISO 8601 @timestamp can carry with a 4-digit year: 9999-12-31T23:59:59.999Z. */
export const MAX_TIMESTAMP_MS = 253402300799999;

/** The first occurrence of a per-packet problem, for its summary warning. */
interface FirstSeen {
  offset: number;
  records: number;
  value: number;
}

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
  /** Packets skipped because their timestamp is outside years 1970..9999. */
  framesBadTimestamp = 0;
  /** pcapng packets skipped because their interface was never declared. */
  framesUndeclaredInterface = 0;
  /** Frames delivered whose link type the decoder does not support. */
  framesUnsupportedLinktype = 0;
  /** A parser met damage it cannot read past: the reader stops. */
  stopped = false;
  readonly warnings: CaptureWarning[] = [];
  private firstBadTimestamp: FirstSeen | undefined;
  private firstUndeclared: FirstSeen | undefined;
  private firstUnsupported: FirstSeen | undefined;
  private readonly unsupportedLinktypes = new Set<number>();
  private summarized = false;

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

  /** Counts a packet skipped for its timestamp (`startOffset`: where its record starts). */
  badTimestamp(ms: number, startOffset: number): void {
    if (this.framesBadTimestamp++ === 0)
      this.firstBadTimestamp = { offset: startOffset, records: this.framesRead, value: ms };
  }

  /** Counts a packet skipped because interface `id` was not declared. */
  undeclaredInterface(id: number, startOffset: number): void {
    if (this.framesUndeclaredInterface++ === 0)
      this.firstUndeclared = { offset: startOffset, records: this.framesRead, value: id };
  }

  /** Counts `n` frames of a link type the decoder does not support. */
  unsupportedLinktype(linktype: number, n: number, startOffset: number): void {
    if (n <= 0) return;
    if (this.framesUnsupportedLinktype === 0)
      this.firstUnsupported = { offset: startOffset, records: this.framesRead - n, value: linktype };
    this.framesUnsupportedLinktype += n;
    this.unsupportedLinktypes.add(linktype);
  }

  /** Adds one warning per kind of skipped or undecodable packet (once, when reading ends). */
  summarize(): void {
    if (this.summarized) return;
    this.summarized = true;
    const n = this.name;
    const t = this.firstBadTimestamp;
    if (t !== undefined)
      this.warn(new TimestampOutOfRangeWarning(n, t.offset, t.records, this.framesBadTimestamp, t.value));
    const u = this.firstUndeclared;
    if (u !== undefined)
      this.warn(
        new UndeclaredInterfaceWarning(n, u.offset, u.records, this.framesUndeclaredInterface, u.value),
      );
    const l = this.firstUnsupported;
    if (l !== undefined)
      this.warn(
        new UnsupportedLinkTypeWarning(n, l.offset, l.records, this.framesUnsupportedLinktype, [
          ...this.unsupportedLinktypes,
        ]),
      );
  }

  /** Counts and returns a frame; `origLen` is raised to the captured length when smaller. */
  frame(ts: number, linktype: number, data: Uint8Array, origLen: number, tsNanos?: number): Frame {
    this.framesRead++;
    if (origLen > data.length) this.framesTruncated++;
    return { ts, tsNanos, linktype, data, origLen: origLen > data.length ? origLen : data.length };
  }
}

/** Reads the frames of one capture format out of a CaptureState. */
export interface RecordParser {
  /**
   * The next frame, or undefined when more input is needed (or `stopped` was set). With `into`, a
   * parser may fill and return that object instead of making one (a reader whose frames live only
   * for a call makes no object per frame).
   */
  next(into?: Frame): Frame | undefined;
  /** Reading ended: report what is only known at the end. */
  finish?(): void;
}
