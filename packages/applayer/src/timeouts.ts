// Transaction timeouts on packet time for all connections of one plugin. Requests arrive in
// (roughly) time order, so a FIFO of deadlines replaces a priority queue; tick() costs O(1)
// when nothing is due, which lets the runner call it as often as it likes.

/** Something with a deadline: the TransactionCorrelator. */
export interface DeadlineTarget {
  /** The deadline passed at packet time `now`. */
  onDeadline(now: number): void;
  /** True once its deadlines no longer matter (its connection closed): its entries may go early. */
  readonly finished?: boolean;
}

/** Entries added between two sweeps of finished targets, at least. */
const SWEEP_MIN = 4096;

/** Deadlines of every connection's oldest pending request, fired by packet time. */
export class TransactionTimeouts {
  private targets: DeadlineTarget[] = [];
  private deadlines: number[] = [];
  private head = 0;
  private sinceSweep = 0;
  /** Entries the last sweep kept: the next one waits until as many more were added. */
  private keptBySweep = 0;

  /** Asks for target.onDeadline(now) once packet time reaches `deadline`. */
  watch(target: DeadlineTarget, deadline: number): void {
    this.targets.push(target);
    this.deadlines.push(deadline);
    if (++this.sinceSweep > SWEEP_MIN && this.sinceSweep > this.keptBySweep) this.sweep();
  }

  /**
   * Drops the entries of finished targets. Connections closed (or evicted) in bulk would otherwise
   * stay reachable from here, with all they hold, until their deadlines pass: seconds of packet
   * time, hundreds of thousands of connections. Amortised O(1) per watch.
   */
  private sweep(): void {
    this.sinceSweep = 0;
    let out = 0;
    for (let i = this.head; i < this.targets.length; i++) {
      const target = this.targets[i];
      if (target.finished === true) continue;
      this.targets[out] = target;
      this.deadlines[out++] = this.deadlines[i];
    }
    this.targets.length = out;
    this.deadlines.length = out;
    this.head = 0;
    this.keptBySweep = out;
  }

  /** Entries waiting (for tests and metrics). */
  get size(): number {
    return this.targets.length - this.head;
  }

  /** Fires every deadline reached at packet time `now`. */
  tick(now: number): void {
    while (this.head < this.targets.length && this.deadlines[this.head] <= now) {
      const target = this.targets[this.head];
      this.targets[this.head] = undefined as unknown as DeadlineTarget;
      this.head++;
      target.onDeadline(now);
    }
    if (this.head === this.targets.length) {
      this.targets.length = 0;
      this.deadlines.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.targets.length) {
      this.targets.splice(0, this.head);
      this.deadlines.splice(0, this.head);
      this.head = 0;
    }
  }
}
