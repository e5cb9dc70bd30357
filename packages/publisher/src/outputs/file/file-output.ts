// NDJSON files under a directory, rotated by size: `<name>` is current, `<name>.1` the newest
// rotated one, up to `<name>.<N-1>`; older files are deleted.
import fs from 'fs';
import path from 'path';
import { OutputConfigError } from '../../errors';
import { blockFrom, type EventBlock } from '../../event-block';
import type { BatchResult, BeatEvent, BlockResult, Output } from '../../types';

/** Options of FileOutput. */
export interface FileOutputOptions {
  /** Directory (created if missing). */
  path: string;
  /** Name of the current file. */
  filename: string;
  /** Rotate before the current file would exceed this many bytes. */
  rotateBytes: number;
  /** Files kept, the current one included (>= 2). */
  numberOfFiles: number;
}

/** Appends events as JSON lines, rotating by size. */
export class FileOutput implements Output {
  readonly name = 'file';
  /** Lines are written as they are. */
  readonly ignoresBlockIds = true;
  /** A block is in the file when publishBlock resolves. */
  readonly releasesBlocks = true;
  private fd: number | undefined;
  private size = 0;
  /** Batches that could not be written completely (disk full or failing). */
  writeFailures = 0;

  constructor(private readonly opts: FileOutputOptions) {}

  /** Creates the directory and opens the current file for appending. */
  async connect(): Promise<void> {
    try {
      await fs.promises.mkdir(this.opts.path, { recursive: true });
      this.open();
    } catch (e) {
      throw new OutputConfigError(`file output: cannot open ${this.current()}: ${(e as Error).message}`);
    }
  }

  /**
   * Appends the batch, rotating between lines whenever the next line would not fit. A write that
   * fails (a full disk) is undone to the last whole line and tried once more; if it fails again,
   * the events written so far are acknowledged and the rest handed back for a later retry, so the
   * file never holds a broken line nor an event twice.
   */
  async publishBatch(batch: BeatEvent[]): Promise<BatchResult> {
    if (this.fd === undefined) this.open();
    let chunk = '';
    let chunkBytes = 0;
    let from = 0; // first event of the chunk
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i];
      const line = (e.json ?? JSON.stringify(e.fields)) + '\n';
      const n = Buffer.byteLength(line);
      if (this.size + chunkBytes + n > this.opts.rotateBytes && this.size + chunkBytes > 0) {
        const failure = await this.writeLines(chunk);
        if (failure !== undefined) return this.partial(batch, from, failure);
        chunk = '';
        chunkBytes = 0;
        from = i;
        await this.rotate();
      }
      chunk += line;
      chunkBytes += n;
    }
    if (chunk) {
      const failure = await this.writeLines(chunk);
      if (failure !== undefined) return this.partial(batch, from, failure);
    }
    return { acked: batch.length, failed: 0, retry: [] };
  }

  /**
   * Appends a block of encoded lines as they are, rotating between lines like publishBatch; on a
   * failing disk the lines not written come back as a block of their own (never written twice).
   */
  async publishBlock(block: EventBlock): Promise<BlockResult> {
    if (this.fd === undefined) this.open();
    const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    let from = 0; // first event of the chunk
    let chunkStart = 0; // and its first byte
    for (let i = 0; i < block.count; i++) {
      const lineStart = i === 0 ? 0 : block.ends[i - 1];
      const lineEnd = block.ends[i];
      if (
        this.size + lineEnd - chunkStart > this.opts.rotateBytes &&
        this.size + lineStart - chunkStart > 0
      ) {
        const failure = await this.writeBytes(bytes.subarray(chunkStart, lineStart));
        if (failure !== undefined) return this.partialBlock(block, from, failure);
        from = i;
        chunkStart = lineStart;
        await this.rotate();
      }
    }
    const end = block.count === 0 ? 0 : block.ends[block.count - 1];
    if (end > chunkStart) {
      const failure = await this.writeBytes(bytes.subarray(chunkStart, end));
      if (failure !== undefined) return this.partialBlock(block, from, failure);
    }
    return { acked: block.count, failed: 0, retry: [] };
  }

  /** The result of a block whose events from `from` on could not be written. */
  private partialBlock(block: EventBlock, from: number, failure: Error): BlockResult {
    this.writeFailures++;
    return {
      acked: from,
      failed: 0,
      retry: [blockFrom(block, from)],
      retryReason: `file output: cannot write ${this.current()}: ${failure.message}`,
    };
  }

  /** The result of a batch whose events from `from` on could not be written. */
  private partial(batch: BeatEvent[], from: number, failure: Error): BatchResult {
    this.writeFailures++;
    return {
      acked: from,
      failed: 0,
      retry: batch.slice(from),
      retryReason: `file output: cannot write ${this.current()}: ${failure.message}`,
    };
  }

  /** Writes whole lines, tried twice; on failure the file is cut back to where it was. */
  private writeLines(chunk: string): Promise<Error | undefined> {
    return this.writeBytes(Buffer.from(chunk));
  }

  /** Writes whole lines' bytes, tried twice; on failure the file is cut back to where it was. */
  private async writeBytes(buf: Buffer): Promise<Error | undefined> {
    let failure: Error | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const start = this.size;
      try {
        await this.write(buf);
        return undefined;
      } catch (e) {
        failure = e as Error;
        // A short write leaves part of a line: cut it off, so the file ends with a whole line.
        fs.ftruncateSync(this.fd as number, start);
        this.size = start;
      }
    }
    return failure;
  }
  /** Closes the current file. */
  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
  }

  private current(): string {
    return path.join(this.opts.path, this.opts.filename);
  }

  private open(): void {
    // 0600 as libbeat creates its output files: events may hold credentials and payloads.
    this.fd = fs.openSync(this.current(), 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /** Appends all of buf (several writes if the system takes part of it). */
  private async write(buf: Buffer): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      off += await this.writeSome(buf, off);
    }
    this.size += buf.length;
  }

  /** One write(2) of buf[off..]: the bytes taken. A seam for tests of failing disks. */
  protected writeSome(buf: Buffer, off: number): Promise<number> {
    return new Promise<number>((resolve, reject) =>
      fs.write(this.fd as number, buf, off, buf.length - off, null, (err, bytesWritten) =>
        err ? reject(err) : resolve(bytesWritten),
      ),
    );
  }

  /** Shifts name.k to name.k+1 (dropping the oldest) and starts a new current file. */
  private async rotate(): Promise<void> {
    await this.close();
    const base = this.current();
    const last = this.opts.numberOfFiles - 1;
    await fs.promises.rm(`${base}.${last}`, { force: true });
    for (let k = last - 1; k >= 1; k--) {
      await fs.promises.rename(`${base}.${k}`, `${base}.${k + 1}`).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    }
    await fs.promises.rename(base, `${base}.1`);
    this.open();
  }
}
