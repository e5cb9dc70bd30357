import fs from 'fs';
import net from 'net';
import { Readable } from 'stream';
import { CaptureFileError } from '@wirebeat/tcp-reassembly';

/** Bytes per read: small enough that a full queue stops the reader within a few thousand events. */
const CHUNK_BYTES = 1024 * 1024;

/** An open capture input: a regular file (read at offsets) or a named pipe (read as it comes). */
export interface CaptureInput {
  fd: number;
  isFifo: boolean;
}

/**
 * Opens a capture file for reading; a missing or unreadable file is the reader's CaptureFileError.
 * A named pipe is opened without blocking: a blocking open would stop the event loop (and the
 * signal handlers with it) until some writer appears.
 */
export function openCaptureFile(path: string): CaptureInput {
  let fd: number | undefined;
  try {
    const isFifo = fs.statSync(path).isFIFO();
    fd = fs.openSync(path, isFifo ? fs.constants.O_RDONLY | fs.constants.O_NONBLOCK : 'r');
    if (fs.fstatSync(fd).isDirectory()) throw new Error('is a directory');
    return { fd, isFifo };
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

/** A regular file's chunks, the next one read while the current one is parsed. Closes the descriptor. */
async function* fileChunks(fd: number): AsyncGenerator<Buffer> {
  try {
    let position = 0;
    let next = readAt(fd, position);
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) return;
      position += chunk.length;
      next = readAt(fd, position);
      yield chunk;
    }
  } finally {
    fs.close(fd, () => {});
  }
}

/**
 * A named pipe's chunks through the event loop (epoll), so that a stop can end the read at once:
 * a pipe whose writer never closes has no end of its own. The socket owns the descriptor.
 */
async function* fifoChunks(fd: number, stop: AbortSignal): AsyncGenerator<Buffer> {
  const pipe = new net.Socket({ fd, readable: true, writable: false });
  const onStop = () => pipe.destroy();
  stop.addEventListener('abort', onStop, { once: true });
  try {
    for await (const chunk of pipe) yield chunk as Buffer;
  } catch (err) {
    // Destroyed by stop(): the end of the input, not a read error.
    if (!stop.aborted) throw err;
  } finally {
    stop.removeEventListener('abort', onStop);
    pipe.destroy();
  }
}

/** Resolves when `wait` does or when the stop signal fires, whichever comes first. */
export function untilStopped(wait: Promise<void>, stop: AbortSignal): Promise<void> {
  if (stop.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stop.removeEventListener('abort', done);
      resolve();
    };
    stop.addEventListener('abort', done, { once: true });
    wait.then(done, done);
  });
}

/**
 * The input's bytes as a stream that waits (between chunks) while `gate()` returns a promise:
 * backpressure for a reader that parses whole chunks synchronously. A stop ends the stream at the
 * next chunk boundary, also while it waits for the gate or for a pipe's writer.
 */
export function gatedCaptureStream(
  input: CaptureInput,
  gate: () => Promise<void> | undefined,
  stop: AbortSignal,
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const source = input.isFifo ? fifoChunks(input.fd, stop) : fileChunks(input.fd);
    try {
      for await (const chunk of source) {
        if (stop.aborted) return;
        const wait = gate();
        if (wait !== undefined) await untilStopped(wait, stop);
        if (stop.aborted) return;
        yield chunk;
      }
    } finally {
      await source.return(undefined);
    }
  }
  return Readable.from(chunks(), { objectMode: true, highWaterMark: 1 });
}
