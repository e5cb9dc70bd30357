/**
 * Splits a byte stream into newline-terminated lines, keeping the newline, across chunk boundaries.
 * Bytes after the last newline wait for the next chunk (the Go server's bufio.ReadBytes('\n')).
 */
export class LineSplitter {
  private pending: Buffer[] = [];

  /** Feeds one chunk and returns the lines it completed (each ends with '\n'). */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl + 1);
      if (this.pending.length > 0) {
        this.pending.push(piece);
        lines.push(Buffer.concat(this.pending));
        this.pending = [];
      } else {
        lines.push(piece);
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return lines;
  }

  /** Bytes received after the last newline (an incomplete line). */
  get pendingBytes(): number {
    let n = 0;
    for (const p of this.pending) n += p.length;
    return n;
  }
}
