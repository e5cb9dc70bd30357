// Builds pcapng files block by block for reader tests (both byte orders, any options).

/** Writes pcapng blocks in one byte order. */
export class PcapngBuilder {
  private readonly blocks: Buffer[] = [];
  constructor(private readonly le = true) {}

  private u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  }
  private u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.le) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    return b;
  }
  private pad(b: Buffer): Buffer {
    return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  }
  private option(code: number, value: Buffer): Buffer {
    return Buffer.concat([this.u16(code), this.u16(value.length), this.pad(value)]);
  }
  /** Appends a raw block of `type` with `body` (padded), framed by its lengths. */
  block(type: number, body: Buffer): this {
    const b = this.pad(body);
    const len = 12 + b.length;
    this.blocks.push(Buffer.concat([this.u32(type), this.u32(len), b, this.u32(len)]));
    return this;
  }
  shb(): this {
    return this.block(
      0x0a0d0d0a,
      Buffer.concat([this.u32(0x1a2b3c4d), this.u16(1), this.u16(0), Buffer.alloc(8, 0xff)]),
    );
  }
  /** Interface description; tsresol is the raw if_tsresol byte (6 = µs, 9 = ns, 0x80|n = 2^-n). */
  idb(linktype: number, tsresol?: number, snaplen = 65535): this {
    const opts: Buffer[] = [];
    if (tsresol !== undefined) opts.push(this.option(9, Buffer.of(tsresol)));
    opts.push(this.option(2, Buffer.from('eth-test')));
    if (opts.length) opts.push(Buffer.alloc(4));
    return this.block(1, Buffer.concat([this.u16(linktype), this.u16(0), this.u32(snaplen), ...opts]));
  }
  /** Enhanced packet block; `units` is the timestamp in interface units (a bigint). */
  epb(iface: number, units: bigint, data: Buffer, origLen = data.length): this {
    const hi = Number(units >> 32n);
    const lo = Number(units & 0xffffffffn);
    return this.block(
      6,
      Buffer.concat([
        this.u32(iface),
        this.u32(hi),
        this.u32(lo),
        this.u32(data.length),
        this.u32(origLen),
        this.pad(data),
      ]),
    );
  }
  /** Simple packet block (interface 0, no timestamp). */
  spb(data: Buffer, origLen = data.length): this {
    return this.block(3, Buffer.concat([this.u32(origLen), this.pad(data)]));
  }
  build(): Buffer {
    return Buffer.concat(this.blocks);
  }
}
