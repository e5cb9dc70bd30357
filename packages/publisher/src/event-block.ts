// Events that arrive already serialised, as NDJSON lines in one buffer (an engine worker enriched
// and encoded them): the pipeline queues and counts such a block as its events without looking
// at them, and an output that can write bytes takes it whole. Other outputs get the events one by
// one, each parsed only if the output reads its fields.
import type { BeatEvent } from './types';

/** A batch of events encoded elsewhere; counted as `count` events. */
export interface EventBlock {
  readonly count: number;
  /** The events' lines, each ending with '\n'. */
  readonly bytes: Uint8Array;
  /** Offset just past each event's line (its '\n' included) in `bytes`. */
  readonly ends: Uint32Array;
  /**
   * The events' ids joined by '\n' (an empty one for an event without id); '' in a block the
   * pipeline made for an output that ignores ids (Output.ignoresBlockIds).
   */
  readonly ids: string;
  /** Each event's time (ms since the epoch). */
  readonly timestamps: Float64Array;
  /** Per event: 0 not said, 1 final, 2 provisional (BeatEvent.provisional). */
  readonly provisional: Uint8Array;
}

/** A queue entry: one event, or a block of them. */
export type QueueEntry = BeatEvent | EventBlock;

/** True for a block. */
export function isBlock(e: QueueEntry): e is EventBlock {
  return (e as EventBlock).ends !== undefined;
}

/** Events an entry counts as. */
export function entryCount(e: QueueEntry): number {
  return isBlock(e) ? e.count : 1;
}

/** One event of a block: its document parsed the first time someone reads `fields`. */
class BlockEvent implements BeatEvent {
  private parsed: Record<string, unknown> | undefined;

  constructor(
    readonly id: string | undefined,
    readonly timestamp: number,
    public json: string | undefined,
    readonly provisional: boolean | undefined,
  ) {}

  get fields(): Record<string, unknown> {
    // Whoever changes the object after reading it drops json (the BeatEvent rule); parse once.
    this.parsed ??= JSON.parse(this.json ?? '{}') as Record<string, unknown>;
    return this.parsed;
  }
}

/** The events of `b` from the `from`th on, as a block of their own (what an output could not write). */
export function blockFrom(b: EventBlock, from: number): EventBlock {
  if (from === 0) return b;
  const offset = b.ends[from - 1];
  const ends = b.ends.slice(from);
  for (let i = 0; i < ends.length; i++) ends[i] -= offset;
  return {
    count: b.count - from,
    bytes: b.bytes.subarray(offset, b.ends[b.count - 1]),
    ends,
    ids: b.ids.split('\n').slice(from).join('\n'),
    timestamps: b.timestamps.slice(from),
    provisional: b.provisional.slice(from),
  };
}

/** The events of a block, for outputs that take events one by one. */
export function blockEvents(b: EventBlock): BeatEvent[] {
  const buf = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
  const out: BeatEvent[] = new Array<BeatEvent>(b.count);
  let start = 0;
  let idAt = 0;
  for (let i = 0; i < b.count; i++) {
    const end = b.ends[i];
    const idEnd = i === b.count - 1 ? b.ids.length : b.ids.indexOf('\n', idAt);
    const id = b.ids.slice(idAt, idEnd);
    idAt = idEnd + 1;
    const p = b.provisional[i];
    out[i] = new BlockEvent(
      id === '' ? undefined : id,
      b.timestamps[i],
      buf.toString('utf8', start, end - 1),
      p === 0 ? undefined : p === 2,
    );
    start = end;
  }
  return out;
}
