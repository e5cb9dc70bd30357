// Splits one direction of an HTTP/1.x connection into messages. Incremental and bounded: the head
// is read line by line, bodies are counted as they pass and only their first max_body_bytes kept,
// so a 1 GB download costs no more memory than a small one.
import { Notes, addNote, type Direction, type TcpTuple } from '@wirebeat/applayer';
import { StreamBuf } from '@wirebeat/streambuf';
import {
  addHeaderLine,
  contentLengthOf,
  isChunked,
  parseRequestLine,
  parseStatusLine,
  startLineSuffix,
} from './head';
import { headerValue, type HttpMessage } from './message';

/** The lines and body of a message that keeps none: shared sentinels, never written (writes check for them and replace them first). */
const NO_LINES: string[] = [];
const NO_BODY: Uint8Array[] = [];

const LF = 0x0a;
/** Header lines an evicted message keeps for its event (the Host, the first fields). */
const EVICTED_HEAD_LINES = 32;
/** Longest chunk-size line accepted (hex size plus extensions). */
const MAX_CHUNK_LINE = 4096;

/** Notes specific to HTTP messages. */
export const HttpNotes = {
  headTooLong: 'message head longer than max_message_size: message dropped',
  bodyHitByGap: 'body bytes lost in a gap in the stream',
  invalidContentLength: 'invalid Content-Length: body length unknown',
  invalidChunk: 'invalid chunk size line: body end unknown',
} as const;

const enum State {
  /** Between messages: skipping blank or unparsable lines until a start line. */
  Start,
  /** Reading header lines. */
  Head,
  /** A body of known length. */
  Body,
  ChunkSize,
  ChunkData,
  /** The CRLF after a chunk's data. */
  ChunkEnd,
  Trailers,
  /** A response body that ends when the server closes the connection. */
  UntilClose,
  /** After 101 Switching Protocols or a CONNECT tunnel: the bytes are not HTTP any more. */
  Opaque,
}

/** What a gap did to the message in progress. */
export type GapEffect =
  /** Swallowed by a body of known length (or one read until close): the message goes on. */
  | 'absorbed'
  /** Cut the message short: it was published truncated. */
  | 'cut'
  /** Hit the head of a message, or fell between messages: whole messages may be lost. */
  | 'lost';

/**
 * Bytes a message holds in memory, for max_pending_bytes: its head twice (the lines and the
 * parsed header fields) plus a string and array slot per line and field (a head of short lines
 * costs far more than its size), and the body bytes kept.
 */
export function heldBytes(msg: HttpMessage, headSoFar = msg.headBytes): number {
  let body = 0;
  for (const piece of msg.body) body += piece.length;
  return 2 * headSoFar + 32 * (msg.headLines.length + msg.headers.length) + body;
}

/** Options of an HttpParser. */
export interface HttpParserOptions {
  /** Longest head (start line and headers) kept while it arrives. */
  maxHeadBytes: number;
  /** Body bytes kept per message (0: none). */
  maxBodyBytes: number;
  /** Body bytes to keep of this message, decided from its head (default maxBodyBytes). */
  bodyBytesFor?: (msg: HttpMessage) => number;
  /**
   * Keep the head's lines as they came (for the message's text in `request` / `response`);
   * default true. Without them a message holds only its parsed fields.
   */
  keepHeadLines?: boolean;
  /** Response parsers: the method of the request the next response answers, when known. */
  requestMethod?: () => string | undefined;
}

/** Message parser of one direction (requests for direction 0, responses for 1). */
export class HttpParser {
  private readonly buf: StreamBuf;
  private readonly isRequest: boolean;
  private state = State.Start;
  private msg: HttpMessage | undefined = undefined;
  /** Bytes of the current message consumed so far (the buffer is reset after each step). */
  private size = 0;
  /** Body or chunk bytes still to come. */
  private remaining = 0;
  private kept = 0;
  /** Body bytes to keep of the current message. */
  private keepLimit = 0;
  private startTs = 0;
  /** Discard input up to the next newline before looking for a start line. */
  private discardLine = false;
  /** A gap came since the last message: the next one gets a note. */
  private afterGap = false;
  /** Since the gap, no start line was found yet: one may follow the tail of a lost body. */
  private resyncing = false;
  /** An evicted head is being skipped: lines are dropped up to its blank line. */
  private skipHead = false;
  /** The current message was published when evicted: its end is only consumed, not emitted. */
  private evicted = false;

