// A bounds-checked reader of big-endian fields over a byte view: every read past the end throws
// TlsDecodeError, so a decoder is written as straight-line code and fails as a whole.
import { TlsDecodeError } from '../errors';

/** Reads fields of `bytes[start, end)` in order. */
export class ByteReader {
  /** Creates a reader of `bytes` from `pos` to `end`. */
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  /** Bytes left. */
  get left(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new TlsDecodeError(`${n} bytes needed, ${this.end - this.pos} left`);
  }

  /** One byte. */
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  /** Two bytes. */
  u16(): number {
    this.need(2);
    const v = (this.bytes[this.pos] << 8) | this.bytes[this.pos + 1];
    this.pos += 2;
    return v;
  }

  /** Three bytes. */
  u24(): number {
    this.need(3);
    const b = this.bytes;
    const v = (b[this.pos] << 16) | (b[this.pos + 1] << 8) | b[this.pos + 2];
    this.pos += 3;
    return v;
  }

  /** A view of the next `n` bytes (not copied). */
  view(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A reader of the next `n` bytes, skipped here. */
  sub(n: number): ByteReader {
    this.need(n);
    const r = new ByteReader(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /** A reader of a vector whose length prefix has `lenBytes` bytes (1, 2 or 3). */
  vector(lenBytes: 1 | 2 | 3): ByteReader {
    const n = lenBytes === 1 ? this.u8() : lenBytes === 2 ? this.u16() : this.u24();
    return this.sub(n);
  }

  /** The next `n` bytes as Latin-1 text (host names and ALPN ids are ASCII). */
  text(n: number): string {
    const v = this.view(n);
    let s = '';
    for (let i = 0; i < v.length; i++) s += String.fromCharCode(v[i]);
    return s;
  }

  /** The next `n` bytes as lower-case hex. */
  hex(n: number): string {
    const v = this.view(n);
    return Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex');
  }
}
