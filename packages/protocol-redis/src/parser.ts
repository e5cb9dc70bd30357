// Splits one direction of a Redis connection into RESP2/RESP3 messages. Incremental: the value
// being read is kept on a stack of unfinished aggregates, the buffer is reset after every line or
// bulk piece, and bulk strings are kept only up to a limit (the rest is counted as it passes), so
// memory stays bounded whatever the sizes of values.
import { Notes, addNote, type Direction, type TcpTuple } from '@wirebeat/applayer';
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';
import type { RedisMessage } from './message';
import {
  MAX_KEPT_ITEMS,
  MAX_NESTING,
  RespBigNumber,
  RespError,
  RespLongString,
  RespMap,
  RespPush,
  RespSet,
  RespTooDeep,
  formatValue,
  type RespValue,
} from './resp';

const LF = 0x0a;
const CR = 0x0d;
const ARRAY = 0x2a; // '*'
/** Longest type line (or inline command) accepted. */
const MAX_LINE = 64 * 1024;

/** Notes specific to Redis messages. */
export const RedisNotes = {
  bulkHitByGap: 'bulk string bytes lost in a gap in the stream',
  protocolError: 'not RESP: the rest of this direction is not analysed',
  nestedTooDeep: `aggregates nested deeper than ${MAX_NESTING} levels: their contents are not kept`,
} as const;

/**
 * Runs of aggregates nested beyond MAX_NESTING: `count` aggregates in a row, each with `left`
 * elements to come. A chain of `*1` one million levels deep is one run, not a million frames.
 */
interface DeepRun {
  left: number;
  /** Attributes (`|`) describe the next value and are not values themselves. */
  attr: boolean;
  count: number;
}

/** Most runs of deep aggregates followed; beyond, the direction is given up (hostile nesting). */
const MAX_DEEP_RUNS = 4096;

/** An aggregate whose elements are still arriving. */
interface Frame {
  type: number;
  /** Elements still to come (twice the pair count for maps and attributes). */
  left: number;
  items: RespValue[];
}

/** Options of a RespParser. */
export interface RespParserOptions {
  /** Bytes of each bulk string kept as text; longer ones are counted only. */
  maxBulkBytes: number;
  /**
   * Called for each whole message a gap swallowed (once at the gap, once more when resynchronising
   * shows that a second message was damaged), so that the pairing stays in step.
   */
  onLost?: (ts: number) => void;
  /** True while the connection has no command waiting: messages after a gap are trusted again. */
  idle?: () => boolean;
}

/** First bytes of RESP2/RESP3 replies. */
const REPLY_TYPES = new Set([...'+-:$*%~>_#,(!=|'].map((c) => c.charCodeAt(0)));

/** Resynchronisation after a gap outside a bulk string. */
const enum Resync {
  None,
  /** The next byte may start a message: its line is checked. */
  AtLineStart,
  /** Skipping the rest of a line. */
  SkipLine,
}

/** Message parser of one direction (commands for direction 0, replies and pushes for 1). */
export class RespParser {
  private readonly buf = new StreamBuf({ maxSize: MAX_LINE * 2 });
  private readonly isRequest: boolean;
  private stack: Frame[] = [];
  /** Aggregates nested beyond MAX_NESTING, counted only. */
  private deep: DeepRun[] = [];
  /** The message being read nests deeper than MAX_NESTING. */
  private tooDeep = false;
  private size = 0;
  private inMessage = false;
  private startTs = 0;
  /** Bytes of the bulk string being read still to come, its CRLF included; -1 when none. */
  private bulkLeft = -1;
  private bulkLen = 0;
  private bulkType = 0;
  /** Pieces of a bulk string arriving in several segments (undefined: none; most arrive whole). */
  private bulkParts: Uint8Array[] | undefined = undefined;
  private bulkKept = 0;
  private bulkGapped = false;
  private truncated = false;
  /** The stream is not RESP: nothing more is parsed. */
  broken = false;
  private resync = Resync.None;
  /** Lines skipped while resynchronising, and the length the last `$n` line announced (-1: none). */
  private skippedLines = 0;
  private skippedBulkLen = -1;
  /**
   * Commands: arguments the command cut by the gap still had to come. Skipped arguments beyond
   * them belong to a second damaged command; an inline command skipped is one more lost.
   */
  private argsLeft = 0;
  /** Messages since a gap get a note until the connection is seen with no command waiting. */
  private afterGap = false;
  /** RespParserOptions.maxBulkBytes, read for every bulk string. */
  private readonly maxBulkBytes: number;

