// Events encoded as they are queued, for outputs that write blocks (see EventBlock): each event's
// text goes into one off-heap buffer at once, so that what waits for the output is bytes, not a
// string and an event object per event. Those would otherwise live through young collections
// while the batch fills and be copied and promoted by the garbage collector.
import type { EventBlock } from './event-block';
import type { BeatEvent } from './types';

/** Bytes a writer's buffer starts with when no earlier block says better. */
const MIN_BYTES = 64 * 1024;

/** The id list of a block whose output ignores ids: joined, ''. */
const NO_IDS: readonly string[] = [];

/** Entries a writer's per-event arrays start with. */
const MIN_ENTRIES = 256;

/** A block being filled: events are appended as NDJSON lines until seal() hands the block over. */
export class BlockWriter {
  private buf: Buffer;
  private pos = 0;
  private n = 0;
  private lineEnds: Uint32Array;
  private times: Float64Array;
  private marks: Uint8Array;
  /**
   * The ids, from the first event that had one (undefined until then: most blocks of an output
   * that ignores ids, or of events without, never make the array).
   */
  private ids: string[] | undefined;
  /** The last suffix appended and its bytes (the same text for every event of a run). */
  private suffixText = '';
  private suffixBytes: Buffer = Buffer.alloc(0);

  /**
   * A writer whose buffer starts at `bytesHint` bytes (the size of the last block, say), or is
   * `spare` (the buffer of a block the output is done with) when that is as large; without
   * `keepIds` the block's ids are '' (for an output that ignores them).
   */
  constructor(
    bytesHint = MIN_BYTES,
    private readonly keepIds = true,
    spare?: Buffer,
  ) {
    const size = Math.max(MIN_BYTES, bytesHint);
    this.buf = spare !== undefined && spare.length >= size ? spare : Buffer.allocUnsafeSlow(size);
    this.lineEnds = new Uint32Array(MIN_ENTRIES);
    this.times = new Float64Array(MIN_ENTRIES);
    this.marks = new Uint8Array(MIN_ENTRIES);
  }

  /** Events written. */
  get count(): number {
    return this.n;
  }

  /** Bytes written (every line with its newline). */
  get bytes(): number {
    return this.pos;
  }

  /**
   * Appends `e` (its `json`, else its fields serialised) as one line; `suffix` (members and the
   * closing brace) is written over the document's closing brace, without joining the two strings
   * first (an enricher's additions). Returns the bytes the line took.
   */
  add(e: BeatEvent, suffix?: string): number {
    const text = e.json ?? JSON.stringify(e.fields);
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: only a buffer that may be short grows.
    const most = (text.length + (suffix === undefined ? 0 : suffix.length)) * 3 + 1;
    if (this.buf.length - this.pos < most) this.grow(most);
    const start = this.pos;
    this.pos += this.buf.write(text, start);
    if (suffix !== undefined) {
      if (suffix !== this.suffixText) {
        this.suffixText = suffix;
        this.suffixBytes = Buffer.from(suffix);
      }
      this.pos += this.suffixBytes.copy(this.buf, this.pos - 1) - 1;
    }
    this.buf[this.pos++] = 0x0a;
    if (this.n === this.lineEnds.length) this.growEntries();
    this.lineEnds[this.n] = this.pos;
    this.times[this.n] = e.timestamp;
    this.marks[this.n] = e.provisional === undefined ? 0 : e.provisional ? 2 : 1;
    if (this.keepIds) {
      const id = e.id ?? '';
      if (this.ids !== undefined) this.ids.push(id);
      else if (id !== '') (this.ids = new Array<string>(this.n).fill('')).push(id);
    }
    this.n++;
    return this.pos - start;
  }

  /** The lines written so far, as a view of the writer's buffer. */
  lines(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The block of everything written; the writer must not be used afterwards. */
  seal(): EventBlock {
    return new WrittenBlock(
      this.buf,
      this.lines(),
      this.lineEnds.subarray(0, this.n),
      // An output that ignores ids gets '' (EventBlock.ids), not one empty id per event.
      this.keepIds ? this.ids : NO_IDS,
      this.times.subarray(0, this.n),
      this.marks.subarray(0, this.n),
    );
  }

  private grow(need: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + need));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private growEntries(): void {
    const size = this.lineEnds.length * 2;
    const lineEnds = new Uint32Array(size);
    lineEnds.set(this.lineEnds);
    this.lineEnds = lineEnds;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    const marks = new Uint8Array(size);
    marks.set(this.marks);
    this.marks = marks;
  }
}

/**
 * The buffer of a block a BlockWriter made, to write the next block into once the output is done
 * with this one; undefined for a block made elsewhere (an engine worker's).
 */
export function bufferOf(block: EventBlock): Buffer | undefined {
  return block instanceof WrittenBlock ? block.buffer : undefined;
}

/** A sealed block; its ids are joined only if an output asks for them (the console does not). */
class WrittenBlock implements EventBlock {
  readonly count: number;

  constructor(
    /** The whole buffer the lines were written in. */
    readonly buffer: Buffer,
    readonly bytes: Uint8Array,
    readonly ends: Uint32Array,
    private readonly idList: readonly string[] | undefined,
    readonly timestamps: Float64Array,
    readonly provisional: Uint8Array,
  ) {
    this.count = ends.length;
  }

  /** The events' ids joined by '\n' (EventBlock.ids). */
  get ids(): string {
    return joinIds(this.idList, this.count);
  }
}

/** EventBlock.ids of `count` events: their ids joined by '\n', an empty one for each without id. */
export function joinIds(ids: readonly string[] | undefined, count: number): string {
  if (ids !== undefined) return ids.join('\n');
  return count === 0 ? '' : '\n'.repeat(count - 1);
}
