// The NDJSON encoder of batches: the same bytes as joining the lines and encoding them as UTF-8.
import { ndjsonLines } from '../src/ndjson';
import type { BeatEvent } from '../src/types';

/** What the encoder must produce: each line's text, a newline after each, as UTF-8. */
function expected(batch: BeatEvent[]): Buffer {
  return Buffer.from(batch.map((e) => (e.json ?? JSON.stringify(e.fields)) + '\n').join(''), 'utf8');
}

/** A pseudo-random generator (deterministic: a failure reproduces). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['a', 'Z', '"', '\\', '\n', 'é', '€', '😀', '\ud800', ' ', '{'];

describe('ndjsonLines', () => {
  it('encodes serialised and object events alike, non-ASCII text included', () => {
    const batch: BeatEvent[] = [
      { timestamp: 1, fields: {}, json: '{"a":1}' },
      { timestamp: 2, fields: { b: 'é€😀' } },
      { timestamp: 3, fields: {}, json: '{"c":"\u00ff\u0100"}' },
    ];
    expect(ndjsonLines(batch).equals(expected(batch))).toBe(true);
  });

  it('gives the bytes of the joined lines on random batches (multi-byte text beyond the slack)', () => {
    const next = rng(7);
    for (let round = 0; round < 50; round++) {
      const batch: BeatEvent[] = [];
      const count = 1 + Math.floor(next() * 40);
      for (let i = 0; i < count; i++) {
        const len = Math.floor(next() * (next() < 0.1 ? 5000 : 80));
        let text = '';
        for (let k = 0; k < len; k++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
        batch.push(
          next() < 0.5
            ? { timestamp: i, fields: {}, json: JSON.stringify({ text }) }
            : { timestamp: i, fields: { text } },
        );
      }
      expect(ndjsonLines(batch).equals(expected(batch))).toBe(true);
    }
  });

  it('an empty batch is no bytes', () => {
    expect(ndjsonLines([]).length).toBe(0);
  });
});