  /** Creates the parser of one direction of a connection. */
  constructor(
    private readonly tuple: TcpTuple,
    private readonly direction: Direction,
    private readonly opts: RespParserOptions,
  ) {
    this.isRequest = direction === 0;
    this.maxBulkBytes = opts.maxBulkBytes;
  }

  /** Parses a segment, calling onMessage for every complete message. The segment is borrowed. */
  parse(payload: Uint8Array, ts: number, onMessage: (msg: RedisMessage) => void): void {
    if (this.broken) return;
    const buf = this.buf;
    if (!this.inMessage && buf.length === 0) this.startTs = ts;
    buf.borrow(payload);
    this.trustAgain();
    this.run(ts, onMessage);
    this.trustAgain();
    buf.settle();
  }

  /** After a gap, messages are suspect until every command was answered (or published). */
  private trustAgain(): void {
    if (this.afterGap && this.resync === Resync.None && this.opts.idle?.()) this.afterGap = false;
  }

  /**
   * nbytes of this direction are lost. Inside a bulk string they only shorten what is seen of it;
   * anywhere else the message in progress (or the next one) is lost, reported through onLost, and
   * parsing resumes at the next line that starts a command (`*n`) or a reply. False only when the
   * parser had already stopped.
   */
  gap(nbytes: number, ts = this.startTs): boolean {
    if (this.broken) return false;
    // Up to the bulk string's end, its CRLF included (those bytes are counted, not checked): when
    // the gap ends there, the next byte starts the next element.
    if (
      this.resync === Resync.None &&
      this.bulkLeft >= 0 &&
      this.buf.available === 0 &&
      nbytes <= this.bulkLeft
    ) {
      this.bulkLeft -= nbytes;
      this.size += nbytes;
      this.bulkGapped = true;
      this.truncated = true;
      return true;
    }
    if (this.resync === Resync.None) {
      this.skippedLines = 0;
      this.skippedBulkLen = -1;
      // A command is a flat array: what is left of it is its frame's count (unknown when the gap
      // took its array line or came between commands: then any number of arguments).
      this.argsLeft = this.stack.length === 1 ? this.stack[0].left : Infinity;
      this.opts.onLost?.(ts);
      if (this.isRequest && this.bulkLeft >= 0 && this.argsLeft !== Infinity) {
        // The gap took the end of this argument and went on: into the next argument, or (after
        // the last one) into the next command, which is then damaged too.
        this.argsLeft--;
        if (this.argsLeft === 0) {
          this.opts.onLost?.(ts);
          this.argsLeft = Infinity;
        }
      }
    }
    this.buf.clear();
    this.stack = [];
    this.deep = [];
    this.bulkLeft = -1;
    this.bulkParts = undefined;
    this.size = 0;
    this.inMessage = false;
    this.truncated = false;
    this.tooDeep = false;
    this.resync = Resync.AtLineStart;
    this.afterGap = true;
    return true;
  }

  /** Skips to the next line that starts a message; false when more input is needed. */
  private resynchronise(ts: number): boolean {
    const buf = this.buf;
    for (;;) {
      if (this.resync === Resync.SkipLine) {
        const line = buf.collectUntil(LF);
        if (line === undefined) {
          buf.skip(buf.available);
          buf.reset();
          return false;
        }
        this.skipped(line, ts);
        buf.reset();
        this.resync = Resync.AtLineStart;
        continue;
      }
      const first = buf.peekByte(0);
      if (first === undefined) return false;
      if (this.isRequest ? first !== ARRAY : !REPLY_TYPES.has(first)) {
        this.resync = Resync.SkipLine;
        continue;
      }
      const nl = buf.indexOf(LF);
      if (nl < 0) {
        if (buf.available > MAX_LINE) this.resync = Resync.SkipLine;
        return false;
      }
      const line = buf.peek(nl + 1)!;
      if (!this.startsMessage(line)) {
        this.resync = Resync.SkipLine;
        continue;
      }
      this.resync = Resync.None;
      this.startTs = ts;
      return true;
    }
  }

