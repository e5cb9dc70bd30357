// The beat-wide memory budget and what keeps closed connections from holding memory: the budget
// counts connections and every protocol's messages; timeout entries of closed connections go early.
import {
  CONNECTION_OVERHEAD,
  MemoryBudget,
  PENDING_REQUEST_OVERHEAD,
  PendingBudget,
  TransactionTimeouts,
} from '@wirebeat/applayer';

describe('MemoryBudget', () => {
  it('counts connections and the messages of every protocol against one limit', () => {
    const beat = new MemoryBudget(4 * CONNECTION_OVERHEAD);
    const http = new PendingBudget(1 << 20, beat);
    const redis = new PendingBudget(1 << 20, beat);
    const queue = () => ({ inBudgetOrder: false, budgetBytes: 0, evictOldest: jest.fn() });
    const a = queue();
    const b = queue();
    beat.openConnection();
    beat.openConnection();
    http.charge(a, PENDING_REQUEST_OVERHEAD);
    redis.charge(b, 2 * PENDING_REQUEST_OVERHEAD);
    expect(beat.used).toBe(2 * CONNECTION_OVERHEAD + 3 * PENDING_REQUEST_OVERHEAD);
    expect(beat.over).toBe(false);
    beat.openConnection();
    beat.openConnection();
    // The protocols' own budgets are far from full: only the beat-wide one sees the sum.
    expect(beat.over).toBe(true);
    expect(a.evictOldest).not.toHaveBeenCalled();
    http.release(a, PENDING_REQUEST_OVERHEAD);
    redis.release(b, 2 * PENDING_REQUEST_OVERHEAD);
    beat.closeConnection();
    expect(beat.over).toBe(false);
    expect(beat.counters()).toEqual({
      budget_bytes: 4 * CONNECTION_OVERHEAD,
      used_bytes: 3 * CONNECTION_OVERHEAD,
      connections: 3,
      evicted_connections: 0,
    });
  });
});

describe('TransactionTimeouts', () => {
  it('drops the entries of finished targets before their deadlines, and still fires the others', () => {
    const timeouts = new TransactionTimeouts();
    const fired: number[] = [];
    const target = (i: number, finished: boolean) => ({ finished, onDeadline: () => fired.push(i) });
    // 20,000 connections closed in bulk, each with an entry due in 10 s, and one still open.
    timeouts.watch(target(-1, false), 10_000);
    for (let i = 0; i < 20_000; i++) timeouts.watch(target(i, true), 10_000 + i);
    expect(timeouts.size).toBeLessThan(10_000);
    timeouts.tick(100_000);
    expect(fired).toContain(-1);
    expect(timeouts.size).toBe(0);
  });
});
