// NDJSON files under a directory, rotated by size: `<name>` is current, `<name>.1` the newest
// rotated one, up to `<name>.<N-1>`; older files are deleted.
import * as fs from 'fs';
import * as path from 'path';
import { OutputConfigError } from '../../errors';
import type { BatchResult, BeatEvent, Output } from '../../types';

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
  private fd: number | undefined;
  private size = 0;

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

  /** Appends the batch, rotating between lines whenever the next line would not fit. */
  async publishBatch(batch: BeatEvent[]): Promise<BatchResult> {
    if (this.fd === undefined) this.open();
    let chunk = '';
    let chunkBytes = 0;
    for (const e of batch) {
      const line = (e.json ?? JSON.stringify(e.fields)) + '\n';
      const n = Buffer.byteLength(line);
      if (this.size + chunkBytes + n > this.opts.rotateBytes && this.size + chunkBytes > 0) {
        await this.write(chunk);
        chunk = '';
        chunkBytes = 0;
        await this.rotate();
      }
      chunk += line;
      chunkBytes += n;
    }
    if (chunk) await this.write(chunk);
    return { acked: batch.length, failed: 0, retry: [] };
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
    this.fd = fs.openSync(this.current(), 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  private async write(chunk: string): Promise<void> {
    const buf = Buffer.from(chunk);
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
        fs.write(this.fd as number, buf, off, buf.length - off, null, (err, bytesWritten) =>
          err ? reject(err) : resolve({ bytesWritten }),
        ),
      );
      off += bytesWritten;
    }
    this.size += buf.length;
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
