// A FIFO of events that tracks their count and serialised size; taking a batch is one slice, not a
// shift per event. An entry is one event or a block of encoded events (see EventBlock).
import { entryCount, isBlock, type QueueEntry } from './event-block';

/** Serialised size of a queued entry (its JSON lines). */
export function eventSize(e: QueueEntry): number {
  return isBlock(e) ? e.bytes.byteLength : (e.json?.length ?? 0) + 1;
}

/** What a taken slot holds until the array is compacted. */
const EMPTY: QueueEntry = { timestamp: 0, fields: {} };

/** Array-backed FIFO with a moving head; compacts when the dead prefix gets large. */
export class EventQueue {
  private items: QueueEntry[] = [];
  private head = 0;
  private byteCount = 0;
  private eventCount = 0;

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
    if (end < items.length && isBlock(items[end])) {
      bytes = eventSize(items[end]);
      count = entryCount(items[end]);
      end++;
    } else {
      const limit = Math.min(items.length, this.head + maxEvents);
      while (end < limit) {
        const e = items[end];
        if (isBlock(e)) break;
        const size = eventSize(e);
        if (end > this.head && bytes + size > maxBytes) break;
        bytes += size;
        end++;
      }
      count = end - this.head;
    }
    const events = items.slice(this.head, end);
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
}