  /** Creates the parser of one direction of a connection. */
  constructor(
    private readonly tuple: TcpTuple,
    private readonly direction: Direction,
    private readonly opts: HttpParserOptions,
  ) {
    this.isRequest = direction === 0;
    this.buf = new StreamBuf({ maxSize: opts.maxHeadBytes + 65536 });
  }

  /** True once the connection stopped speaking HTTP (after 101 Switching Protocols or CONNECT). */
  get opaque(): boolean {
    return this.state === State.Opaque;
  }

  /** Parses a segment, calling onMessage for every complete message. The segment is borrowed. */
  parse(payload: Uint8Array, ts: number, onMessage: (msg: HttpMessage) => void): void {
    if (this.state === State.Opaque) return;
    const buf = this.buf;
    if (this.state === State.Start && buf.length === 0) this.startTs = ts;
    buf.borrow(payload);
    this.run(ts, onMessage);
    buf.settle();
    // Most connections wait between segments with nothing buffered: they keep no arrays.
    buf.release();
    if (buf.failed) {
      // One segment brought a line longer than the buffer may keep: drop it like a long head.
      buf.clear();
      this.headTooLong(onMessage, ts, false);
      this.discardLine = true;
    }
  }

  /** Bytes the unfinished message and the buffer hold (0 between messages); see heldBytes. */
  partialBytes(): number {
    const msg = this.msg;
    const buffered = this.buf.length;
    if (msg === undefined || this.state === State.Opaque) return buffered;
    return buffered + heldBytes(msg, this.state === State.Head ? this.size : msg.headBytes);
  }

  /**
   * The budget wants the memory back: the unfinished message is published now (truncated, with a
   * note) with at most its first header lines, and the rest of it is skipped: the rest of a head
   * up to its blank line, a body by its length; parsing resumes at the next message.
   */
  evictPartial(onMessage: (msg: HttpMessage) => void): void {
    const msg = this.msg;
    if (msg === undefined || this.state === State.Opaque) {
      if (this.buf.length > 0 && msg === undefined) {
        // A start line still arriving: dropped with the rest of its line.
        this.buf.skip(this.buf.available);
        this.buf.reset();
        this.discardLine = true;
      }
      return;
    }
    msg.truncated = true;
    addNote(msg, Notes.messageEvicted);
    if (msg.headLines.length > EVICTED_HEAD_LINES) msg.headLines.length = EVICTED_HEAD_LINES;
    if (msg.headers.length > 2 * EVICTED_HEAD_LINES) msg.headers.length = 2 * EVICTED_HEAD_LINES;
    msg.body = NO_BODY;
    this.kept = this.opts.maxBodyBytes;
    if (this.state !== State.Head) {
      // A body: counted to its end as usual, nothing more kept; the message is published now and
      // its end only consumes bytes.
      this.evicted = true;
      return this.emitEvicted(msg, onMessage);
    }
    this.size += this.buf.length;
    this.buf.skip(this.buf.available);
    this.buf.reset();
    this.skipHead = true;
    this.emitEvicted(msg, onMessage);
    this.msg = undefined;
    this.size = 0;
    this.state = State.Start;
  }

  private emitEvicted(msg: HttpMessage, onMessage: (msg: HttpMessage) => void): void {
    msg.size = this.size;
    if (msg.headBytes === 0) msg.headBytes = this.size - msg.bodyBytes;
    onMessage(msg);
  }

  /** Upgrades the parser to opaque (the other direction switched protocols). */
  stop(): void {
    this.state = State.Opaque;
    this.buf.clear();
    this.msg = undefined;
  }

