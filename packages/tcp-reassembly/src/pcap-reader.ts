// Streaming reader of classic pcap and pcapng captures. The input is consumed chunk by chunk, so a
// capture larger than memory works; frames are views into the current chunk (no copy).
import type { Readable } from 'stream';
import { BufferByteSource, FileByteSource, StreamByteSource, type ByteSource } from './byte-source';
import {
  CaptureWarning,
  CorruptCaptureWarning,
  InvalidOptionError,
  NotACaptureError,
  TruncatedCaptureWarning,
} from './errors';
import type { Frame } from './types';

/** Options of PcapReader.open. */
export interface PcapReaderOptions {
  /** Bytes read from a file at a time; default 4 MiB. */
  chunkSize?: number;
  /** Name used in errors and warnings; default the path, `<buffer>` or `<stream>`. */
  name?: string;
}

/** One pcapng interface: its link type and timestamp scale. */
interface PcapngInterface {
  linktype: number;
  /** Timestamp units per second (if_tsresol). */
  unitsPerSecond: number;
  /** Units per millisecond, used as a divisor so that µs and ns values match classic pcap exactly. */
  unitsPerMs: number;
  /** if_tsoffset in milliseconds. */
  offsetMs: number;
}

const EMPTY = new Uint8Array(0);
const MAX_RECORD = 64 * 1024 * 1024;
const PCAPNG_SHB = 0x0a0d0d0a;
const enum State {
  Magic,
  Records,
  Done,
}

