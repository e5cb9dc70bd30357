// TransactionTimeouts keeps its arrays between bursts: whatever the pattern of watches, ticks and
// re-watches from inside onDeadline, it fires what a plain FIFO of deadlines would fire, in order.
import { TransactionTimeouts, type DeadlineTarget } from '../src';

/** A pseudo-random generator (deterministic: a failure reproduces). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The behaviour to match: a FIFO, fired from its head while the head's deadline has passed. */
class ModelFifo {
  readonly entries: Array<{ target: DeadlineTarget; deadline: number }> = [];
  watch(target: DeadlineTarget, deadline: number): void {
    this.entries.push({ target, deadline });
  }
  tick(now: number): void {
    while (this.entries.length > 0 && this.entries[0].deadline <= now)
      this.entries.shift()!.target.onDeadline(now);
  }
}

/** Runs one random scenario on `fifo`; the ids fired, in order. */
function scenario(fifo: { watch: ModelFifo['watch']; tick: ModelFifo['tick'] }, seed: number): number[] {
  const next = rng(seed);
  const fired: number[] = [];
  let now = 0;
  let id = 0;
  const make = (): DeadlineTarget => {
    const mine = id++;
    return {
      onDeadline: (at: number) => {
        fired.push(mine);
        // A correlator watches its next pending request from inside onDeadline.
        if (next() < 0.3) fifo.watch(make(), at + Math.floor(next() * 50));
      },
    };
  };
  for (let step = 0; step < 1500; step++) {
    // Bursts of up to 3000 entries (beyond the initial room), then quiet stretches.
    const burst = next() < 0.02 ? Math.floor(next() * 3000) : Math.floor(next() * 4);
    for (let i = 0; i < burst; i++) fifo.watch(make(), now + Math.floor(next() * 200));
    now += Math.floor(next() * 30);
    fifo.tick(now);
  }
  fifo.tick(Infinity);
  return fired;
}

describe('TransactionTimeouts FIFO', () => {
  it('fires what a plain FIFO fires, in the same order, across growth, compaction and re-watches', () => {
    for (const seed of [1, 2, 3]) {
      const fast = new TransactionTimeouts();
      const fired = scenario(fast, seed);
      expect(fired.length).toBeGreaterThan(1000);
      // Compared as text: jest's deep equality is slow on arrays this long.
      expect(fired.join(',')).toBe(scenario(new ModelFifo(), seed).join(','));
      expect(fast.size).toBe(0);
    }
  });

  it('counts waiting entries, and is empty again once all fired', () => {
    const t = new TransactionTimeouts();
    for (let i = 0; i < 5000; i++) t.watch({ onDeadline: () => undefined }, i);
    expect(t.size).toBe(5000);
    t.tick(2499);
    expect(t.size).toBe(2500);
    t.tick(10_000);
    expect(t.size).toBe(0);
  });
});
