// The heap governor collects once the heap passes its soft limit, and then only after the heap has
// grown by a quarter of what stayed live (no collection per call when live data is above it).
import { DEFAULT_MEMORY_BUDGET_BYTES } from '@wirebeat/applayer';
import { DEFAULT_HEAP_SOFT_LIMIT, HeapGovernor, heapSoftLimitOf } from '../src/heap-governor';

describe('HeapGovernor', () => {
  it('does nothing while the heap is under its soft limit', () => {
    const g = new HeapGovernor(1024 * 1024 * 1024 * 64);
    for (let i = 0; i < 100; i++) g.check();
    expect(g.collections).toBe(0);
  });

  it('collects over the limit, then waits for growth past what stayed live', () => {
    // A limit under what is live: the first check collects, the next ones find the heap under
    // 1.25 times what stayed live and leave it alone.
    const g = new HeapGovernor(1);
    g.check();
    expect(g.collections).toBe(1);
    for (let i = 0; i < 10; i++) g.check();
    expect(g.collections).toBe(1);
    // Live data growing past that threshold brings one more collection.
    const kept: number[][] = [];
    while (g.collections === 1) {
      kept.push(new Array(100_000).fill(1));
      g.check();
      if (kept.length > 10_000) break;
    }
    expect(g.collections).toBe(2);
    expect(kept.length).toBeGreaterThan(0);
  });
});

describe('heapSoftLimitOf', () => {
  it('follows the budgets: the default ones give the default soft limit, larger ones a larger limit', () => {
    const MiB = 1024 * 1024;
    expect(heapSoftLimitOf(DEFAULT_MEMORY_BUDGET_BYTES, 64 * MiB)).toBe(DEFAULT_HEAP_SOFT_LIMIT);
    expect(heapSoftLimitOf(1024 * MiB, 64 * MiB)).toBe(DEFAULT_HEAP_SOFT_LIMIT + 896 * MiB);
  });
});
