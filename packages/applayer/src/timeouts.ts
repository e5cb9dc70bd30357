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
  // A FIFO in two parallel arrays, live between `head` and `tail`. Emptying it only resets the
  // indices: the arrays keep their room (grown by push, as V8 grows arrays), so steady traffic (a
  // request pending, answered, the next one) allocates nothing here.
  private targets: Array<DeadlineTarget | undefined> = [];
  private deadlines: number[] = [];
  private head = 0;
  private tail = 0;
  private sinceSweep = 0;
  /** Entries the last sweep kept: the next one waits until as many more were added. */
  private keptBySweep = 0;

  /** Asks for target.onDeadline(now) once packet time reaches `deadline`. */
  watch(target: DeadlineTarget, deadline: number): void {
    let tail = this.tail;
    if (tail === this.targets.length && this.head * 2 >= tail && this.head > 0) tail = this.compact();
    if (tail < this.targets.length) {
      this.targets[tail] = target;
      this.deadlines[tail] = deadline;
    } else {
      this.targets.push(target);
      this.deadlines.push(deadline);
    }
    this.tail = tail + 1;
    if (++this.sinceSweep > SWEEP_MIN && this.sinceSweep > this.keptBySweep) this.sweep();
  }

  /** Moves the live entries to the front of the arrays; the new tail. */
  private compact(): number {
    const live = this.tail - this.head;
    for (let i = 0; i < live; i++) {
      this.targets[i] = this.targets[this.head + i];
      this.deadlines[i] = this.deadlines[this.head + i];
    }
    this.targets.fill(undefined, live, this.tail);
    this.head = 0;
    this.tail = live;
    return live;
  }

  /**
   * Drops the entries of finished targets. Connections closed (or evicted) in bulk would otherwise
   * stay reachable from here, with all they hold, until their deadlines pass: seconds of packet
   * time, hundreds of thousands of connections. Amortised O(1) per watch.
   */
  private sweep(): void {
    this.sinceSweep = 0;
    let out = 0;
    for (let i = this.head; i < this.tail; i++) {
      const target = this.targets[i]!;
      if (target.finished === true) continue;
      this.targets[out] = target;
      this.deadlines[out++] = this.deadlines[i];
    }
    this.targets.fill(undefined, out, this.tail);
    this.head = 0;
    this.tail = out;
    this.keptBySweep = out;
  }

  /** Entries waiting (for tests and metrics). */
  get size(): number {
    return this.tail - this.head;
  }

  /** Fires every deadline reached at packet time `now`. */
  tick(now: number): void {
    while (this.head < this.tail && this.deadlines[this.head] <= now) {
      const target = this.targets[this.head]!;
      this.targets[this.head++] = undefined;
      target.onDeadline(now);
    }
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    }
  }
}
