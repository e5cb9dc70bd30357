// Stream splitting helpers.
import { bytewise, concatBytes, everySplit, randomCuts, splitAt } from '../src';

const bytes = new TextEncoder().encode('abcdef');
const text = (chunks: Uint8Array[]) => chunks.map((c) => new TextDecoder().decode(c));

describe('splitting', () => {
  it('splitAt cuts at sorted unique in-range offsets', () => {
    expect(text(splitAt(bytes, [4, 2, 2, 0, 6, 99]))).toEqual(['ab', 'cd', 'ef']);
    expect(text(splitAt(bytes, []))).toEqual(['abcdef']);
  });

  it('everySplit yields the whole and every two-piece cut', () => {
    const all = [...everySplit(bytes)].map(text);
    expect(all).toHaveLength(6);
    expect(all[0]).toEqual(['abcdef']);
    expect(all[3]).toEqual(['abc', 'def']);
    for (const chunks of all) expect(chunks.join('')).toBe('abcdef');
  });

  it('bytewise gives one chunk per byte', () => {
    expect(text(bytewise(bytes))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('randomCuts is deterministic per seed and in range', () => {
    const cuts = randomCuts(100, 50, 42);
    expect(randomCuts(100, 50, 42)).toEqual(cuts);
    expect(randomCuts(100, 50, 43)).not.toEqual(cuts);
    expect(cuts.every((c) => c >= 1 && c <= 99)).toBe(true);
  });

  it('concatBytes joins bytes and strings', () => {
    expect(text([concatBytes(['ab', new Uint8Array([99]), ''])])).toEqual(['abc']);
  });
});
