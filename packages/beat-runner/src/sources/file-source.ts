import * as fs from 'fs';
import { PcapReader } from '@wirebeat/tcp-reassembly';
import { gatedFileStream, openCaptureFile } from './file-chunks';
import type { FrameSink, PacketSource, SourceSummary } from './types';

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

/** Reads a capture file, optionally several times and paced by its timestamps. */
export class FileSource implements PacketSource {
  private stopped = false;
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
      // The next pass starts one second after this one ended, in packet time.
      shift += last - first + 1000;
    }
    return summary;
  }

  /** Interrupts run() between frames. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
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
    // A stop cuts the last record on purpose: that is no damage of the file.
    if (reportDamage && !this.stopped) for (const w of reader.warnings) summary.damage.push(w.message);
    progress?.((pass + 1) / loops, summary.frames);
    return { first: span.first, last: span.last };
  }

  /**
   * As fast as possible: every frame of a chunk is handled synchronously (no promise per frame);
   * backpressure applies between chunks, which bounds what a full queue can be overrun by.
   */
  private async readFast(
    sink: FrameSink,
    shift: number,
    span: PassSpan,
    onProgress?: (bytesRead: number) => void,
  ): Promise<PcapReader> {
    const fd = openCaptureFile(this.opts.path);
    const stream = gatedFileStream(
      fd,
      () => (sink.mustWait ? sink.waitForSpace() : undefined),
      () => this.stopped,
    );
    const reader = PcapReader.open(stream, { name: this.opts.path });
    try {
      await reader.forEach((frame) => {
        if (span.first === undefined) span.first = frame.ts;
        span.last = frame.ts;
        if (shift !== 0) frame.ts += shift;
        sink.frame(frame);
        if ((++span.n & (PROGRESS_EVERY - 1)) === 0) onProgress?.(reader.bytesRead);
      });
    } catch (err) {
      // A stop ends the stream early on purpose, possibly before the file header (-l 0 + SIGINT).
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
    const reader = PcapReader.open(this.opts.path);
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
        if (sink.mustWait) await sink.waitForSpace();
        if ((++span.n & (PROGRESS_EVERY - 1)) === 0) onProgress?.(reader.bytesRead);
      }
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