  /** nbytes of this direction are lost; see GapEffect. A message cut short is published. */
  gap(nbytes: number, onMessage: (msg: HttpMessage) => void): GapEffect {
    const msg = this.msg;
    switch (this.state) {
      case State.Opaque:
        return 'absorbed';
      case State.Body:
      case State.ChunkData:
        if (nbytes <= this.remaining && msg !== undefined) {
          this.remaining -= nbytes;
          this.size += nbytes;
          msg.bodyBytes += nbytes;
          addNote(msg, HttpNotes.bodyHitByGap);
          if (this.remaining === 0) this.bodyDone(onMessage, this.startTs);
          return 'absorbed';
        }
        if (this.state === State.Body && msg !== undefined) {
          // The body ended inside the gap, and the next message's start was lost with the rest.
          this.size += this.remaining;
          msg.bodyBytes += this.remaining;
          addNote(msg, HttpNotes.bodyHitByGap);
          this.done(onMessage, this.startTs);
          this.buf.clear();
          this.afterGap = true;
          this.resyncing = true;
          return 'lost';
        }
        break;
      case State.UntilClose:
        this.size += nbytes;
        msg!.bodyBytes += nbytes;
        addNote(msg!, HttpNotes.bodyHitByGap);
        return 'absorbed';
      default:
        break;
    }
    this.buf.clear();
    this.afterGap = true;
    this.resyncing = true;
    this.skipHead = false;
    if (msg !== undefined && this.state !== State.Head) {
      msg.truncated = true;
      addNote(msg, Notes.messageHitByGap);
      this.done(onMessage, this.startTs);
      return 'cut';
    }
    this.msg = undefined;
    this.size = 0;
    this.state = State.Start;
    return 'lost';
  }

  /** End of the stream: a body read until close ends here; an unfinished message is published with a note. */
  flush(onMessage: (msg: HttpMessage) => void): void {
    const msg = this.msg;
    if (this.state === State.Opaque) return;
    if (msg !== undefined) {
      this.size += this.state === State.Head ? this.buf.length : 0;
      if (this.state !== State.UntilClose) {
        msg.truncated = true;
        addNote(msg, Notes.incompleteMessage);
      }
      this.done(onMessage, this.startTs);
    }
    this.buf.clear();
    this.size = 0;
  }

  private run(ts: number, onMessage: (msg: HttpMessage) => void): void {
    const buf = this.buf;
    for (;;) {
      switch (this.state) {
        case State.Start:
        case State.Head:
        case State.Trailers: {
          if (this.discardLine) {
            if (buf.collectUntil(LF) === undefined) {
              buf.skip(buf.available);
              buf.reset();
              return;
            }
            buf.reset();
            this.discardLine = false;
            this.startTs = ts;
          }
          // Decoded where it lies (no view of the segment per line); bufferConsumed tells its length.
          const before = buf.bufferConsumed;
          const line = buf.readLineLatin1();
          if (line === undefined) {
            if (this.size + buf.length > this.opts.maxHeadBytes) this.headTooLong(onMessage, ts, true);
            return;
          }
          this.size += buf.bufferConsumed - before;
          buf.reset();
          if (this.state === State.Head && this.size > this.opts.maxHeadBytes) {
            // The rest of the head follows: parsing skips to the next start line.
            this.headTooLong(onMessage, ts, false);
            break;
          }
          this.onLine(line, onMessage, ts);
          break;
        }
        case State.Body:
        case State.ChunkData: {
          const n = Math.min(buf.available, this.remaining);
          if (n === 0) return;
          this.takeBody(n);
          this.remaining -= n;
          if (this.remaining > 0) return;
          this.bodyDone(onMessage, ts);
          break;
        }
        case State.ChunkSize:
        case State.ChunkEnd: {
          const before = buf.bufferConsumed;
          const line = buf.readLineLatin1();
          if (line === undefined) {
            if (buf.length > MAX_CHUNK_LINE) this.badChunk(onMessage, ts, true);
            return;
          }
          this.size += buf.bufferConsumed - before;
          buf.reset();
          if (this.state === State.ChunkEnd) this.state = State.ChunkSize;
          else this.onChunkSize(line, onMessage, ts);
          break;
        }
        case State.UntilClose: {
          const n = buf.available;
          if (n > 0) this.takeBody(n);
          return;
        }
        case State.Opaque:
          buf.clear();
          return;
      }
    }
  }

