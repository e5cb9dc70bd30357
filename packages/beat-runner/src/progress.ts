/** A one-line progress bar on a terminal; does nothing unless the stream is a TTY. */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly width = 30,
  ) {}

  /** True when drawing makes sense (an interactive terminal). */
  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Redraws at most five times a second. */
  update(fraction: number, frames: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 200 && fraction < 1) return;
    this.lastDraw = now;
    const f = Math.max(0, Math.min(1, fraction));
    const full = Math.round(f * this.width);
    this.stream.write(
      `\r[${'#'.repeat(full)}${'.'.repeat(this.width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${frames} packets`,
    );
    this.drawn = true;
  }

  /** Erases the bar so that later lines start clean. */
  clear(): void {
    if (!this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
