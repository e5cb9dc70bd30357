// Unsigned 32-bit reads in either byte order (captures are written in the writer's order).

/** Reads an unsigned little-endian 32-bit integer at `p`. */
export function u32le(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/** Reads an unsigned big-endian 32-bit integer at `p`. */
export function u32be(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/** Reads an unsigned 16-bit integer at `p` in the given byte order. */
export function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
}
