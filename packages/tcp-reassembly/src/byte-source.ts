// Where a PcapReader gets its bytes: a file read in large chunks, a Buffer, or a Readable.
import fs from 'fs';
import type { Readable } from 'stream';
import { CaptureFileError } from './errors';

/** `bytes` as a plain Uint8Array (a view of the same memory when it is a Buffer or another subclass). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** A sequence of byte chunks; `next()` resolves to undefined at the end of the input. */
export interface ByteSource {
  readonly name: string;
  next(): Promise<Uint8Array | undefined>;
  /** Reads up to `length` bytes into `target` at `offset` (0 at the end); sources that can fill a caller's buffer have it. */
  readInto?(target: Uint8Array, offset: number, length: number): Promise<number>;
  close(): void;
}

/** Reads a file by its descriptor in large chunks. */
export class FileByteSource implements ByteSource {
  private fd: number | undefined;
  private position = 0;

  constructor(
    readonly name: string,
    readonly chunkSize: number,
  ) {
    try {
      this.fd = fs.openSync(name, 'r');
      if (fs.fstatSync(this.fd).isDirectory()) throw new Error('is a directory');
    } catch (err) {
      this.close();
      throw new CaptureFileError(name, err);
    }
  }

  next(): Promise<Uint8Array | undefined> {
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve(undefined);
    const chunk = Buffer.allocUnsafe(this.chunkSize);
    return new Promise((resolve, reject) => {
      fs.read(fd, chunk, 0, chunk.length, this.position, (err, n) => {
        if (err) return reject(new CaptureFileError(this.name, err));
        this.position += n;
        resolve(n === 0 ? undefined : chunk.subarray(0, n));
      });
    });
  }

  readInto(target: Uint8Array, offset: number, length: number): Promise<number> {
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      fs.read(fd, target, offset, length, this.position, (err, n) => {
        if (err) return reject(new CaptureFileError(this.name, err));
        this.position += n;
        resolve(n);
      });
    });
  }

  close(): void {
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      try {
        fs.closeSync(fd);
      } catch {
        // Closing a descriptor we opened can only fail if it is already gone.
      }
    }
  }
}

/** A whole capture already in memory: one chunk, no copy. */
export class BufferByteSource implements ByteSource {
  constructor(
    readonly name: string,
    private data: Uint8Array | undefined,
  ) {}

  next(): Promise<Uint8Array | undefined> {
    const d = this.data;
    this.data = undefined;
    return Promise.resolve(d && d.length > 0 ? d : undefined);
  }

  close(): void {
    this.data = undefined;
  }
}

/** Chunks of a Readable (strings are taken as binary). */
export class StreamByteSource implements ByteSource {
  private readonly it: AsyncIterator<unknown>;

  constructor(
    readonly name: string,
    private readonly stream: Readable,
  ) {
    this.it = stream[Symbol.asyncIterator]();
  }

  async next(): Promise<Uint8Array | undefined> {
    try {
      for (;;) {
        const r = await this.it.next();
        if (r.done) return undefined;
        const v = r.value;
        const chunk = typeof v === 'string' ? Buffer.from(v, 'latin1') : (v as Uint8Array);
        if (chunk.length > 0) return chunk;
      }
    } catch (err) {
      throw new CaptureFileError(this.name, err);
    }
  }

  close(): void {
    this.stream.destroy();
  }
}
