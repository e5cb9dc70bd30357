// NDJSON on a stream (stdout by default): one write per batch, waiting for 'drain' when the
// stream's buffer is full so that a slow reader slows the pipeline instead of growing memory.
import type { Writable } from 'stream';
import type { EventBlock } from '../../event-block';
import { ndjsonLines } from '../../ndjson';
import type { BatchResult, BeatEvent, BlockResult, Output } from '../../types';

/** The events indented, each followed by a newline. */
function prettyLines(batch: readonly BeatEvent[]): string {
  let chunk = '';
  for (const e of batch) chunk += JSON.stringify(e.fields, null, 2) + '\n';
  return chunk;
}

/** Options of ConsoleOutput. */
export interface ConsoleOutputOptions {
  /** Indented JSON (default false: one compact line per event). */
  pretty?: boolean;
  /** Where to write (default process.stdout). */
  stream?: Writable;
}

/** Writes each event's fields as one JSON line. */
export class ConsoleOutput implements Output {
  readonly name = 'console';
  /** Lines are written as they are. */
  readonly ignoresBlockIds = true;
  /**
   * On stdout a written block is with the system (its write callback came); a stream given by
   * the caller may keep the chunks it was written (a PassThrough does until they are read).
   */
  readonly releasesBlocks: boolean;
  private readonly stream: Writable;
  private readonly pretty: boolean;
  private broken: Error | undefined;

  constructor(opts: ConsoleOutputOptions = {}) {
    this.stream = opts.stream ?? process.stdout;
    this.pretty = opts.pretty ?? false;
    this.releasesBlocks = opts.stream === undefined;
    // A closed pipe (`| head`) must not crash the beat: remember it and fail later batches.
    this.stream.on('error', (e: Error) => (this.broken = e));
    // Indented output re-formats each event: blocks then come as events (see Output.publishBlock).
    if (!this.pretty) this.publishBlock = (block) => this.writeBlock(block);
  }

  /** Nothing to prepare. */
  async connect(): Promise<void> {}

  /** Writes the batch as one chunk; resolves once the stream accepted it. */
  async publishBatch(batch: BeatEvent[]): Promise<BatchResult> {
    if (this.broken) return { acked: 0, failed: batch.length, retry: [] };
    const ok = this.stream.write(this.pretty ? prettyLines(batch) : ndjsonLines(batch));
    if (!ok) await this.drained();
    if (this.broken) return { acked: 0, failed: batch.length, retry: [] };
    return { acked: batch.length, failed: 0, retry: [] };
  }

  /** Writes blocks of encoded events as they are (compact output only). */
  readonly publishBlock?: (block: EventBlock) => Promise<BlockResult>;

  private async writeBlock(block: EventBlock): Promise<BlockResult> {
    if (this.broken) return { acked: 0, failed: block.count, retry: [] };
    // On stdout, done only once the bytes are written (the write's callback), not when they are
    // queued: the pipeline then reuses the block's memory (see Output.releasesBlocks).
    let written!: () => void;
    const flushed = new Promise<void>((resolve) => (written = resolve));
    const ok = this.stream.write(block.bytes, () => written());
    if (!ok) await this.drained();
    if (this.releasesBlocks) await flushed;
    if (this.broken) return { acked: 0, failed: block.count, retry: [] };
    return { acked: block.count, failed: 0, retry: [] };
  }

  /** Leaves stdout open (it is not ours to close). */
  async close(): Promise<void> {}

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }
}