  /**
   * A line skipped while resynchronising commands: arguments beyond what the cut command had left
   * mean a second damaged command, and an inline command is one more lost command.
   */
  private skipped(line: Uint8Array, ts: number): void {
    if (!this.isRequest) return;
    const end = line.length >= 2 && line[line.length - 2] === CR ? line.length - 2 : line.length - 1;
    // The first line may be the tail of one the gap cut; after an argument's `$n` comes its
    // payload; after a payload (or a tail that is not one of `$n`), a plain line is an inline command.
    const first = this.skippedLines++ === 0;
    const payloadExpected = this.skippedBulkLen;
    this.skippedBulkLen = -1;
    if (payloadExpected >= 0 && payloadExpected === end) return;
    const len = line[0] === 0x24 ? (integerOf(line, end) ?? -1) : -1;
    if (len >= 0) {
      this.skippedBulkLen = len;
      if (--this.argsLeft === -1) this.opts.onLost?.(ts);
      return;
    }
    if (first) {
      // Digits may be the tail of an argument's `$n`: then any plain line next is its payload.
      if (end === 0 || isDigits(line, end)) this.skippedBulkLen = Infinity;
      return;
    }
    if (payloadExpected === Infinity) return;
    if (line[0] !== ARRAY && end > 0) this.opts.onLost?.(ts);
  }

  /** True when a line (with its LF) can start a message of this direction. */
  private startsMessage(line: Uint8Array): boolean {
    const end = line.length >= 2 && line[line.length - 2] === CR ? line.length - 2 : line.length - 1;
    if (end < 1) return false;
    const type = line[0];
    if (this.isRequest) return (integerOf(line, end) ?? 0) > 0;
    switch (type) {
      case 0x2b: // + - , ( : any text
      case 0x2d:
      case 0x2c:
      case 0x28:
        return true;
      case 0x23: // #t / #f
        return end === 2 && (line[1] === 0x74 || line[1] === 0x66);
      case 0x5f: // _
        return end === 1;
      default:
        return (integerOf(line, end) ?? -2) >= -1;
    }
  }

  /** Stops parsing this direction for good. */
  stop(): void {
    this.broken = true;
    this.buf.clear();
    this.stack = [];
    this.deep = [];
    this.bulkParts = undefined;
    this.resync = Resync.None;
  }

  private run(ts: number, onMessage: (msg: RedisMessage) => void): void {
    const buf = this.buf;
    while (!this.broken) {
      if (this.resync !== Resync.None && !this.resynchronise(ts)) return;
      if (this.bulkLeft >= 0) {
        if (!this.readBulk(ts, onMessage)) return;
        continue;
      }
      if (this.isRequest && !this.inMessage) {
        const first = buf.peekByte(0);
        if (first === undefined) return;
        if (first !== ARRAY) {
          if (!this.readInline(ts, onMessage)) return;
          continue;
        }
      }
      // Decoded where it lies: a view per type line (several per message) cost more than the text.
      const before = buf.bufferConsumed;
      const line = buf.readLineLatin1();
      if (line === undefined) {
        if (buf.available > MAX_LINE) this.stop();
        return;
      }
      this.size += buf.bufferConsumed - before;
      this.inMessage = true;
      this.onTypeLine(line, ts, onMessage);
      buf.reset();
    }
  }

  /** A type line, decoded as Latin-1 without its CRLF (one character per byte). */
  private onTypeLine(line: string, ts: number, onMessage: (msg: RedisMessage) => void): void {
    const type = line.charCodeAt(0);
    switch (type) {
      case 0x2b: // + simple string
        return this.value(simpleText(line), ts, onMessage);
      case 0x2d: // - error
        return this.value(new RespError(line.slice(1)), ts, onMessage);
      case 0x2c: // , double
        return this.value(parseDouble(line.slice(1)), ts, onMessage);
      case 0x23: // # boolean
        return this.value(line.charCodeAt(1) === 0x74, ts, onMessage);
      case 0x5f: // _ null
        return this.value(null, ts, onMessage);
      case 0x28: // ( big number
        return this.value(new RespBigNumber(line.slice(1)), ts, onMessage);
      default:
        break;
    }
    const n = integerOfText(line);
    if (n === undefined) return this.stop();
    switch (type) {
      case 0x3a: // : integer
        return this.value(n, ts, onMessage);
      case 0x24: // $ bulk string
      case 0x3d: // = verbatim string
      case 0x21: // ! blob error
        if (n < 0) return this.value(null, ts, onMessage);
        this.bulkType = type;
        this.bulkLen = n;
        this.bulkLeft = n + 2;
        this.bulkKept = 0;
        this.bulkParts = undefined;
        this.bulkGapped = false;
        return;
      case 0x2a: // * array
      case 0x7e: // ~ set
      case 0x3e: // > push
      case 0x25: // % map
      case 0x7c: {
        // | attribute
        if (n < 0) return this.value(null, ts, onMessage);
        const left = type === 0x25 || type === 0x7c ? 2 * n : n;
        if (this.stack.length >= MAX_NESTING) return this.deeper(left, type === 0x7c, ts, onMessage);
        const frame: Frame = { type, left, items: [] };
        if (left === 0) return this.value(aggregate(frame), ts, onMessage);
        this.stack.push(frame);
        return;
      }
      default:
        this.stop();
    }
  }

