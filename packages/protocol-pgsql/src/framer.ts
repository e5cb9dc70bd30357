// Cuts one direction of a PostgreSQL stream into messages: a type byte and a 32-bit length that
// counts itself (the client's first messages have no type byte), or the one byte a server answers
// an SSLRequest / GSSENCRequest with. A message longer than KEEP is handed over as its first KEEP
// bytes once they are in, and the rest is skipped as it passes: rows, COPY data and huge queries
// cost no memory beyond that.
import { StreamBuf } from '@wirebeat/streambuf';

/** Bytes of a message kept at most (its body is cut there; the size still counts them all). */
export const KEEP = 64 * 1024;
/** Largest message PostgreSQL accepts (1 GiB): anything longer is not PostgreSQL. */
const MAX_MESSAGE = 0x40000000;
/** Startup-phase messages (startup, SSL, cancel) are short: libpq caps them at 10000 bytes. */
const MAX_UNTYPED = 10000;

/** A message's type byte; 0 for the client's untyped startup-phase messages. */
export type MessageSink = (type: number, body: Uint8Array, size: number, ts: number) => void;

/** Whether `b` can be a message type byte (letters, and the digits 1-3 of the extended protocol). */
function typeByte(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x31 && b <= 0x33);
}

/** The framing state of one direction. */
export class Framer {
  private readonly buf = new StreamBuf({ maxSize: 2 * KEEP });
  /** The next message has no type byte (client, before its startup message). */
  untyped = false;
  /** The next byte may be the one-byte answer to an SSL or GSS encryption request. */
  oneByteAnswer = false;
  /** Bytes of the current long message still to skip, and that message's parts. */
  private skipLeft = 0;
  private longType = 0;
  private longBody: Uint8Array = new Uint8Array(0);
  private longSize = 0;
  private msgTs = 0;
  /** Bytes of the current long message lost in gaps. */
  truncated = false;
  /** Stopped for good: bytes that are not PostgreSQL, or a gap outside a skipped body. */
  broken = false;

  /** Feeds borrowed bytes, handing every complete message to `sink`; false once broken. */
  feed(payload: Uint8Array, ts: number, sink: MessageSink): boolean {
    if (this.broken) return false;
    if (this.buf.available === 0 && this.skipLeft === 0) this.msgTs = ts;
    this.buf.borrow(payload);
    this.run(ts, sink);
    if (this.broken) this.buf.clear();
    else this.buf.settle();
    return !this.broken;
  }

  /** Bytes buffered for the message in progress. */
  get buffered(): number {
    return this.buf.available + (this.skipLeft > 0 ? this.longBody.length : 0);
  }

  /** `nbytes` were lost: inside a skipped body they only shorten it (true); elsewhere framing is lost. */
  gap(nbytes: number): boolean {
    if (this.broken) return false;
    if (this.skipLeft >= nbytes && this.buf.available === 0) {
      this.skipLeft -= nbytes;
      this.truncated = true;
      return true;
    }
    this.stop();
    return false;
  }

  /** Stops reading this direction. */
  stop(): void {
    this.broken = true;
    this.skipLeft = 0;
    this.buf.clear();
  }

  private run(ts: number, sink: MessageSink): void {
    const buf = this.buf;
    while (!this.broken) {
      if (this.skipLeft > 0) {
        const n = Math.min(this.skipLeft, buf.available);
        buf.skip(n);
        buf.reset();
        this.skipLeft -= n;
        if (this.skipLeft > 0) return;
        sink(this.longType, this.longBody, this.longSize, this.msgTs);
        this.truncated = false;
        this.msgTs = ts;
        continue;
      }
      const first = buf.peekByte(0);
      if (first === undefined) return;
      if (this.oneByteAnswer) {
        this.oneByteAnswer = false;
        if (first === 0x53 || first === 0x4e || first === 0x47) {
          buf.skip(1);
          buf.reset();
          sink(first, new Uint8Array(0), 1, this.msgTs);
          this.msgTs = ts;
          continue;
        }
      }
      const head = buf.peek(this.untyped ? 4 : 5);
      if (head === undefined) return;
      const at = this.untyped ? 0 : 1;
      const length = ((head[at] << 24) | (head[at + 1] << 16) | (head[at + 2] << 8) | head[at + 3]) >>> 0;
      if (
        this.untyped
          ? length < 8 || length > MAX_UNTYPED
          : !typeByte(first) || length < 4 || length > MAX_MESSAGE
      )
        return this.stop();
      const type = this.untyped ? 0 : first;
      const size = length + at;
      if (size <= KEEP) {
        const whole = buf.collect(size);
        if (whole === undefined) return;
        buf.reset();
        sink(type, whole.subarray(at + 4), size, this.msgTs);
        this.msgTs = ts;
        continue;
      }
      const prefix = buf.collect(KEEP);
      if (prefix === undefined) return;
      this.longBody = Buffer.from(prefix.subarray(at + 4));
      buf.reset();
      this.longType = type;
      this.longSize = size;
      this.skipLeft = size - KEEP;
    }
  }
}
