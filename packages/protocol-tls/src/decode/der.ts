// A small DER reader (X.690) for the parts of a certificate node:crypto does not give: its
// version, signature algorithm, and names attribute by attribute. Bounds-checked: a malformed
// certificate throws TlsDecodeError.
import { TlsDecodeError } from '../errors';

/** One DER element: its tag and the span of its contents. */
export interface DerElement {
  tag: number;
  start: number;
  end: number;
}

/** Reads DER elements of `bytes[pos, end)` in order. */
export class DerReader {
  /** Creates a reader of `bytes` from `pos` to `end`. */
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  /** Whether elements are left. */
  get more(): boolean {
    return this.pos < this.end;
  }

  /** The tag of the next element, without reading it. */
  peekTag(): number {
    return this.pos < this.end ? this.bytes[this.pos] : -1;
  }

  /** The next element. */
  next(): DerElement {
    const b = this.bytes;
    if (this.pos + 2 > this.end) throw new TlsDecodeError('DER element cut short');
    const tag = b[this.pos];
    let length = b[this.pos + 1];
    let start = this.pos + 2;
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n === 0 || n > 3 || start + n > this.end) throw new TlsDecodeError('DER length unsupported');
      length = 0;
      for (let i = 0; i < n; i++) length = (length << 8) | b[start + i];
      start += n;
    }
    const end = start + length;
    if (end > this.end) throw new TlsDecodeError('DER element longer than its container');
    this.pos = end;
    return { tag, start, end };
  }

  /** A reader of the contents of the next element, which must have `tag`. */
  enter(tag: number): DerReader {
    const e = this.next();
    if (e.tag !== tag)
      throw new TlsDecodeError(`DER tag 0x${e.tag.toString(16)} where 0x${tag.toString(16)} was expected`);
    return new DerReader(this.bytes, e.start, e.end);
  }
}

/** An OBJECT IDENTIFIER's contents in dotted form. */
export function oidText(bytes: Uint8Array, e: DerElement): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = e.start; i < e.end; i++) {
    v = v * 128 + (bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** A string element's contents (UTF8String, PrintableString, IA5String, BMPString ...) as text. */
export function stringText(bytes: Uint8Array, e: DerElement): string {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + e.start, e.end - e.start);
  // BMPString: UTF-16 big-endian.
  if (e.tag === 0x1e) return body.length % 2 === 0 ? Buffer.from(body).swap16().toString('utf16le') : '';
  return e.tag === 0x0c ? body.toString('utf8') : body.toString('latin1');
}

/** An INTEGER's contents as a decimal string (a serial number may have 20 bytes). */
export function integerText(bytes: Uint8Array, e: DerElement): string {
  if (e.end === e.start) return '0';
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset + e.start, e.end - e.start).toString('hex');
  let v = BigInt('0x' + hex);
  if (bytes[e.start] & 0x80) v -= 1n << BigInt((e.end - e.start) * 8);
  return v.toString(10);
}

/** A UTCTime (0x17) or GeneralizedTime (0x18) as an RFC 3339 time in UTC (whole seconds). */
export function timeText(bytes: Uint8Array, e: DerElement): string {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset + e.start, e.end - e.start).toString('latin1');
  const m =
    e.tag === 0x17
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s)
      : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (m === null) throw new TlsDecodeError(`time ${s} not understood`);
  // UTCTime years 50-99 are 19xx (RFC 5280 4.1.2.5.1).
  const year = e.tag === 0x17 ? (Number(m[1]) >= 50 ? '19' : '20') + m[1] : m[1];
  // Milliseconds written as Packetbeat writes times.
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}