  /** Reads the next piece of a bulk string; false when more input is needed. */
  private readBulk(ts: number, onMessage: (msg: RedisMessage) => void): boolean {
    const buf = this.buf;
    const n = Math.min(buf.available, this.bulkLeft);
    // (bulkLeft is 0 here when a gap took the rest of the string: it completes now.)
    if (n === 0 && this.bulkLeft > 0) return false;
    const keep = Math.max(0, Math.min(n, Math.min(this.bulkLen, this.maxBulkBytes) - this.bulkKept));
    if (keep === this.bulkLen && n === this.bulkLeft && this.bulkType === 0x24 && !this.bulkGapped) {
      // The whole string and its CRLF are here (the usual case): decoded where it lies, no copy.
      const text = buf.readUtf8(keep)!;
      buf.skip(n - keep);
      buf.reset();
      this.size += n;
      this.bulkLeft = -1;
      this.value(text, ts, onMessage);
      return true;
    }
    if (keep > 0) {
      (this.bulkParts ??= []).push(buf.collect(keep)!.slice());
      this.bulkKept += keep;
    }
    buf.skip(n - keep);
    buf.reset();
    this.size += n;
    this.bulkLeft -= n;
    if (this.bulkLeft > 0) return false;
    this.bulkLeft = -1;
    const parts = this.bulkParts ?? [];
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    this.bulkParts = undefined;
    let text = decodeUtf8(bytes);
    // Verbatim strings start with their format ('txt:').
    if (this.bulkType === 0x3d && text.charCodeAt(3) === 0x3a) text = text.slice(4);
    let v: RespValue = text;
    if (this.bulkGapped || this.bulkLen > this.maxBulkBytes) v = new RespLongString(text, this.bulkLen);
    if (this.bulkType === 0x21) v = new RespError(text);
    this.value(v, ts, onMessage);
    return true;
  }

  /** An inline command: a plain line of space-separated words; false when more input is needed. */
  private readInline(ts: number, onMessage: (msg: RedisMessage) => void): boolean {
    const buf = this.buf;
    const line = buf.collectUntil(LF);
    if (line === undefined) {
      if (buf.available > MAX_LINE) this.stop();
      return false;
    }
    buf.reset();
    const args = decodeUtf8(line).trim().split(/\s+/);
    if (args[0] === '') {
      this.startTs = ts;
      return true;
    }
    this.size += line.length;
    this.complete(args, ts, onMessage, args, true);
    return true;
  }

  /** An aggregate opened beyond MAX_NESTING: only its element count is followed. */
  private deeper(left: number, attr: boolean, ts: number, onMessage: (msg: RedisMessage) => void): void {
    this.tooDeep = true;
    if (left === 0) return attr ? undefined : this.value(RespTooDeep.value, ts, onMessage);
    const top = this.deep[this.deep.length - 1];
    if (top !== undefined && top.left === left && top.attr === attr) top.count++;
    else if (this.deep.length >= MAX_DEEP_RUNS) this.stop();
    else this.deep.push({ left, attr, count: 1 });
  }

  /** A finished value inside deep aggregates: false when it completed them all (it goes on up). */
  private deepValue(): boolean {
    for (;;) {
      const run = this.deep[this.deep.length - 1];
      if (run === undefined) return false;
      // The value goes to the innermost aggregate of the run.
      if (run.left > 1) {
        if (run.count === 1) run.left--;
        else {
          run.count--;
          this.deep.push({ left: run.left - 1, attr: run.attr, count: 1 });
        }
        return true;
      }
      if (run.attr) {
        // The innermost attribute is complete; it is no value for the aggregate around it.
        if (--run.count === 0) this.deep.pop();
        return true;
      }
      // Each aggregate of the run waits for its last element, the one inside it: all complete.
      this.deep.pop();
    }
  }

