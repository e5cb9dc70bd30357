// The record layer of one direction (RFC 5246 6.2, RFC 8446 5.1): records may be cut anywhere by
// TCP, and handshake messages may span records (a certificate chain of 30 kB spans two at least)
// or share one. Whole records and messages inside one segment are decoded in place; only what a
// segment cuts short is copied, into buffers bounded by the largest record and message.
import { ByteReader } from './reader';

/** Record content types. */
export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
  heartbeat: 24,
};

/** Largest record body: 2^14 plus the expansion TLS 1.2 allows a protected record. */
const MAX_RECORD = (1 << 14) + 2048;
/** Largest handshake message kept (as Packetbeat and Go's crypto/tls: 64 kB). */
export const MAX_HANDSHAKE = 1 << 16;

/** Receives the records and handshake messages of a direction. */
export interface RecordSink {
  /** A whole record other than handshake (body borrowed for the call); false stops the direction. */
  record(type: number, body: Uint8Array): boolean;
  /** A whole handshake message (body borrowed for the call). */
  handshake(type: number, body: Uint8Array): void;
}

/** Why a direction's bytes are not TLS records (or no longer followed). */
export type RecordFailure = 'not a TLS record' | 'handshake message over 64 kB';

/** Growable byte buffer of the bytes a segment cut short. */
class Carry {
  bytes = new Uint8Array(0);
  length = 0;

  /** Appends `data`. */
  push(data: Uint8Array): void {
    if (this.length + data.length > this.bytes.length) {
      const next = new Uint8Array(Math.max(256, (this.length + data.length) * 2));
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    }
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  /** Drops the first `n` bytes. */
  shift(n: number): void {
    this.bytes.copyWithin(0, n, this.length);
    this.length -= n;
  }

  /** Forgets everything (and the memory when it grew large). */
  clear(): void {
    this.length = 0;
    if (this.bytes.length > 4096) this.bytes = new Uint8Array(0);
  }
}

/** Record framing and handshake reassembly of one direction. */
export class RecordReader {
  private readonly records = new Carry();
  private readonly messages = new Carry();
  /** Bytes of whole records read. */
  consumed = 0;
  failure: RecordFailure | undefined = undefined;
  /** A sink returned false: the rest of the direction is not read. */
  stopped = false;

  /** Creates the reader; `sink` gets each record and message. */
  constructor(private readonly sink: RecordSink) {}

  /** Bytes held for records and messages cut short. */
  get held(): number {
    return this.records.length + this.messages.length;
  }

  /** Reads a borrowed segment; false once the direction is not (or no longer) read. */
  push(data: Uint8Array): boolean {
    if (this.failure !== undefined || this.stopped) return false;
    if (this.records.length === 0) {
      const used = this.frame(data);
      if (used < data.length && this.failure === undefined && !this.stopped)
        this.records.push(data.subarray(used));
    } else {
      this.records.push(data);
      const used = this.frame(this.records.bytes.subarray(0, this.records.length));
      if (this.failure !== undefined || this.stopped) this.records.clear();
      else this.records.shift(used);
    }
    return this.failure === undefined && !this.stopped;
  }

  /** Forgets partial records and messages (after a gap: the framing is lost). */
  reset(): void {
    this.records.clear();
    this.messages.clear();
  }

  /** Handles every whole record of `buf`; returns the bytes used. */
  private frame(buf: Uint8Array): number {
    let pos = 0;
    while (buf.length - pos >= 5) {
      const type = buf[pos];
      const length = (buf[pos + 3] << 8) | buf[pos + 4];
      if (type < 20 || type > 24 || buf[pos + 1] !== 3 || length > MAX_RECORD) {
        this.failure = 'not a TLS record';
        return pos;
      }
      if (buf.length - pos - 5 < length) break;
      const body = buf.subarray(pos + 5, pos + 5 + length);
      pos += 5 + length;
      this.consumed += 5 + length;
      if (type === ContentType.handshake) this.handshakes(body);
      else if (!this.sink.record(type, body)) {
        this.stopped = true;
        return pos;
      }
      if (this.failure !== undefined) return pos;
    }
    return pos;
  }

  /** Handshake messages of one record body, with what earlier records left. */
  private handshakes(body: Uint8Array): void {
    let buf = body;
    const carried = this.messages.length > 0;
    if (carried) {
      this.messages.push(body);
      buf = this.messages.bytes.subarray(0, this.messages.length);
    }
    const r = new ByteReader(buf);
    while (r.left >= 4) {
      const start = r.pos;
      const type = r.u8();
      const length = r.u24();
      if (length > MAX_HANDSHAKE) {
        this.failure = 'handshake message over 64 kB';
        this.messages.clear();
        return;
      }
      if (r.left < length) {
        r.pos = start;
        break;
      }
      this.sink.handshake(type, r.view(length));
    }
    if (carried) this.messages.shift(r.pos);
    else if (r.pos < buf.length) this.messages.push(buf.subarray(r.pos));
  }
}
