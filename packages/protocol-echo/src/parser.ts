// Splits one direction of an echo connection into newline-terminated messages.
import { GapResync, Notes, addNote, type Direction, type Message, type TcpTuple } from '@wirebeat/applayer';
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';

const NEWLINE = 0x0a;
const TOO_LONG_NOTE = 'message longer than max_message_size: text not kept';

/** First byte of an echo message: '>' request, '<' response, '!' error response, '' none of these. */
export type EchoMarker = '>' | '<' | '!' | '';

/** One echo message. */
export interface EchoMessage extends Message {
  marker: EchoMarker;
  /** The message without its marker and newline (what `request` / `response` publish). */
  text: string;
  /** The whole line without the newline. */
  line: string;
  /** A gap cut the message short: `text` and `size` are what was seen, the rest is unknown. */
  truncated: boolean;
}

const isRequestStart = (byte: number): boolean => byte === 0x3e;
const isResponseStart = (byte: number): boolean => byte === 0x3c || byte === 0x21;

function markerOf(byte: number): EchoMarker {
  return byte === 0x3e ? '>' : byte === 0x3c ? '<' : byte === 0x21 ? '!' : '';
}

/** Message parser of one direction; feed it segments and receive complete messages. */
export class EchoParser {
  private readonly buf: StreamBuf;
  private readonly resync: GapResync;
  /** Time of the first segment of the message being assembled. */
  private startTs = 0;
  /** Bytes so far of an over-long line being skipped, or -1. */
  private longBytes = -1;
  private longMarker: EchoMarker = '';

  /** Creates the parser of one direction of a connection. */
  constructor(
    private readonly tuple: TcpTuple,
    private readonly direction: Direction,
    maxMessageSize: number,
  ) {
    this.buf = new StreamBuf({ maxSize: maxMessageSize });
    // After a gap between messages, a line starting with this direction's marker is taken whole.
    this.resync = new GapResync(NEWLINE, {
      isMessageStart: direction === 0 ? isRequestStart : isResponseStart,
    });
  }

  /**
   * Parses a segment, calling onMessage for every complete message. The segment is borrowed:
   * whole messages are decoded in place, only an unfinished tail is copied. An unfinished line
   * that outgrows max_message_size is not kept: it is counted until its newline and becomes a
   * message without text, with a note.
   */
  parse(payload: Uint8Array, ts: number, onMessage: (msg: EchoMessage) => void): void {
    const buf = this.buf;
    if (buf.length === 0 && this.longBytes < 0) {
      this.startTs = ts;
      if (!this.resync.active) {
        // Nothing buffered: the segment's whole lines are read in place, without a view each.
        let pos = 0;
        for (;;) {
          const nl = payload.indexOf(NEWLINE, pos);
          if (nl < 0) break;
          onMessage(this.message(payload, pos, nl + 1, ts));
          pos = nl + 1;
        }
        if (pos === payload.length) return;
        if (pos > 0) payload = payload.subarray(pos);
      }
    }
    buf.borrow(payload);
    for (;;) {
      if (this.longBytes >= 0) {
        const tail = buf.collectUntil(NEWLINE);
        if (tail === undefined) {
          this.longBytes += buf.available;
          buf.clear();
          break;
        }
        onMessage(this.oversized(this.longBytes + tail.length));
        buf.reset();
        this.startTs = ts;
        continue;
      }
      if (!this.resync.resync(buf)) break;
      const line = buf.collectUntil(NEWLINE);
      if (line === undefined) break;
      onMessage(this.message(line, 0, line.length, this.startTs));
      buf.reset();
      this.startTs = ts;
    }
    buf.settle();
    if (buf.failed) {
      // reset() only clears the error here: nothing was consumed, the line starts at the mark.
      buf.reset();
      this.longMarker = markerOf(buf.peekByte(0) ?? 0);
      this.longBytes = buf.length;
      buf.clear();
    }
  }

  /**
   * A gap hit this direction. A message it cut short is still published, truncated and with a note,
   * so that its transaction is not lost; true when there was one. Parsing resumes after the next
   * newline, or right after the gap when the bytes there start like a message of this direction.
   */
  gap(onMessage: (msg: EchoMessage) => void): boolean {
    const buf = this.buf;
    let cut: EchoMessage | undefined;
    if (this.longBytes >= 0) cut = this.oversized(this.longBytes);
    else if (!this.resync.active && buf.available > 0) {
      const rest = buf.collect(buf.available)!;
      cut = this.message(rest, 0, rest.length, this.startTs);
    }
    if (cut === undefined) {
      this.resync.onGap(buf, buf.length > 0);
      return false;
    }
    cut.truncated = true;
    addNote(cut, Notes.messageHitByGap);
    // The cut message is published, so the parser stands between messages as far as it knows.
    this.resync.onGap(buf, false);
    onMessage(cut);
    return true;
  }

  /** At the end of the stream, an unterminated line still becomes a message (with a note). */
  flush(onMessage: (msg: EchoMessage) => void): void {
    const buf = this.buf;
    if (this.longBytes >= 0) {
      const msg = this.oversized(this.longBytes);
      addNote(msg, Notes.incompleteMessage);
      onMessage(msg);
    }
    if (this.resync.active || buf.available === 0) {
      buf.clear();
      return;
    }
    const rest = buf.collect(buf.available)!;
    const msg = this.message(rest, 0, rest.length, this.startTs);
    addNote(msg, Notes.incompleteMessage);
    buf.clear();
    onMessage(msg);
  }

  /** The message of a line that was too long to keep: its size and marker, no text. */
  private oversized(size: number): EchoMessage {
    const marker = this.longMarker;
    this.longBytes = -1;
    return {
      ts: this.startTs,
      tuple: this.tuple,
      transport: 'tcp',
      direction: this.direction,
      isRequest: this.direction === 0,
      size,
      notes: [TOO_LONG_NOTE],
      marker,
      text: '',
      line: marker,
      truncated: false,
    };
  }

  /** The message of bytes[from, to): a line with or without its newline. */
  private message(bytes: Uint8Array, from: number, to: number, ts: number): EchoMessage {
    const size = to - from;
    const end = size > 0 && bytes[to - 1] === NEWLINE ? to - 1 : to;
    const marker = size > 0 ? markerOf(bytes[from]) : '';
    const line = decodeUtf8(bytes, from, end);
    const msg: EchoMessage = {
      ts,
      tuple: this.tuple,
      transport: 'tcp',
      direction: this.direction,
      isRequest: this.direction === 0,
      size,
      notes: undefined,
      marker,
      text: marker === '' ? line : line.slice(1),
      line,
      truncated: false,
    };
    if (this.resync.resumedAfterGap) {
      this.resync.resumedAfterGap = false;
      addNote(msg, Notes.messageAfterGap);
    }
    return msg;
  }
}