  /** A finished value: goes into the innermost aggregate, or completes the message. */
  private value(v: RespValue, ts: number, onMessage: (msg: RedisMessage) => void): void {
    let value = v;
    if (this.deep.length > 0) {
      if (this.deepValue()) return;
      value = RespTooDeep.value;
    }
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) return this.complete(value, ts, onMessage, undefined, false);
      const limit = top.type === 0x25 || top.type === 0x7c ? 2 * MAX_KEPT_ITEMS : MAX_KEPT_ITEMS;
      if (top.items.length < limit) top.items.push(value);
      if (--top.left > 0) return;
      this.stack.pop();
      // Attributes describe the value that follows them; they are not a value themselves.
      if (top.type === 0x7c) return;
      value = aggregate(top);
    }
  }

  private complete(
    value: RespValue,
    ts: number,
    onMessage: (msg: RedisMessage) => void,
    inlineArgs: string[] | undefined,
    inline: boolean,
  ): void {
    const msg: RedisMessage = {
      ts: this.startTs,
      tuple: this.tuple,
      transport: 'tcp',
      direction: this.direction,
      isRequest: this.isRequest,
      size: this.size,
      notes: undefined,
      value,
      args: inlineArgs ?? (this.isRequest ? argsOf(value) : undefined),
      inline,
      isPush: value instanceof RespPush,
      isError: value instanceof RespError,
      truncated: this.truncated,
    };
    if (this.truncated) addNote(msg, RedisNotes.bulkHitByGap);
    if (this.tooDeep) addNote(msg, RedisNotes.nestedTooDeep);
    if (this.afterGap) {
      addNote(msg, Notes.messageAfterGap);
      // A reply found by resynchronisation may be the tail of one whose start was lost (`+x` and
      // `:1` are also elements of aggregates): it is not trusted until the connection is idle.
      if (!this.isRequest) msg.truncated = true;
    }
    this.tooDeep = false;
    this.size = 0;
    this.inMessage = false;
    this.truncated = false;
    this.startTs = ts;
    onMessage(msg);
  }
}

/** The value of a finished aggregate. */
function aggregate(frame: Frame): RespValue {
  switch (frame.type) {
    case 0x7e:
      return new RespSet(frame.items);
    case 0x3e:
      return new RespPush(frame.items);
    case 0x25: {
      const entries: Array<[RespValue, RespValue]> = [];
      for (let i = 0; i + 1 < frame.items.length; i += 2) entries.push([frame.items[i], frame.items[i + 1]]);
      return new RespMap(entries);
    }
    default:
      return frame.items;
  }
}

/** A command's arguments as text (the array itself when they are all strings: the usual case). */
function argsOf(value: RespValue): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const v of value) if (typeof v !== 'string') return value.map((item) => formatValue(item));
  return value as string[];
}

/** The decimal integer in line[1..end) (optional '-', at most 15 digits); undefined when it is not one. */
function integerOf(line: Uint8Array, end: number): number | undefined {
  let i = 1;
  const negative = line[1] === 0x2d;
  if (negative) i = 2;
  if (i >= end || end - i > 15) return undefined;
  let n = 0;
  for (; i < end; i++) {
    const b = line[i];
    if (b < 0x30 || b > 0x39) return undefined;
    n = n * 10 + (b - 0x30);
  }
  return negative ? -n : n;
}

/** integerOf for a type line decoded as Latin-1 (without its CRLF). */
function integerOfText(line: string): number | undefined {
  const end = line.length;
  let i = 1;
  const negative = line.charCodeAt(1) === 0x2d;
  if (negative) i = 2;
  if (i >= end || end - i > 15) return undefined;
  let n = 0;
  for (; i < end; i++) {
    const b = line.charCodeAt(i);
    if (b < 0x30 || b > 0x39) return undefined;
    n = n * 10 + (b - 0x30);
  }
  return negative ? -n : n;
}

/** A simple string's text; the usual `+OK` is one shared string. */
function simpleText(line: string): string {
  return line === '+OK' ? 'OK' : line.slice(1);
}

/** True when line[0..end) is one or more ASCII digits. */
function isDigits(line: Uint8Array, end: number): boolean {
  if (end < 1) return false;
  for (let i = 0; i < end; i++) if (line[i] < 0x30 || line[i] > 0x39) return false;
  return true;
}

function parseDouble(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}
