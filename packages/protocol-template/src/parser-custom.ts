// A parser of your own (the `custom` framing): a DirectionParser written on StreamBuf, for
// framings the other variants do not cover. This one reads a fixed 8-byte header: type (u16),
// status (u16), body length (u32), all big-endian, then the body; a response with a non-zero
// status has failed. Bytes from the client are requests, bytes from the server responses.
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';
import type { Direction, DirectionParser, TcpTuple } from '@wirebeat/applayer';
import type { TemplateMessage } from './message';

/** Bytes of the fixed header. */
export const HEADER_BYTES = 8;
const SEGMENT_ALLOWANCE = 65536;

interface Header {
  type: number;
  status: number;
  length: number;
}

/** Options this framing adds to the protocol's own (none). */
export const parserOptions = {};

/** What the parser reads of the protocol's configuration. */
export interface ParserConfig {
  /** Longest message buffered; a longer announced length stops the direction. */
  max_message_size: number;
  send_request: boolean;
  send_response: boolean;
}

/** Splits one direction of a connection into messages. */
export class TemplateParser implements DirectionParser<TemplateMessage> {
  private readonly buf: StreamBuf;
  /** Time of the first segment of the message being assembled. */
  private messageTs: number | undefined;
  /** Header already read, while waiting for the body. */
  private header: Header | undefined;
  private broken = false;
  /** Decode message bodies to text (only when events carry request/response text). */
  private readonly keepContent: boolean;
  /** Longest message buffered. */
  private readonly maxMessageSize: number;

  /** The parser of direction `dir` (0 client requests, 1 server responses) of a connection. */
  constructor(
    private readonly tuple: TcpTuple,
    private readonly dir: Direction,
    config: ParserConfig,
  ) {
    this.keepContent = dir === 0 ? config.send_request : config.send_response;
    this.maxMessageSize = config.max_message_size;
    // Room for one whole segment on top of the longest message: segments are fed whole.
    this.buf = new StreamBuf({ maxSize: this.maxMessageSize + SEGMENT_ALLOWANCE });
  }

  /** Bytes of an incomplete message waiting for more data. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /**
   * Parses one segment and reports each complete message. Returns false when the stream can no
   * longer be parsed (a length beyond maxMessageSize): the framework stops this direction.
   * There is no gap(): after lost bytes the boundaries are unknown, so the connection is dropped.
   */
  parse(payload: Uint8Array, ts: number, onMessage: (msg: TemplateMessage) => void): boolean {
    if (this.broken) return false;
    if (this.buf.available === 0 && this.header === undefined) this.messageTs = ts;
    // borrow + settle: no copy unless a message continues in the next segment.
    if (!this.buf.borrow(payload)) return false;
    for (;;) {
      if (this.header === undefined) {
        if (this.buf.available < HEADER_BYTES) break;
        const type = this.buf.readUint16BE()!;
        const status = this.buf.readUint16BE()!;
        const length = this.buf.readUint32BE()!;
        if (length > this.maxMessageSize) {
          this.broken = true;
          return false;
        }
        this.header = { type, status, length };
      }
      const body = this.buf.collect(this.header.length);
      if (body === undefined) break;
      // TODO(protocol): interpret the header fields and the body.
      const msg: TemplateMessage = {
        ts: this.messageTs ?? ts,
        tuple: this.tuple,
        transport: this.tuple.transport ?? 'tcp',
        direction: this.dir,
        isRequest: this.dir === 0,
        size: this.buf.bufferConsumed,
        bodyLength: body.length,
        failed: this.dir === 1 && this.header.status !== 0,
        messageType: this.header.type,
        statusCode: this.header.status,
      };
      const text = decodeUtf8(body);
      msg.key = text;
      if (this.keepContent) msg.raw = text;
      this.buf.reset();
      this.header = undefined;
      this.messageTs = ts;
      onMessage(msg);
    }
    this.buf.settle();
    return !this.buf.failed;
  }
}
