// A message parser for protocols of one message per line (newline-terminated). It owns everything
// such protocols share: in-place splitting of whole lines, buffering of an unfinished one up to a
// size limit, resynchronisation after a gap, truncated-message and incomplete-message notes, and the
// message metadata (time, tuple, direction, size on the wire). The protocol only decodes a line.
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';
import { GapResync } from './gap';
import { addNote, type Message } from './message';
import { Notes } from './notes';
import { transportOf, type Direction, type TcpTuple } from './plugin';

const NEWLINE = 0x0a;

/** Options of a {@link LineParser}. */
export interface LineParserOptions<B extends object> {
  /** Longest unfinished line kept while waiting for its newline, in bytes. */
  maxMessageSize: number;
  /** The protocol's fields of one line (UTF-8, without its newline). */
  decode(line: string): B;
  /**
   * Recognises the first byte of a message of this direction: after a gap between messages, bytes
   * starting with it are taken as a message instead of skipping to the next newline.
   */
  isMessageStart?(byte: number): boolean;
  /** Bytes that type a message: a line over maxMessageSize is decoded from such a first byte alone. */
  isMarker?(byte: number): boolean;
}

/** A parsed line: the protocol's fields plus the common message fields. */
export type LineMessage<B extends object> = B & Message;

/** Splits one direction of a connection into line messages; feed it segments, receive messages. */
export class LineParser<B extends object> {
  // Most connections sit between messages: the buffer, the resync state and the start time of an
  // unfinished line only exist once a segment ends inside a line or a gap hits (hundreds of
  // thousands of idle connections would otherwise hold a few hundred bytes each for nothing).
  private partial: PartialLine | undefined = undefined;

  private readonly opts: LineParserOptions<B>;

  /**
   * Creates the parser of one direction of a connection. Parsers with equal options share one
   * options object, so a protocol may build its options in each parser's constructor.
   */
  constructor(
    private readonly tuple: TcpTuple,
    private readonly direction: Direction,
    opts: LineParserOptions<B>,
  ) {
    this.opts = sharedOptions(opts);
  }

  /** The state of an unfinished line, made on first use. */
  private get state(): PartialLine {
    return (this.partial ??= new PartialLine(this.opts));
  }

