// Little-endian integers and length-encoded values of the MySQL wire protocol, read from a packet
// payload with bounds checks: a value that runs past the payload reads as missing (-1 / undefined),
// never as bytes of the next packet.

/** Where the last read ended; module state keeps the readers free of allocation. */
export let next = 0;

/** A little-endian unsigned integer of `n` bytes (n <= 6) at `at`, or -1 past the end. */
export function uint(b: Uint8Array, at: number, n: number): number {
  if (at + n > b.length) return -1;
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[at + i];
  next = at + n;
  return v;
}

/**
 * A length-encoded integer at `at` (1, 3, 4 or 9 bytes), or -1 when it runs past the end or is
 * 0xfb (NULL) / 0xff (not an integer). 8-byte values beyond 2^53 lose precision, as JSON numbers do.
 */
export function lenenc(b: Uint8Array, at: number): number {
  if (at >= b.length) return -1;
  const first = b[at];
  if (first < 0xfb) {
    next = at + 1;
    return first;
  }
  if (first === 0xfc) return uint(b, at + 1, 2);
  if (first === 0xfd) return uint(b, at + 1, 3);
  if (first === 0xfe) {
    const low = uint(b, at + 1, 4);
    const high = uint(b, at + 5, 4);
    if (low < 0 || high < 0) return -1;
    return high * 2 ** 32 + low;
  }
  return -1;
}

const decoder = new TextDecoder('utf-8');

/** Bytes `from`..`to` as UTF-8 text (clamped to the payload). */
export function text(b: Uint8Array, from: number, to = b.length): string {
  return decoder.decode(b.subarray(Math.min(from, b.length), Math.min(to, b.length)));
}

/**
 * A length-encoded string at `at`: its text, null for NULL (0xfb), undefined past the end (with
 * `clamp`, a string running past the end is what there is of it: a packet cut short).
 */
export function lenencText(b: Uint8Array, at: number, clamp = false): string | null | undefined {
  if (b[at] === 0xfb) {
    next = at + 1;
    return null;
  }
  const n = lenenc(b, at);
  if (n < 0) return undefined;
  if (next + n > b.length) {
    if (!clamp) return undefined;
    const start = next;
    next = b.length;
    return text(b, start);
  }
  const start = next;
  next = start + n;
  return text(b, start, start + n);
}

/** Skips a length-encoded string at `at`; false when it runs past the end. */
export function skipLenenc(b: Uint8Array, at: number): boolean {
  const n = lenenc(b, at);
  if (n < 0 || next + n > b.length) return false;
  next += n;
  return true;
}

/** A NUL-terminated string at `at` (to the end when unterminated). */
export function nulText(b: Uint8Array, at: number): string {
  let end = b.indexOf(0, at);
  if (end < 0) end = b.length;
  next = end + 1;
  return text(b, at, end);
}
