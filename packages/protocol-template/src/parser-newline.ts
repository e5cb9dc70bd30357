// Parser for newline-delimited messages: every line (ending in \n, optionally \r\n) is one message.
// Bytes from the client are requests, bytes from the server responses.
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';
import { GapResync } from '@wirebeat/applayer';
import type { Direction, Packet, TcpTuple } from '@wirebeat/applayer';
import type { TemplateMessage } from './message';

const LF = 0x0a;
const CR = 0x0d;
const SEGMENT_ALLOWANCE = 65536;

/** Options of the TemplateParser. */
export interface ParserOptions {
  /** Longest message buffered; beyond it the stream is dropped. */
  maxMessageBytes: number;
  /** Decode message bodies to text (only when events carry request/response text). */
  keepContent: boolean;
}

/** Splits one direction of a connection into messages. */
export class TemplateParser {
  private readonly buf: StreamBuf;
  /** Time of the first segment of the message being assembled. */
  private messageTs: number | undefined;
  /** After a gap: skips to the next newline before parsing again. */
  private readonly resync = new GapResync(LF);

  constructor(private readonly opts: ParserOptions) {
    // Room for one whole segment on top of the longest message: segments are fed whole.
    this.buf = new StreamBuf({ maxSize: opts.maxMessageBytes + SEGMENT_ALLOWANCE });
  }

  /** Bytes of an incomplete message waiting for more data. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /**
   * Feeds one segment and reports each complete message. Returns false when the stream can no
   * longer be parsed (a line longer than maxMessageBytes): the caller stops feeding this direction.
   */
  feed(pkt: Packet, tuple: TcpTuple, dir: Direction, onMessage: (msg: TemplateMessage) => void): boolean {
    if (this.buf.available === 0) this.messageTs = pkt.ts;
    // borrow + settle: no copy unless a message continues in the next segment.
    if (!this.buf.borrow(pkt.payload)) return false;
    if (this.resync.active) {
      if (!this.resync.resync(this.buf)) {
        this.buf.settle();
        return true;
      }
      this.messageTs = pkt.ts;
    }
    for (;;) {
      const line = this.buf.collectUntil(LF);
      if (line === undefined) break;
      if (line.length > this.opts.maxMessageBytes) return this.tooLong();
      const bodyEnd = line.length >= 2 && line[line.length - 2] === CR ? line.length - 2 : line.length - 1;
      // TODO(protocol): decide what the line means (request or response, failed or not, fields).
      const msg: TemplateMessage = {
        ts: this.messageTs ?? pkt.ts,
        tuple,
        transport: 'tcp',
        direction: dir,
        isRequest: dir === 0,
        size: this.buf.bufferConsumed,
        bodyLength: bodyEnd,
        failed: false,
      };
      if (this.opts.keepContent) msg.content = decodeUtf8(line.subarray(0, bodyEnd));
      this.buf.reset();
      this.messageTs = pkt.ts;
      onMessage(msg);
    }
    // An unfinished line already longer than the limit will never be accepted.
    if (this.buf.available > this.opts.maxMessageBytes) return this.tooLong();
    this.buf.settle();
    return !this.buf.failed;
  }

  /** Drops what is buffered: the stream is not parsed any further. */
  private tooLong(): false {
    this.buf.clear();
    return false;
  }

  /** Bytes were lost: drop the partial message and resynchronise at the next newline. */
  gap(): boolean {
    this.resync.onGap(this.buf);
    return true;
  }
}
