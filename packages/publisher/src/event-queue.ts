// A FIFO of events that tracks their serialised size; taking a batch is one slice, not a shift per event.
import type { BeatEvent } from './types';

/** Serialised size of a queued event (its JSON line). */
export function eventSize(e: BeatEvent): number {
  return (e.json?.length ?? 0) + 1;
}

/**
 * Array-backed FIFO with a moving head; compacts when the dead prefix gets large. Taken slots are
 * cleared at once: the dead prefix may be tens of thousands of slots long, and must not keep the
 * events it held (with their JSON) alive after the output took them.
 */
export class EventQueue {
  private items: Array<BeatEvent | undefined> = [];
  private head = 0;
  private byteCount = 0;

  /** Events held. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Serialised bytes held. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Appends an event whose `json` is already set. */
  push(e: BeatEvent): void {
    this.items.push(e);
    this.byteCount += eventSize(e);
  }

  /** Puts events back at the front, in their order (retries go first). */
  unshiftAll(events: BeatEvent[]): void {
    let bytes = 0;
    for (const e of events) bytes += eventSize(e);
    this.byteCount += bytes;
    if (this.head >= events.length) {
      this.head -= events.length;
      for (let i = 0; i < events.length; i++) this.items[this.head + i] = events[i];
    } else {
      this.items = [...events, ...this.items.slice(this.head)];
      this.head = 0;
    }
  }

  /** Removes up to `maxEvents` events and `maxBytes` bytes (at least one event) from the front. */
  take(maxEvents: number, maxBytes: number): { events: BeatEvent[]; bytes: number } {
    let end = this.head;
    let bytes = 0;
    const limit = Math.min(this.items.length, this.head + maxEvents);
    while (end < limit) {
      const size = eventSize(this.items[end]!);
      if (end > this.head && bytes + size > maxBytes) break;
      bytes += size;
      end++;
    }
    const events = this.items.slice(this.head, end) as BeatEvent[];
    this.items.fill(undefined, this.head, end);
    this.head = end;
    this.byteCount -= bytes;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 65_536 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return { events, bytes };
  }
}