  /** One line of the head, of the trailers, or between messages. */
  private onLine(line: string, onMessage: (msg: HttpMessage) => void, ts: number): void {
    let text = line;
    if (this.skipHead) {
      if (text === '') this.skipHead = false;
      this.size = 0;
      this.startTs = ts;
      return;
    }
    if (this.state === State.Start) {
      if (text !== '' && this.resyncing) {
        const at = startLineSuffix(text, this.isRequest);
        if (at > 0) {
          this.size -= at;
          text = text.slice(at);
        }
      }
      if (text === '' || !this.startMessage(text)) {
        // A blank or unparsable line between messages belongs to no message.
        this.size = 0;
        this.startTs = ts;
      }
      return;
    }
    const msg = this.msg!;
    if (text !== '') {
      if (this.state === State.Head && msg.headLines !== NO_LINES) msg.headLines.push(text);
      // An evicted message was published: its size in the budget must not change any more.
      if (!this.evicted) addHeaderLine(msg.headers, text);
      return;
    }
    if (this.state === State.Trailers) return this.done(onMessage, ts);
    msg.headBytes = this.size;
    this.frameBody(msg, onMessage, ts);
  }

  /** A line between messages: starts a message when it is a request (status) line. */
  private startMessage(text: string): boolean {
    let msg: HttpMessage;
    if (this.isRequest) {
      const rl = parseRequestLine(text);
      if (rl === undefined) return false;
      msg = this.newMessage(rl.method, rl.target, rl.version, 0, '');
    } else {
      const sl = parseStatusLine(text);
      if (sl === undefined) return false;
      msg = this.newMessage('', '', sl.version, sl.statusCode, sl.statusPhrase);
    }
    if (msg.headLines !== NO_LINES) msg.headLines.push(text);
    this.msg = msg;
    this.state = State.Head;
    this.resyncing = false;
    return true;
  }

  /** Decides, from the head, how the body is delimited (RFC 9112 section 6.3). */
  private frameBody(msg: HttpMessage, onMessage: (msg: HttpMessage) => void, ts: number): void {
    this.keepLimit = this.opts.bodyBytesFor?.(msg) ?? this.opts.maxBodyBytes;
    if (!this.isRequest) {
      const code = msg.statusCode;
      const method = this.opts.requestMethod?.();
      if (code < 200) {
        msg.interim = true;
        this.done(onMessage, ts);
        if (code === 101) this.stop();
        return;
      }
      if (method === 'CONNECT' && code < 300) {
        this.done(onMessage, ts);
        return this.stop();
      }
      if (method === 'HEAD' || code === 204 || code === 304) return this.done(onMessage, ts);
    }
    if (isChunked(headerValue(msg, 'transfer-encoding'))) {
      this.state = State.ChunkSize;
      return;
    }
    const length = contentLengthOf(headerValue(msg, 'content-length'));
    if (length === undefined) {
      if (this.isRequest) return this.done(onMessage, ts);
      this.state = State.UntilClose;
      return;
    }
    if (length < 0) {
      addNote(msg, HttpNotes.invalidContentLength);
      return this.done(onMessage, ts);
    }
    if (length === 0) return this.done(onMessage, ts);
    this.remaining = length;
    this.state = State.Body;
  }

  private onChunkSize(text: string, onMessage: (msg: HttpMessage) => void, ts: number): void {
    const semi = text.indexOf(';');
    const hex = (semi < 0 ? text : text.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) return this.badChunk(onMessage, ts, false);
    const n = parseInt(hex, 16);
    if (n === 0) {
      this.state = State.Trailers;
      return;
    }
    this.remaining = n;
    this.state = State.ChunkData;
  }

