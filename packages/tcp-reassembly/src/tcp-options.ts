// TCP header options the reassembler needs: only the window scale of SYN segments.

/** The window scale shift of the options between `off` (TCP header start) + 20 and `end`, or -1. */
export function windowScaleOption(data: Uint8Array, off: number, end: number): number {
  let q = off + 20;
  while (q < end) {
    const kind = data[q];
    if (kind === 0) break;
    if (kind === 1) {
      q++;
      continue;
    }
    if (q + 1 >= end) break;
    const len = data[q + 1];
    if (len < 2 || q + len > end) break;
    // RFC 7323: a shift above 14 is taken as 14.
    if (kind === 3 && len === 3) return Math.min(data[q + 2], 14);
    q += len;
  }
  return -1;
}
