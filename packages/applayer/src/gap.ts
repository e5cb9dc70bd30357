// Recovering a parser after a gap in its stream: the message the gap hit is dropped and parsing
// resumes at the next message boundary. Delimiter-based protocols use GapResync directly;
// length-prefixed ones usually cannot resynchronise and drop the connection instead.
import type { Delimiter, StreamBuf } from '@wirebeat/streambuf';

/** Options of GapResync. */
export interface GapResyncOptions {
  /**
   * Recognises the first byte of a message. When a gap falls between two messages (nothing was
   * buffered) and the bytes after it start like a message, parsing resumes there instead of
   * skipping that message too: capture loss usually drops whole segments, which often hold whole
   * messages. Without it, parsing always resumes after the next delimiter.
   */
  isMessageStart?: (byte: number) => boolean;
}

/** Per-direction resynchronisation state: after a gap, skip up to and including the next delimiter. */
export class GapResync {
  private skipping = false;
  /** The gap came while no message was in progress: the next bytes may start a message. */
  private atBoundary = false;
  private readonly isMessageStart: ((byte: number) => boolean) | undefined;
  /** Bytes discarded while resynchronising (buffered partial message and bytes up to the delimiter). */
  discarded = 0;
  /** Set when parsing resumed right after a gap: the parser notes it on the next message. */
  resumedAfterGap = false;

  /** Creates the state of one direction; `delimiter` ends every message (e.g. 0x0a or "\r\n"). */
  constructor(
    private readonly delimiter: Delimiter,
    opts: GapResyncOptions = {},
  ) {
    this.isMessageStart = opts.isMessageStart;
  }

  /** True while the parser must not read messages (waiting for the next delimiter). */
  get active(): boolean {
    return this.skipping;
  }

  /**
   * Records a gap: drops everything buffered, since a partial message cannot be completed.
   * `inMessage` says whether a message had started (default: whether bytes were buffered).
   */
  onGap(buf: StreamBuf, inMessage = buf.length > 0): void {
    this.atBoundary = this.skipping ? this.atBoundary : !inMessage;
    this.discarded += buf.length;
    buf.clear();
    this.skipping = true;
  }

  /**
   * Skips input up to and including the next delimiter. True when synchronised (parse on),
   * false when more input is needed; memory stays bounded while no delimiter arrives.
   */
  resync(buf: StreamBuf): boolean {
    if (!this.skipping) return true;
    if (this.atBoundary && this.isMessageStart !== undefined && buf.available > 0) {
      this.atBoundary = false;
      if (this.isMessageStart(buf.peekByte(0)!)) {
        this.skipping = false;
        this.resumedAfterGap = true;
        return true;
      }
    }
    const skipped = buf.collectUntil(this.delimiter);
    if (skipped !== undefined) {
      this.discarded += skipped.length;
      buf.reset();
      this.skipping = false;
      this.atBoundary = false;
      return true;
    }
    // Keep only what could be the start of a multi-byte delimiter.
    const dlen = typeof this.delimiter === 'number' ? 1 : this.delimiter.length;
    const drop = buf.available - (dlen - 1);
    if (drop > 0) {
      buf.skip(drop);
      this.discarded += drop;
      buf.reset();
      this.atBoundary = false;
    }
    return false;
  }
}
