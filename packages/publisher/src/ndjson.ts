// A batch of events as NDJSON bytes, written straight into one buffer (BlockWriter): each event's
// text (usually already serialised, flat) is encoded where it goes, instead of being joined into
// one string that is flattened and then encoded again.
import { BlockWriter } from './block-writer';
import type { BeatEvent } from './types';

/** The events of `batch` as one buffer of lines (`json` when the event has it, else its fields serialised). */
export function ndjsonLines(batch: readonly BeatEvent[]): Buffer {
  // Sized for the batch: most events are ASCII, one byte a character.
  let chars = 0;
  for (const e of batch) chars += (e.json?.length ?? 1024) + 1;
  const writer = new BlockWriter(chars, false);
  for (const e of batch) writer.add(e);
  return writer.lines();
}
