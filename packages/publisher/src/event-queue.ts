// A FIFO of events that tracks their count and serialised size; taking a batch is one slice, not a
// shift per event. An entry is one event or a block of encoded events (see EventBlock). For an
// output that writes blocks, events are encoded as they are pushed (see BlockWriter): the tail of
// the queue is then an open block that becomes a batch.
import { BlockWriter, bufferOf } from './block-writer';
import type { EventBlock } from './event-block';
import { entryCount, isBlock, type QueueEntry } from './event-block';
import type { BeatEvent } from './types';

/** Serialised size of a queued entry (its JSON lines). */
export function eventSize(e: QueueEntry): number {
  return isBlock(e) ? e.bytes.byteLength : (e.json?.length ?? 0) + 1;
}

/** What a taken slot holds until the array is compacted. */
const EMPTY: QueueEntry = { timestamp: 0, fields: {} };

/**
 * Buffers kept for reuse: a block is sealed and the next one opened before the output is done
 * with the first, so two let every block after the first ones reuse a buffer.
 */
const SPARE_BUFFERS = 2;

/** Limits of the blocks an encoding queue makes of single events (a batch's). */
export interface BlockLimits {
  maxEvents: number;
  maxBytes: number;
  /** Keep the events' ids in the blocks (false: their ids are ''). */
  keepIds: boolean;
}

/** Array-backed FIFO with a moving head; compacts when the dead prefix gets large. */
export class EventQueue {
  private items: Array<QueueEntry | BlockWriter> = [];
  private head = 0;
  private byteCount = 0;
  private eventCount = 0;
  /** The block single events are appended to (the last item), while it has room. */
  private writer: BlockWriter | undefined;
  /** Buffers of blocks the output is done with (at most SPARE_BUFFERS): next blocks are written in them. */
  private readonly spare: Buffer[] = [];
  /** Bytes the next block starts with (no copy to grow): see seal. */
  private lastBlockBytes = 0;

  /** Without `encodeAs`, events are kept as they come; with it, encoded into blocks of that size. */
  constructor(private readonly encodeAs?: BlockLimits) {}

  /** Events held (a block counts as its events). */
  get length(): number {
    return this.eventCount;
  }

  /** Serialised bytes held. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Appends an event whose `json` is already set, or a block. */
  push(e: QueueEntry): void {
    if (this.encodeAs !== undefined && !isBlock(e)) {
      this.append(e, this.encodeAs);
      return;
    }
    // Whatever comes next must stay behind this entry: the open block takes no more events.
    this.writer = undefined;
    this.items.push(e);
    this.byteCount += eventSize(e);
    this.eventCount += entryCount(e);
  }

  /** Puts entries back at the front, in their order (retries go first). */
  unshiftAll(events: QueueEntry[]): void {
    for (const e of events) {
      this.byteCount += eventSize(e);
      this.eventCount += entryCount(e);
    }
    if (this.head >= events.length) {
      this.head -= events.length;
      for (let i = 0; i < events.length; i++) this.items[this.head + i] = events[i];
    } else {
      this.items = [...events, ...this.items.slice(this.head)];
      this.head = 0;
    }
  }

  /**
   * Removes up to `maxEvents` events and `maxBytes` bytes (at least one entry) from the front. A
   * block is taken alone: it goes to the output as one write.
   */
  take(maxEvents: number, maxBytes: number): { events: QueueEntry[]; count: number; bytes: number } {
    let end = this.head;
    let bytes = 0;
    let count = 0;
    const items = this.items;
    if (end < items.length && items[end] instanceof BlockWriter) items[end] = this.seal(end);
    const first = items[end];
    if (end < items.length && isBlock(first as QueueEntry)) {
      bytes = eventSize(first as QueueEntry);
      count = entryCount(first as QueueEntry);
      end++;
    } else {
      const limit = Math.min(items.length, this.head + maxEvents);
      while (end < limit) {
        const e = items[end];
        if (e instanceof BlockWriter || isBlock(e)) break;
        const size = eventSize(e);
        if (end > this.head && bytes + size > maxBytes) break;
        bytes += size;
        end++;
      }
      count = end - this.head;
    }
    const events = items.slice(this.head, end) as QueueEntry[];
    // The taken slots let go of their entries: a queue that never empties would otherwise keep
    // every entry ever taken until it compacts (a block is megabytes).
    this.items.fill(EMPTY, this.head, end);
    this.head = end;
    this.byteCount -= bytes;
    this.eventCount -= count;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 65_536 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return { events, count, bytes };
  }

  /**
   * `block` was delivered and its output no longer reads it: a block made here lends its buffer
   * to the next one (a new buffer of megabytes per batch would be garbage the heap only frees
   * at its next collection, and memory the process keeps).
   */
  recycle(block: EventBlock): void {
    const buf = bufferOf(block);
    if (buf !== undefined && buf.length >= this.lastBlockBytes && this.spare.length < SPARE_BUFFERS)
      this.spare.push(buf);
  }

  /** Encodes `e` into the open block, opening one when there is none or the last one is full. */
  private append(e: BeatEvent, limits: BlockLimits): void {
    let w = this.writer;
    if (w === undefined) {
      w = new BlockWriter(this.lastBlockBytes, limits.keepIds, this.spare.pop());
      this.writer = w;
      this.items.push(w);
    }
    this.byteCount += w.add(e);
    this.eventCount++;
    if (w.count >= limits.maxEvents || w.bytes >= limits.maxBytes) this.writer = undefined;
  }

  /** The block of the writer at `index`, which takes no more events. */
  private seal(index: number): QueueEntry {
    const w = this.items[index] as BlockWriter;
    if (w === this.writer) this.writer = undefined;
    // The largest block so far plus a quarter, to a power of two: buffers keep one size, so a
    // delivered block's buffer fits the next one (see recycle), and a writer rarely grows.
    const size = 2 ** Math.ceil(Math.log2(w.bytes + (w.bytes >> 2) + 1));
    this.lastBlockBytes = Math.max(this.lastBlockBytes, size);
    return w.seal();
  }
}