  /**
   * Parses a segment, calling onMessage for every complete line. The segment is borrowed: whole
   * lines are decoded in place, only an unfinished tail is copied. An unfinished line that outgrows
   * maxMessageSize is not kept: it is counted until its newline and becomes a message with a note.
   */
  parse(payload: Uint8Array, ts: number, onMessage: (msg: LineMessage<B>) => void): void {
    let st = this.partial;
    if (st === undefined || (st.buf.length === 0 && st.longBytes < 0)) {
      if (st !== undefined) st.startTs = ts;
      if (st === undefined || !st.resync.active) {
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
    if (st === undefined) {
      st = this.state;
      st.startTs = ts;
    }
    const buf = st.buf;
    buf.borrow(payload);
    for (;;) {
      if (st.longBytes >= 0) {
        const tail = buf.collectUntil(NEWLINE);
        if (tail === undefined) {
          st.longBytes += buf.available;
          buf.clear();
          break;
        }
        onMessage(this.oversized(st, st.longBytes + tail.length));
        buf.reset();
        st.startTs = ts;
        continue;
      }
      if (!st.resync.resync(buf)) break;
      const line = buf.collectUntil(NEWLINE);
      if (line === undefined) break;
      onMessage(this.message(line, 0, line.length, st.startTs));
      buf.reset();
      st.startTs = ts;
    }
    buf.settle();
    if (buf.failed) {
      // reset() only clears the error here: nothing was consumed, the line starts at the mark.
      buf.reset();
      const first = buf.peekByte(0) ?? 0;
      st.longHead = this.opts.isMarker?.(first) ? String.fromCharCode(first) : '';
      st.longBytes = buf.length;
      buf.clear();
    }
  }

  /**
   * A gap hit this direction. A message it cut short is still published, truncated and with a note,
   * so that its transaction is not lost; true when there was one. Parsing resumes after the next
   * newline, or right after the gap when the bytes there start like a message of this direction.
   */
  gap(onMessage: (msg: LineMessage<B>) => void): boolean {
    const st = this.state;
    const buf = st.buf;
    let cut: LineMessage<B> | undefined;
    if (st.longBytes >= 0) cut = this.oversized(st, st.longBytes);
    else if (!st.resync.active && buf.available > 0) {
      const rest = buf.collect(buf.available)!;
      cut = this.message(rest, 0, rest.length, st.startTs);
    }
    if (cut === undefined) {
      st.resync.onGap(buf, buf.length > 0);
      return false;
    }
    cut.truncated = true;
    addNote(cut, Notes.messageHitByGap);
    // The cut message is published, so the parser stands between messages as far as it knows.
    st.resync.onGap(buf, false);
    onMessage(cut);
    return true;
  }

  /** At the end of the stream, an unterminated line still becomes a message (with a note). */
  flush(onMessage: (msg: LineMessage<B>) => void): void {
    const st = this.partial;
    if (st === undefined) return;
    const buf = st.buf;
    if (st.longBytes >= 0) {
      const msg = this.oversized(st, st.longBytes);
      addNote(msg, Notes.incompleteMessage);
      onMessage(msg);
    }
    if (st.resync.active || buf.available === 0) {
      buf.clear();
      return;
    }
    const rest = buf.collect(buf.available)!;
    const msg = this.message(rest, 0, rest.length, st.startTs);
    addNote(msg, Notes.incompleteMessage);
    buf.clear();
    onMessage(msg);
  }

  /** The message of a line that was too long to keep: its size and marker, no text. */
  private oversized(st: PartialLine, size: number): LineMessage<B> {
    st.longBytes = -1;
    const msg = this.stamp(this.opts.decode(st.longHead), size, st.startTs);
    msg.notes = [Notes.messageTooLong];
    return msg;
  }

  /** The message of bytes[from, to): a line with or without its newline. */
  private message(bytes: Uint8Array, from: number, to: number, ts: number): LineMessage<B> {
    const size = to - from;
    const end = size > 0 && bytes[to - 1] === NEWLINE ? to - 1 : to;
    const msg = this.stamp(this.opts.decode(decodeUtf8(bytes, from, end)), size, ts);
    const st = this.partial;
    if (st !== undefined && st.resync.resumedAfterGap) {
      st.resync.resumedAfterGap = false;
      addNote(msg, Notes.messageAfterGap);
    }
    return msg;
  }

  /**
   * The message: the common message fields, then what the protocol decoded. The message is made
   * here rather than by adding fields to the protocol's object: an object literal keeps only its
   * own fields inline, the others in a separate, larger array; a LineMessageFields instance keeps
   * them all inline (pending requests are one per open connection, so this is most of their size).
   */
  private stamp(fields: B, size: number, ts: number): LineMessage<B> {
    const msg = Object.assign(new LineMessageFields(), fields);
    msg.ts = ts;
    msg.tuple = this.tuple;
    msg.size = size;
    msg.notes = undefined;
    msg.setFlags(this.direction, transportOf(this.tuple));
    return msg as LineMessage<B>;
  }
}

/** LineMessageFields flags: the direction (its value), then one bit each. */
const DIRECTION = 1;
const TRUNCATED = 2;
const UDP = 4;
/** Set when isRequest was assigned a value other than `direction === 0` (no parser does). */
const REQUEST_SET = 8;
const REQUEST = 16;

/**
 * The common fields of a line message, in the order every message has them. A pending request is
 * one of these per open connection: direction, transport, isRequest and truncated are bits of one
 * small integer (one field instead of four), read and written as plain fields.
 */
class LineMessageFields {
  ts = 0;
  tuple: TcpTuple | undefined = undefined;
  size = 0;
  notes: string[] | undefined = undefined;
  raw: string | undefined = undefined;
  /** DIRECTION, TRUNCATED, UDP, REQUEST_SET and REQUEST bits. */
  private flags = 0;

  /** Sets the direction and transport (isRequest follows the direction, truncated is cleared). */
  setFlags(direction: Direction, transport: 'tcp' | 'udp'): void {
    this.flags = direction | (transport === 'udp' ? UDP : 0);
  }

  /** 0: from the client, 1: from the server. */
  get direction(): Direction {
    return (this.flags & DIRECTION) as Direction;
  }
  set direction(dir: Direction) {
    this.flags = (this.flags & ~DIRECTION) | (dir & DIRECTION);
  }

  /** The tuple's transport. */
  get transport(): 'tcp' | 'udp' {
    return (this.flags & UDP) !== 0 ? 'udp' : 'tcp';
  }
  set transport(transport: 'tcp' | 'udp') {
    this.flags = transport === 'udp' ? this.flags | UDP : this.flags & ~UDP;
  }

  /** Sent by the client (direction 0), unless assigned otherwise. */
  get isRequest(): boolean {
    return (this.flags & REQUEST_SET) !== 0 ? (this.flags & REQUEST) !== 0 : (this.flags & DIRECTION) === 0;
  }
  set isRequest(on: boolean) {
    this.flags = (this.flags & ~REQUEST) | REQUEST_SET | (on ? REQUEST : 0);
  }

  /** A gap cut the message short. */
  get truncated(): boolean {
    return (this.flags & TRUNCATED) !== 0;
  }
  set truncated(on: boolean) {
    this.flags = on ? this.flags | TRUNCATED : this.flags & ~TRUNCATED;
  }
}

/** The last options objects seen, most recent first: parsers given equal ones share one. */
const optionsInUse: Array<LineParserOptions<never>> = [];

/** An options object equal to `opts`, shared by every parser given equal ones. */
function sharedOptions<B extends object>(opts: LineParserOptions<B>): LineParserOptions<B> {
  const same = (optionsInUse as Array<LineParserOptions<B>>).find(
    (o) =>
      o.decode === opts.decode &&
      o.maxMessageSize === opts.maxMessageSize &&
      o.isMarker === opts.isMarker &&
      o.isMessageStart === opts.isMessageStart,
  );
  if (same !== undefined) return same;
  // A few protocols and directions at a time; a parser whose decode is its own closure shares nothing.
  optionsInUse.unshift(opts as LineParserOptions<never>);
  if (optionsInUse.length > 8) optionsInUse.pop();
  return opts;
}

/** What a LineParser keeps of an unfinished line, and its resynchronisation after a gap. */
class PartialLine {
  readonly buf: StreamBuf;
  readonly resync: GapResync;
  /** Time of the first segment of the message being assembled. */
  startTs = 0;
  /** Bytes so far of an over-long line being skipped, or -1. */
  longBytes = -1;
  /** What an over-long line is decoded from: its marker, or nothing. */
  longHead = '';

  /** State for a parser with `opts`. */
  constructor(opts: { maxMessageSize: number; isMessageStart?(byte: number): boolean }) {
    this.buf = new StreamBuf({ maxSize: opts.maxMessageSize });
    this.resync = new GapResync(NEWLINE, { isMessageStart: opts.isMessageStart });
  }
}
