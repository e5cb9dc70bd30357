// Bounds-checked reads inside one record's data: every read past the record's end throws
// RdataError, which ends the message's decoding with its reason.
import { DnsError } from '../errors';
import { readName, NameError, type NameCache } from './names';
import { charText } from './text';

/** Why record data could not be decoded. */
export class RdataError extends DnsError {}

/** Bounds-checked reads inside one record's data. */
export class RdataReader {
  pos: number;

  constructor(
    readonly msg: Uint8Array,
    from: number,
    private readonly to: number,
    private readonly names?: NameCache,
  ) {
    this.pos = from;
  }

  /** Bytes left in the record data. */
  get left(): number {
    return this.to - this.pos;
  }

  /** Skips n bytes, returning where they start. */
  take(n: number): number {
    if (this.pos + n > this.to) throw new RdataError('record data too short');
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Skips to the end, returning the end offset (for the trailing blob of a record). */
  rest(): number {
    this.pos = this.to;
    return this.to;
  }

  /** One byte. */
  u8(): number {
    return this.msg[this.take(1)];
  }

  /** A big-endian 16-bit number. */
  u16(): number {
    const at = this.take(2);
    return (this.msg[at] << 8) | this.msg[at + 1];
  }

  /** A big-endian 32-bit number. */
  u32(): number {
    const at = this.take(4);
    return (
      ((this.msg[at] << 24) >>> 0) + ((this.msg[at + 1] << 16) | (this.msg[at + 2] << 8) | this.msg[at + 3])
    );
  }

  /** A length-prefixed character string as text. */
  charString(): string {
    const len = this.u8();
    const at = this.take(len);
    return charText(this.msg, at, at + len);
  }

  /** A domain name that must end inside the record data. */
  name(): string {
    const { name, end } = readName(this.msg, this.pos, this.names);
    if (end > this.to) throw new NameError('name runs past its record');
    this.pos = end;
    return name;
  }
}
