// TimeWaitTable: the ring of closed tuples keeps its order and its index across growth.
import { TimeWaitTable } from '../src/time-wait';

describe('TimeWaitTable', () => {
  it('finds every entry after growing past its first capacity, and expires them oldest first', () => {
    const t = new TimeWaitTable();
    for (let i = 0; i < 3000; i++) t.add(1, 2, i, '', true, i * 10, i % 2 === 0, i, i);
    t.remove(t.find4(1, 2, 5));
    expect(t.size).toBe(2999);
    expect(t.find4(1, 2, 5)).toBe(-1);
    const slot = t.find4(1, 2, 2500);
    expect(t.sameSyn(slot, true, 25000)).toBe(true);
    expect(t.sameSyn(slot, false, 2500)).toBe(true);
    expect(t.sameSyn(t.find4(1, 2, 2501), false, 2501)).toBe(false); // side B sent no SYN
    t.expire(1999, Infinity);
    expect(t.size).toBe(1000);
    expect(t.find4(1, 2, 1999)).toBe(-1);
    expect(t.find4(1, 2, 2000)).toBeGreaterThanOrEqual(0);
    t.expire(-Infinity, 10);
    expect(t.size).toBe(10);
    expect(t.find4(1, 2, 2990)).toBeGreaterThanOrEqual(0);
    t.add(0, 0, 0, 'v6-key', true, 7, true, 8, 5000);
    expect(t.sameSyn(t.find6('v6-key'), false, 8)).toBe(true);
    t.clear();
    expect(t.size).toBe(0);
    expect(t.find6('v6-key')).toBe(-1);
  });
});
