import fs from 'fs';
import type { StageSetup } from '@wirebeat/engine';
import { PcapReader } from '@wirebeat/tcp-reassembly';
import { gatedCaptureStream, openCaptureFile, untilStopped } from './file-chunks';
import type { FrameSink, PacketSource, SourceSummary } from './types';
import { fileFeedFile } from '../workers/worker-files';

/** First and last packet time of a pass (before shifting) and its frame count. */
interface PassSpan {
  first: number | undefined;
  last: number | undefined;
  n: number;
}

/** Options of {@link FileSource}. */
export interface FileSourceOptions {
  /** pcap or pcapng file. */
  path: string;
  /** Replay as fast as possible (true) or at the pace of the packet timestamps (false, default). */
  topSpeed?: boolean;
  /** Times to read the file (default 1). Later passes are shifted in time so connections do not overlap. */
  loop?: number;
  /** Called with the fraction of the file read (0..1) now and then, for a progress bar. */
  onProgress?: (fraction: number, frames: number) => void;
}

/** Don't sleep for less than this: timers are not that precise and every sleep costs a macrotask. */
const MIN_SLEEP_MS = 4;
const PROGRESS_EVERY = 8192;
/** Packet time between the end of one pass and the start of the next: beyond TIME_WAIT and its check. */
const PASS_GAP_MS = 120_000;

/**
 * Reads a capture file (or a named pipe), optionally several times and paced by its timestamps.
 * stop() ends the reading at once, also while it waits for queue space or for a pipe's writer.
 */
export class FileSource implements PacketSource {
  private readonly stopper = new AbortController();
  private wake: (() => void) | undefined;

  constructor(private readonly opts: FileSourceOptions) {}

  get description(): string {
    return `file ${this.opts.path}`;
  }

  /** Reads every pass; opening errors (missing file, not a capture) propagate as tcp-reassembly's typed errors. */
  async run(sink: FrameSink): Promise<SourceSummary> {
    const loops = this.opts.loop ?? 1;
    const summary: SourceSummary = { frames: 0, bytes: 0, damage: [] };
    const size = this.fileSize();
    sink.ready();
    let shift = 0;
    for (let pass = 0; pass < loops && !this.stopped; pass++) {
      const { first, last } = await this.readPass(sink, shift, summary, pass === 0, size, pass, loops);
      if (first === undefined || last === undefined) break;
      // The next pass starts well after this one ended, in packet time: its packets repeat the same
      // connections (same tuples and sequence numbers), which the reassembler would otherwise take
      // for late duplicates of the closed ones (TIME_WAIT lasts 60 s of packet time).
      shift += last - first + PASS_GAP_MS;
    }
    return summary;
  }

  /**
   * At top speed on a regular file, engine workers read the file themselves (the page cache makes
   * the second read cheap) with the same options, so their frames and packet times are the same.
   */
  workerFeed(): StageSetup | undefined {
    if (this.opts.topSpeed !== true) return undefined;
    try {
      if (!fs.statSync(this.opts.path).isFile()) return undefined;
    } catch {
      return undefined;
    }
    const config: FileSourceOptions = { path: this.opts.path, topSpeed: true, loop: this.opts.loop ?? 1 };
    return {
      file: fileFeedFile(),
      exportName: 'createFileFeed',
      config,
    };
  }

  /** Interrupts run() between frames, and any wait of it (paced sleep, full queue, silent pipe). */
  stop(): void {
    this.stopper.abort();
    this.wake?.();
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private fileSize(): number {
    try {
      return fs.statSync(this.opts.path).size;
    } catch {
      return 0; // PcapReader reports the missing file with its own error.
    }
  }

  private async readPass(
    sink: FrameSink,
    shift: number,
    summary: SourceSummary,
    reportDamage: boolean,
    size: number,
    pass: number,
    loops: number,
  ): Promise<{ first?: number; last?: number }> {
    const progress = this.opts.onProgress;
    const span = { first: undefined as number | undefined, last: undefined as number | undefined, n: 0 };
    const onProgress =
      progress === undefined || size === 0
        ? undefined
        : (bytesRead: number) => progress((pass + bytesRead / size) / loops, summary.frames + span.n);
    const reader = this.opts.topSpeed
      ? await this.readFast(sink, shift, span, onProgress)
      : await this.readPaced(sink, shift, span, onProgress);
    summary.frames += span.n;
    summary.bytes += reader.bytesRead;
    // A stop cuts the input anywhere, often inside a record: that is not damage of the file.
    if (reportDamage && !this.stopped) for (const w of reader.warnings) summary.damage.push(w.message);
    progress?.((pass + 1) / loops, summary.frames);
    return { first: span.first, last: span.last };
  }

  /**
   * As fast as possible: the frames of a chunk are handled synchronously (no promise per frame)
   * until the sink says it is full; then the reading waits at that frame. Between chunks the
   * sink's mustWait is asked too (its fuller check: heap, workers).
   */
  private async readFast(
    sink: FrameSink,
    shift: number,
    span: PassSpan,
    onProgress?: (bytesRead: number) => void,
  ): Promise<PcapReader> {
    const stream = gatedCaptureStream(
      openCaptureFile(this.opts.path),
      () => (sink.mustWait ? sink.waitForSpace() : undefined),
      this.stopper.signal,
    );
    const reader = PcapReader.open(stream, { name: this.opts.path });
    try {
      await reader.forEach((frame) => {
        // A stop while the reading waited inside a chunk ends it there.
        if (this.stopped) return reader.close();
        if (span.first === undefined) span.first = frame.ts;
        span.last = frame.ts;
        if (shift !== 0) frame.ts += shift;
        sink.frame(frame);
        if ((++span.n & (PROGRESS_EVERY - 1)) === 0) onProgress?.(reader.bytesRead);
        // Inside a chunk too: one 1 MiB chunk of pipelined requests makes tens of thousands of
        // events, which must not all wait in memory for an output that is already full.
        if (sink.full === true) return untilStopped(sink.waitForSpace(), this.stopper.signal);
        return undefined;
      });
    } catch (err) {
      // Stopped before the input made sense (a pipe nobody wrote to): nothing was read, no error.
      if (!this.stopped) throw err;
    } finally {
      stream.destroy();
    }
    return reader;
  }

  /** At the recorded pace: waits before each frame until its time (relative to the first) has come. */
  private async readPaced(
    sink: FrameSink,
    shift: number,
    span: PassSpan,
    onProgress?: (bytesRead: number) => void,
  ): Promise<PcapReader> {
    const stream = gatedCaptureStream(openCaptureFile(this.opts.path), () => undefined, this.stopper.signal);
    const reader = PcapReader.open(stream, { name: this.opts.path });
    let wallStart = 0;
    const it = reader[Symbol.asyncIterator]();
    try {
      for (;;) {
        const r = await it.next();
        if (r.done || this.stopped) break;
        const frame = r.value;
        if (span.first === undefined) {
          span.first = frame.ts;
          wallStart = performance.now();
        }
        span.last = frame.ts;
        if (shift !== 0) frame.ts += shift;
        const due = span.last - span.first - (performance.now() - wallStart);
        if (due >= MIN_SLEEP_MS) await this.sleep(due);
        if (this.stopped) break;
        sink.frame(frame);
        if (sink.mustWait) await untilStopped(sink.waitForSpace(), this.stopper.signal);
        if ((++span.n & (PROGRESS_EVERY - 1)) === 0) onProgress?.(reader.bytesRead);
      }
    } catch (err) {
      if (!this.stopped) throw err;
    } finally {
      reader.close();
    }
    return reader;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}
