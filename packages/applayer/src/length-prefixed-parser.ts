// A message parser for length-prefixed protocols: a fixed-size header holding the message's length
// (see LengthFraming), then the body. It owns what such protocols share: buffering of a message
// split over segments up to a size limit, whole messages read in place, and the message metadata
// (time, tuple, direction, size on the wire). The protocol only decodes a header and its body.
// After a gap the message boundaries are unknown, so there is no gap(): the direction stops.
import { StreamBuf } from '@wirebeat/streambuf';
import { bodySizeOf, lengthFramingProblem, readLengthField, type LengthFraming } from './length-framing';
import type { Message } from './message';
import { ApplayerError } from './errors';
import { transportOf, type Direction, type TcpTuple } from './plugin';

/** Room for one whole segment on top of the longest message: segments are fed whole. */
const SEGMENT_ALLOWANCE = 65536;

/** Options of a {@link LengthPrefixedParser}. */
export interface LengthPrefixedParserOptions<B extends object> {
  /** Longest body buffered; a longer announced length stops the direction. */
  maxMessageSize: number;
  /** Where the length lies and what it counts. */
  framing: LengthFraming;
  /** The protocol's fields of one message: its header (length field included) and its body. */
  decode(header: Uint8Array, body: Uint8Array): B;
}

/** A parsed length-prefixed message: the protocol's fields plus the common message fields. */
export type LengthMessage<B extends object> = B & Message;

/** A framing that cannot be read (the length field does not fit in the header...). */
export class LengthFramingError extends ApplayerError {}

/** Splits one direction of a connection (or each datagram of a flow) into length-prefixed messages. */
export class LengthPrefixedParser<B extends object> {
  private buf: StreamBuf | undefined;
  /** Time of the first segment of the message being assembled. */
  private startTs = 0;
  private broken = false;

  /** Creates the parser of one direction; throws LengthFramingError for an unusable framing. */
  constructor(
    private readonly tuple: TcpTuple,
    private readonly direction: Direction,
    private readonly opts: LengthPrefixedParserOptions<B>,
  ) {
    const problem = lengthFramingProblem(opts.framing);
    if (problem !== undefined) throw new LengthFramingError(`invalid framing: ${problem}`);
  }

  /** Bytes of an unfinished message held while waiting for the rest. */
  partialBytes(): number {
    return this.buf?.length ?? 0;
  }

  /**
   * Parses a borrowed segment, calling onMessage for every complete message. Returns false once an
   * announced length is beyond maxMessageSize (or shorter than the header): the direction stops.
   */
  parse(payload: Uint8Array, ts: number, onMessage: (msg: LengthMessage<B>) => void): boolean {
    if (this.broken) return false;
    let pos = 0;
    if (this.buf === undefined || this.buf.available === 0) {
      // Nothing buffered: whole messages are decoded straight from the segment.
      for (;;) {
        const end = this.messageEnd(payload, pos, payload.length);
        if (end === undefined) break;
        if (end < 0) return this.stop();
        onMessage(this.message(payload.subarray(pos, end), ts));
        pos = end;
      }
      if (pos === payload.length) return true;
      this.startTs = ts;
    }
    const buf = (this.buf ??= new StreamBuf({ maxSize: this.opts.maxMessageSize + SEGMENT_ALLOWANCE }));
    buf.borrow(pos === 0 ? payload : payload.subarray(pos));
    for (;;) {
      const header = buf.peek(Math.min(this.opts.framing.headerSize, buf.available));
      if (header === undefined) break;
      const end = this.messageEnd(header, 0, buf.available);
      if (end === undefined) break;
      if (end < 0) return this.stop();
      onMessage(this.message(buf.collect(end)!, this.startTs));
      buf.reset();
      this.startTs = ts;
    }
    buf.settle();
    return !buf.failed || this.stop();
  }

  /**
   * Where the message starting at bytes[pos] ends, given `available` bytes from bytes[0]:
   * undefined while its header or body is incomplete, -1 when its length is refused.
   */
  private messageEnd(bytes: Uint8Array, pos: number, available: number): number | undefined {
    const framing = this.opts.framing;
    if (pos + framing.headerSize > bytes.length) return undefined;
    const body = bodySizeOf(readLengthField(bytes, pos, framing), framing);
    if (body < 0 || body > this.opts.maxMessageSize) return -1;
    const end = pos + framing.headerSize + body;
    return end <= available ? end : undefined;
  }

  /** The direction cannot be parsed further. */
  private stop(): false {
    this.broken = true;
    this.buf?.clear();
    return false;
  }

  /** The message of one whole framed message's bytes. */
  private message(bytes: Uint8Array, ts: number): LengthMessage<B> {
    const headerSize = this.opts.framing.headerSize;
    const fields = this.opts.decode(bytes.subarray(0, headerSize), bytes.subarray(headerSize));
    return {
      ...fields,
      ts,
      tuple: this.tuple,
      transport: transportOf(this.tuple),
      direction: this.direction,
      isRequest: this.direction === 0,
      size: bytes.length,
    };
  }
}