  private bodyDone(onMessage: (msg: HttpMessage) => void, ts: number): void {
    if (this.state === State.ChunkData) this.state = State.ChunkEnd;
    else this.done(onMessage, ts);
  }

  /** Consumes n available body bytes, keeping a copy of the first max_body_bytes. */
  private takeBody(n: number): void {
    const buf = this.buf;
    const msg = this.msg!;
    const keep = Math.min(n, this.keepLimit - this.kept);
    if (keep > 0) {
      // slice() copies: the segment is borrowed.
      if (msg.body === NO_BODY) msg.body = [];
      msg.body.push(buf.collect(keep)!.slice());
      this.kept += keep;
    }
    if (n > keep) buf.skip(n - keep);
    buf.reset();
    this.size += n;
    msg.bodyBytes += n;
  }

  /**
   * The body's end is unknown: the message ends here (truncated, with a note) and the following
   * lines are searched for the next start line. What is skipped is not the message's, so that the
   * outcome does not depend on how much of it the current segment held.
   */
  private badChunk(onMessage: (msg: HttpMessage) => void, ts: number, lineTooLong: boolean): void {
    const msg = this.msg!;
    msg.truncated = true;
    addNote(msg, HttpNotes.invalidChunk);
    if (lineTooLong) {
      this.buf.skip(this.buf.available);
      this.buf.reset();
      this.discardLine = true;
    }
    this.resyncing = true;
    this.done(onMessage, ts);
  }

  /** A head line outgrew max_message_size: the message (if one started) is published without its end. */
  private headTooLong(onMessage: (msg: HttpMessage) => void, ts: number, midLine: boolean): void {
    const buf = this.buf;
    if (midLine) {
      // Unfinished line: drop what is buffered and the rest of the line when it comes.
      this.size += buf.available;
      buf.skip(buf.available);
      buf.reset();
      this.discardLine = true;
    }
    const msg = this.msg;
    if (msg === undefined || this.state === State.Start) {
      this.size = 0;
      return;
    }
    msg.truncated = true;
    addNote(msg, HttpNotes.headTooLong);
    this.done(onMessage, ts);
  }

  /** Publishes the current message and gets ready for the next one. */
  private done(onMessage: (msg: HttpMessage) => void, ts: number): void {
    const msg = this.msg!;
    if (this.evicted) {
      // Published when it was evicted: its end only resets the parser.
      this.evicted = false;
      this.msg = undefined;
      this.size = 0;
      this.kept = 0;
      this.remaining = 0;
      this.state = State.Start;
      this.startTs = ts;
      return;
    }
    msg.size = this.size;
    if (msg.headBytes === 0) msg.headBytes = this.size - msg.bodyBytes;
    // One piece per segment otherwise: decoded apart, a character split between two would not be.
    if (msg.body.length > 1) msg.body = [Buffer.concat(msg.body)];
    this.msg = undefined;
    this.size = 0;
    this.kept = 0;
    this.remaining = 0;
    this.state = State.Start;
    this.startTs = ts;
    onMessage(msg);
  }

  private newMessage(
    method: string,
    target: string,
    version: string,
    statusCode: number,
    statusPhrase: string,
  ): HttpMessage {
    const msg: HttpMessage = {
      ts: this.startTs,
      tuple: this.tuple,
      transport: 'tcp',
      direction: this.direction,
      isRequest: this.isRequest,
      size: 0,
      notes: undefined,
      method,
      target,
      version,
      statusCode,
      statusPhrase,
      headers: [],
      headLines: this.opts.keepHeadLines === false ? NO_LINES : [],
      headBytes: 0,
      bodyBytes: 0,
      body: NO_BODY,
      interim: false,
      truncated: false,
    };
    if (this.afterGap) {
      this.afterGap = false;
      addNote(msg, Notes.messageAfterGap);
    }
    return msg;
  }
}
