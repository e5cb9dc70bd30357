import * as fs from 'fs';
import { Readable } from 'stream';
import { CaptureFileError } from '@wirebeat/tcp-reassembly';

/** Bytes per read: small enough that a full queue stops the reader within a few thousand events. */
const CHUNK_BYTES = 1024 * 1024;

/** Opens a capture file for reading; a missing or unreadable file is the reader's CaptureFileError. */
export function openCaptureFile(path: string): number {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    if (fs.fstatSync(fd).isDirectory()) throw new Error('is a directory');
    return fd;
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    throw new CaptureFileError(path, err);
  }
}

function readAt(fd: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, 0, CHUNK_BYTES, position, (err, n) => (err ? reject(err) : resolve(buf.subarray(0, n))));
  });
}

/**
 * The file's bytes as a stream that reads the next chunk while the current one is parsed, and that
 * waits (between chunks) while `gate()` returns a promise: backpressure for a reader that parses
 * whole chunks synchronously. Closes the descriptor at the end.
 */
export function gatedFileStream(
  fd: number,
  gate: () => Promise<void> | undefined,
  stopped: () => boolean,
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      let position = 0;
      let next = readAt(fd, position);
      for (;;) {
        const chunk = await next;
        if (chunk.length === 0 || stopped()) return;
        position += chunk.length;
        next = readAt(fd, position);
        const wait = gate();
        if (wait !== undefined) await wait;
        yield chunk;
      }
    } finally {
      fs.close(fd, () => {});
    }
  }
  return Readable.from(chunks(), { objectMode: true, highWaterMark: 1 });
}
