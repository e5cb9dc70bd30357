// Re-splitting byte streams: a parser must give the same messages however TCP cut the stream, so
// property tests feed the same bytes cut at every boundary, byte by byte, and at random places.

/** The bytes cut at the given offsets (unsorted, duplicates and out-of-range offsets ignored). */
export function splitAt(bytes: Uint8Array, cuts: Iterable<number>): Uint8Array[] {
  const offsets = [...new Set(cuts)].filter((n) => n > 0 && n < bytes.length).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of offsets) {
    chunks.push(bytes.subarray(from, to));
    from = to;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** Every way to cut the bytes in two (one cut at each boundary 1..length-1), plus the whole. */
export function* everySplit(bytes: Uint8Array): Generator<Uint8Array[]> {
  yield [bytes];
  for (let cut = 1; cut < bytes.length; cut++) yield [bytes.subarray(0, cut), bytes.subarray(cut)];
}

/** One chunk per byte: the worst case for a parser's need-more-bytes handling. */
export function bytewise(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
  return chunks;
}

/** A small deterministic PRNG (mulberry32): random splits that replay identically from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` random cut offsets in 1..length-1 drawn from a seed. */
export function randomCuts(length: number, count: number, seed: number): number[] {
  const next = seededRandom(seed);
  const cuts: number[] = [];
  for (let i = 0; i < count && length > 1; i++) cuts.push(1 + Math.floor(next() * (length - 1)));
  return cuts;
}

/** Concatenates chunks (for building one stream out of several encoded messages). */
export function concatBytes(chunks: Array<Uint8Array | string>): Uint8Array {
  const encoder = new TextEncoder();
  const parts = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