function u32le(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}
function u32be(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/** Reads frames from a pcap or pcapng capture given as a path, a Buffer or a Readable. */
export class PcapReader implements AsyncIterable<Frame> {
  /** Non-fatal problems met so far (truncated or corrupt tail). */
  readonly warnings: CaptureWarning[] = [];
  /** Frames delivered so far. */
  framesRead = 0;
  /** Frames whose captured length is shorter than their wire length (snaplen cut). */
  framesTruncated = 0;
  /** pcapng blocks skipped (unknown types, or packets of undeclared interfaces). */
  blocksSkipped = 0;
  private detected: 'pcap' | 'pcapng' | undefined;
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  private end = 0;
  /** Input offset of buf[0]. */
  private base = 0;
  private state = State.Magic;
  private le = true;
  // Classic pcap.
  private linktype = 0;
  private fracPerMs = 1000;
  private recordHeader = 16;
  // pcapng.
  private ifaces: PcapngInterface[] = [];
  private lastTs = 0;
  /** Bytes the record at `pos` needs, for the truncation warning. */
  private need = 0;
  private failure: Error | undefined;
  /** The buffer not in use, for file input (see fillInto). */
  private spare: Uint8Array | undefined;

  private constructor(
    private readonly source: ByteSource,
    private readonly chunkSize = 4 * 1024 * 1024,
  ) {}

  /** Opens a capture; a missing or unreadable path throws CaptureFileError right away. */
  static open(source: string | Uint8Array | Readable, opts: PcapReaderOptions = {}): PcapReader {
    const chunkSize = opts.chunkSize ?? 4 * 1024 * 1024;
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new InvalidOptionError(`PcapReader chunkSize must be a positive integer, got ${chunkSize}`);
    }
    if (typeof source === 'string')
      return new PcapReader(new FileByteSource(opts.name ?? source, chunkSize), chunkSize);
    if (source instanceof Uint8Array)
      return new PcapReader(new BufferByteSource(opts.name ?? '<buffer>', source));
    return new PcapReader(new StreamByteSource(opts.name ?? '<stream>', source));
  }

  /** 'pcap' or 'pcapng' once the first bytes were read (after the first frame or `forEach` started). */
  get format(): 'pcap' | 'pcapng' {
    return this.detected ?? 'pcap';
  }

  /** Bytes of the input consumed so far. */
  get bytesRead(): number {
    return this.base + this.pos;
  }

  /** The source name used in messages (path, `<buffer>` or `<stream>`). */
  get name(): string {
    return this.source.name;
  }

  /** Frames in capture order; a frame's data may be reused once the next frame is requested. */
  [Symbol.asyncIterator](): AsyncIterator<Frame> {
    return {
      next: () => {
        if (this.state === State.Records) {
          const f = this.parseFrame();
          if (f !== undefined) return Promise.resolve({ done: false, value: f });
        }
        return this.nextSlow();
      },
      return: () => {
        this.finish();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  /**
   * Calls `onFrame` for every frame, synchronously for all frames of a chunk: much cheaper than
   * `for await` per frame. The Frame object and its data are only valid during the call.
   */
  async forEach(onFrame: (frame: Frame) => void): Promise<void> {
    try {
      for (;;) {
        if (this.state === State.Magic) this.parseMagic();
        if (this.state === State.Records) {
          let f: Frame | undefined;
          // The state check lets onFrame stop the reading with close().
          while (this.state === State.Records && (f = this.parseFrame()) !== undefined) onFrame(f);
        }
        if (this.state === State.Done) break;
        if (!(await this.fill())) {
          this.atEof();
          break;
        }
      }
    } finally {
      this.finish();
    }
    if (this.failure) throw this.failure;
  }

  /** Stops reading and releases the input. */
  close(): void {
    this.finish();
  }

  private async nextSlow(): Promise<IteratorResult<Frame>> {
    try {
      for (;;) {
        if (this.state === State.Magic) this.parseMagic();
        if (this.state === State.Records) {
          const f = this.parseFrame();
          if (f !== undefined) return { done: false, value: f };
        }
        if (this.state === State.Done) break;
        if (!(await this.fill())) {
          this.atEof();
          break;
        }
      }
    } catch (err) {
      this.finish();
      throw err;
    }
    this.finish();
    if (this.failure) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
    return { done: true, value: undefined };
  }

  private finish(): void {
    this.state = State.Done;
    this.source.close();
  }

  /** Appends the next chunk after the unparsed bytes; false at the end of the input. */
  private async fill(): Promise<boolean> {
    if (this.source.readInto !== undefined) return this.fillInto(this.source.readInto.bind(this.source));
    const chunk = await this.source.next();
    if (chunk === undefined) return false;
    const left = this.end - this.pos;
    if (left === 0) {
      this.base += this.end;
      this.buf = chunk;
    } else {
      const merged = new Uint8Array(left + chunk.length);
      merged.set(this.buf.subarray(this.pos, this.end), 0);
      merged.set(chunk, left);
      this.base += this.pos;
      this.buf = merged;
    }
    this.pos = 0;
    this.end = this.buf.length;
    return true;
  }

  /**
   * File input: two buffers take turns, so that reading allocates nothing after the start. The
   * unparsed tail moves to the front of the other buffer, which frames handed out before may
   * still view: the contract allows reusing frame data after the next frame is requested.
   */
  private async fillInto(
    readInto: (t: Uint8Array, o: number, l: number) => Promise<number>,
  ): Promise<boolean> {
    const left = this.end - this.pos;
    const want = Math.max(this.chunkSize, this.need - left);
    let target = this.spare;
    if (target === undefined || target.length < left + want) target = new Uint8Array(left + want);
    if (left > 0) target.set(this.buf.subarray(this.pos, this.end), 0);
    const n = await readInto(target, left, target.length - left);
    if (n === 0) return false;
    this.spare = this.buf.length >= this.chunkSize ? this.buf : undefined;
    this.base += this.pos;
    this.buf = target;
    this.pos = 0;
    this.end = left + n;
    return true;
  }

  /** End of input: anything left unparsed is a truncated record (or a non-capture). */
  private atEof(): void {
    const left = this.end - this.pos;
    if (this.state === State.Magic) {
      if (left < 4 || this.detected === undefined) {
        this.failure = new NotACaptureError(this.source.name, this.buf.subarray(this.pos, this.end));
      } else {
        this.warn(
          new TruncatedCaptureWarning(
            this.source.name,
            this.bytesRead,
            0,
            `file header cut after ${left} bytes`,
          ),
        );
      }
    } else if (this.state === State.Records && left > 0) {
      const what =
        this.need > left ? `${left} of ${this.need} bytes of the last record` : `${left} trailing bytes`;
      this.warn(new TruncatedCaptureWarning(this.source.name, this.bytesRead, this.framesRead, what));
    }
    this.state = State.Done;
  }

  private warn(w: CaptureWarning): void {
    this.warnings.push(w);
  }

  /** Reads the magic number and the file header (pcap) or leaves the SHB to the block loop (pcapng). */
  private parseMagic(): void {
    const b = this.buf;
    const p = this.pos;
    if (this.end - p < 4) return;
    const magicLe = u32le(b, p);
    const magicBe = u32be(b, p);
    if (magicBe === PCAPNG_SHB) {
      this.detected = 'pcapng';
      this.state = State.Records;
      this.need = 12;
      return;
    }
    let le: boolean;
    let magic: number;
    if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d || magicLe === 0xa1b2cd34) {
      le = true;
      magic = magicLe;
    } else if (magicBe === 0xa1b2c3d4 || magicBe === 0xa1b23c4d || magicBe === 0xa1b2cd34) {
      le = false;
      magic = magicBe;
    } else {
      this.state = State.Done;
      this.source.close();
      throw new NotACaptureError(this.source.name, b.subarray(p, Math.min(this.end, p + 16)));
    }
    this.detected = 'pcap';
    if (this.end - p < 24) return;
    this.le = le;
    this.fracPerMs = magic === 0xa1b23c4d ? 1e6 : 1000;
    this.recordHeader = magic === 0xa1b2cd34 ? 24 : 16;
    this.linktype = (le ? u32le(b, p + 20) : u32be(b, p + 20)) & 0xffff;
    this.pos = p + 24;
    this.need = this.recordHeader;
    this.state = State.Records;
  }

  /** The next frame, or undefined when more input is needed (or reading ended). */
  private parseFrame(): Frame | undefined {
    return this.detected === 'pcapng' ? this.parseBlock() : this.parseRecord();
  }

  private parseRecord(): Frame | undefined {
    const b = this.buf;
    const p = this.pos;
    const hdr = this.recordHeader;
    if (this.end - p < hdr) {
      this.need = hdr;
      return undefined;
    }
    const le = this.le;
    const caplen = le ? u32le(b, p + 8) : u32be(b, p + 8);
    if (caplen > MAX_RECORD) {
      this.corrupt(`captured length ${caplen}`);
      return undefined;
    }
    if (this.end - p < hdr + caplen) {
      this.need = hdr + caplen;
      return undefined;
    }
    const sec = le ? u32le(b, p) : u32be(b, p);
    const frac = le ? u32le(b, p + 4) : u32be(b, p + 4);
    const origLen = le ? u32le(b, p + 12) : u32be(b, p + 12);
    this.pos = p + hdr + caplen;
    this.framesRead++;
    if (origLen > caplen) this.framesTruncated++;
    return {
      ts: sec * 1000 + frac / this.fracPerMs,
      linktype: this.linktype,
      data: b.subarray(p + hdr, p + hdr + caplen),
      origLen: origLen > caplen ? origLen : caplen,
    };
  }

  private corrupt(what: string): void {
    this.warn(new CorruptCaptureWarning(this.source.name, this.bytesRead, this.framesRead, what));
    this.finish();
  }

  /** Walks pcapng blocks until one carries a packet. */
  private parseBlock(): Frame | undefined {
    for (;;) {
      const b = this.buf;
      const p = this.pos;
      const avail = this.end - p;
      if (avail < 12) {
        this.need = 12;
        return undefined;
      }
      let le = this.le;
      const type = le ? u32le(b, p) : u32be(b, p);
      if (type === PCAPNG_SHB) {
        // The byte-order magic decides how this section (including its own length) is read.
        const bom = u32le(b, p + 8);
        if (bom === 0x1a2b3c4d) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          this.corrupt('bad section byte-order magic');
          return undefined;
        }
        this.le = le;
      }
      const blen = le ? u32le(b, p + 4) : u32be(b, p + 4);
      if (blen < 12 || blen % 4 !== 0 || blen > MAX_RECORD) {
        this.corrupt(`block length ${blen}`);
        return undefined;
      }
      if (avail < blen) {
        this.need = blen;
        return undefined;
      }
      this.pos = p + blen;
      const f = this.block(type, b, p, blen);
      if (f !== undefined) return f;
      if (this.state === State.Done) return undefined;
    }
  }

  /** Interprets one complete block; returns its frame when it carries a packet. */
  private block(type: number, b: Uint8Array, p: number, blen: number): Frame | undefined {
    const le = this.le;
    const rd = le ? u32le : u32be;
    switch (type) {
      case 6: // Enhanced packet block
      case 2: {
        // Obsolete packet block: 16-bit interface id and drop count instead of a 32-bit id.
        if (blen < 32) return this.corruptBlock('short packet block');
        const ifId = type === 6 ? rd(b, p + 8) : le ? b[p + 8] | (b[p + 9] << 8) : (b[p + 8] << 8) | b[p + 9];
        const caplen = rd(b, p + 20);
        const origLen = rd(b, p + 24);
        if (28 + caplen + 4 > blen) return this.corruptBlock(`captured length ${caplen} beyond block`);
        const iface = this.ifaces[ifId];
        if (iface === undefined) {
          this.blocksSkipped++;
          return undefined;
        }
        const ts = this.timestamp(iface, rd(b, p + 12), rd(b, p + 16));
        this.lastTs = ts;
        return this.frame(ts, iface.linktype, b.subarray(p + 28, p + 28 + caplen), origLen);
      }
      case 3: {
        // Simple packet block: interface 0, no timestamp (the previous packet's time is used).
        const iface = this.ifaces[0];
        if (blen < 16 || iface === undefined) {
          this.blocksSkipped++;
          return undefined;
        }
        const origLen = rd(b, p + 8);
        const caplen = Math.min(origLen, blen - 16);
        return this.frame(this.lastTs, iface.linktype, b.subarray(p + 12, p + 12 + caplen), origLen);
      }
      case 1:
        this.interfaceBlock(b, p, blen);
        return undefined;
      case PCAPNG_SHB:
        this.ifaces = [];
        return undefined;
      default:
        this.blocksSkipped++;
        return undefined;
    }
  }

  private corruptBlock(what: string): undefined {
    this.blocksSkipped++;
    this.warn(new CorruptCaptureWarning(this.source.name, this.bytesRead, this.framesRead, what));
    return undefined;
  }

  private frame(ts: number, linktype: number, data: Uint8Array, origLen: number): Frame {
    this.framesRead++;
    if (origLen > data.length) this.framesTruncated++;
    return { ts, linktype, data, origLen: origLen > data.length ? origLen : data.length };
  }

  /** Converts a 64-bit timestamp in interface units to ms, exactly for µs and ns resolutions. */
  private timestamp(iface: PcapngInterface, hi: number, lo: number): number {
    const ups = iface.unitsPerSecond;
    // (hi * 2^32 + lo) mod ups without exceeding 2^53: reduce hi, then shift by 2^16 twice.
    const rem = ((((((hi % ups) * 65536) % ups) * 65536) % ups) + lo) % ups;
    const sec = Math.round((hi * 4294967296 + lo - rem) / ups);
    return sec * 1000 + rem / iface.unitsPerMs + iface.offsetMs;
  }

  private interfaceBlock(b: Uint8Array, p: number, blen: number): void {
    const le = this.le;
    const rd16 = (q: number): number => (le ? b[q] | (b[q + 1] << 8) : (b[q] << 8) | b[q + 1]);
    const iface: PcapngInterface = {
      linktype: rd16(p + 8),
      unitsPerSecond: 1e6,
      unitsPerMs: 1000,
      offsetMs: 0,
    };
    let q = p + 16;
    const end = p + blen - 4;
    while (q + 4 <= end) {
      const code = rd16(q);
      const len = rd16(q + 2);
      if (code === 0 || q + 4 + len > end) break;
      if (code === 9 && len >= 1) {
        const r = b[q + 4];
        iface.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
        iface.unitsPerMs = iface.unitsPerSecond / 1000;
      } else if (code === 14 && len >= 8) {
        const hi = le ? u32le(b, q + 8) | 0 : u32be(b, q + 4) | 0;
        const lo = le ? u32le(b, q + 4) : u32be(b, q + 8);
        iface.offsetMs = (hi * 4294967296 + lo) * 1000;
      }
      q += 4 + ((len + 3) & ~3);
    }
    this.ifaces.push(iface);
  }
}

/** Reads a whole capture into an array of frames with copied data (for tests and small files). */
export async function readAllFrames(
  source: string | Uint8Array | Readable,
  opts?: PcapReaderOptions,
): Promise<{ frames: Frame[]; warnings: CaptureWarning[]; format: 'pcap' | 'pcapng' }> {
  const reader = PcapReader.open(source, opts);
  const frames: Frame[] = [];
  await reader.forEach((f) => frames.push({ ...f, data: Buffer.from(f.data) }));
  return { frames, warnings: reader.warnings, format: reader.format };
}
