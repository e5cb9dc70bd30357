import fs from 'fs';
import { CaptureFileError, InvalidOptionError } from './errors';
import type { Frame } from './types';

const FLUSH_AT = 1 << 20;

/**
 * Writes a classic little-endian, microsecond pcap, either to a file (synchronously, buffered in
 * 1 MiB writes) or in memory (`PcapWriter.memory`, then `toBuffer()`).
 */
export class PcapWriter {
  private buf = Buffer.allocUnsafe(FLUSH_AT + 65536 + 16);
  private len = 0;
  private readonly chunks: Buffer[] = [];
  private closed = false;
  /** Number of frames written so far. */
  framesWritten = 0;

  private constructor(
    private readonly fd: number | undefined,
    private readonly path: string,
    readonly linktype: number,
    readonly snaplen: number,
  ) {
    if (!Number.isInteger(linktype) || linktype < 0 || linktype > 0xffff) {
      throw new InvalidOptionError(`invalid pcap link type ${linktype}`);
    }
    if (!Number.isInteger(snaplen) || snaplen <= 0)
      throw new InvalidOptionError(`invalid pcap snaplen ${snaplen}`);
    const b = this.buf;
    b.writeUInt32LE(0xa1b2c3d4, 0);
    b.writeUInt16LE(2, 4);
    b.writeUInt16LE(4, 6);
    b.writeInt32LE(0, 8);
    b.writeUInt32LE(0, 12);
    b.writeUInt32LE(snaplen, 16);
    b.writeUInt32LE(linktype, 20);
    this.len = 24;
  }

  /** Creates (truncates) a pcap file at `path` and writes its header. */
  static create(path: string, linktype: number, snaplen = 262144): PcapWriter {
    let fd: number;
    try {
      fd = fs.openSync(path, 'w');
    } catch (err) {
      throw new CaptureFileError(path, err);
    }
    return new PcapWriter(fd, path, linktype, snaplen);
  }

  /** An in-memory writer; read the capture with `toBuffer()`. */
  static memory(linktype: number, snaplen = 262144): PcapWriter {
    return new PcapWriter(undefined, '<memory>', linktype, snaplen);
  }

  /** Appends one frame; data beyond the snaplen is cut (origLen keeps the wire length). */
  write(frame: Frame): void {
    this.writePacket(frame.ts, frame.data, frame.origLen);
  }

  /** Appends one packet given its timestamp (ms since the epoch) and bytes. */
  writePacket(ts: number, data: Uint8Array, origLen: number = data.length): void {
    if (this.closed) throw new InvalidOptionError(`${this.path}: pcap writer is closed`);
    const caplen = Math.min(data.length, this.snaplen);
    if (this.len + 16 + caplen > this.buf.length) this.spill(16 + caplen);
    let sec = Math.floor(ts / 1000);
    let usec = Math.round((ts - sec * 1000) * 1000);
    if (usec >= 1000000) {
      sec += 1;
      usec -= 1000000;
    }
    const b = this.buf;
    let p = this.len;
    b.writeUInt32LE(sec >>> 0, p);
    b.writeUInt32LE(usec, p + 4);
    b.writeUInt32LE(caplen, p + 8);
    b.writeUInt32LE(Math.max(origLen, caplen) >>> 0, p + 12);
    p += 16;
    b.set(caplen === data.length ? data : data.subarray(0, caplen), p);
    this.len = p + caplen;
    this.framesWritten++;
    if (this.len >= FLUSH_AT) this.spill(0);
  }

  /** Everything written so far as one Buffer (a copy; the writer stays usable). */
  toBuffer(): Buffer {
    if (this.fd !== undefined)
      throw new InvalidOptionError(`${this.path}: toBuffer() is for in-memory writers`);
    return Buffer.concat([...this.chunks, this.buf.subarray(0, this.len)]);
  }

  /** Flushes and closes the file (no-op for memory writers except forbidding further writes). */
  close(): void {
    if (this.closed) return;
    this.spill(0);
    this.closed = true;
    if (this.fd !== undefined) fs.closeSync(this.fd);
  }

  /** Moves buffered bytes to the file (or the memory chunk list) and makes room for `need` bytes. */
  private spill(need: number): void {
    if (this.len > 0) {
      if (this.fd !== undefined) {
        let off = 0;
        while (off < this.len) off += fs.writeSync(this.fd, this.buf, off, this.len - off);
      } else {
        this.chunks.push(Buffer.from(this.buf.subarray(0, this.len)));
      }
      this.len = 0;
    }
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need);
  }
}
