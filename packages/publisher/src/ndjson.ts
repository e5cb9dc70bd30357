// A batch of events as NDJSON bytes, written straight into one buffer: each event's text (usually
// already serialised, flat) is encoded where it goes, instead of being joined into one string that
// is flattened and then encoded again.
import type { BeatEvent } from './types';

/** Room kept beyond a batch's text length (most events are ASCII: one byte a character). */
const SLACK = 4096;

/** The events of `batch` as one buffer of lines (`json` when the event has it, else its fields serialised). */
export function ndjsonLines(batch: readonly BeatEvent[]): Buffer {
  const texts: string[] = new Array<string>(batch.length);
  let chars = 0;
  for (let i = 0; i < batch.length; i++) {
    const e = batch[i];
    const text = e.json ?? JSON.stringify(e.fields);
    texts[i] = text;
    chars += text.length + 1;
  }
  let buf = Buffer.allocUnsafe(chars + SLACK);
  let pos = 0;
  for (const text of texts) {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: only then is the exact length asked.
    if (buf.length - pos < text.length * 3 + 1) {
      const need = Buffer.byteLength(text) + 1;
      if (buf.length - pos < need) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + need + SLACK));
        buf.copy(bigger, 0, 0, pos);
        buf = bigger;
      }
    }
    pos += buf.write(text, pos);
    buf[pos++] = 0x0a;
  }
  return buf.subarray(0, pos);
}
