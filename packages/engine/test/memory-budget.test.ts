// The beat-wide memory budget in the engine: connections and their messages are charged, and
// beyond the budget the least recently active connections are closed. What they held is published
// (Error, with a note), every eviction is counted, and nothing that fits in the budget is lost.
import {
  CONNECTION_OVERHEAD,
  connectionClosedNote,
  type Logger,
  type TransactionEvent,
} from '@wirebeat/applayer';
import { Engine } from '@wirebeat/engine';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { echoConnectionFrames } from './echo-connections';

const T0 = Date.UTC(2026, 0, 1);
const EVICTED_NOTE = connectionClosedNote('memory');
const echo = echoProtocol.configSchema.parse({ send_request: true, send_response: true });

function replay(n: number, answered: boolean, memoryBudgetBytes?: number) {
  const events: TransactionEvent[] = [];
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (_o, m) => warnings.push(String(m)), error() {} };
  const engine = new Engine({
    protocols: [{ module: echoProtocol, config: echo }],
    publish: (e) => events.push(e),
    logger,
    ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }),
  });
  let peakUsed = 0;
  for (let c = 0; c < n; c++) {
    for (const f of echoConnectionFrames(c, T0 + c, answered)) engine.processFrame(f);
    peakUsed = Math.max(peakUsed, engine.counters().memory.used_bytes);
  }
  const beforeEnd = engine.counters().memory;
  engine.finish();
  const docs = events.map((e) => JSON.parse(e.json!) as { status: string; request: string });
  return { engine, docs, warnings, peakUsed, beforeEnd, after: engine.counters().memory };
}

describe('memory budget', () => {
  it('charges every open connection and releases it when the connection closes', () => {
    const { beforeEnd, after, docs } = replay(50, true);
    expect(beforeEnd.connections).toBe(50);
    expect(beforeEnd.used_bytes).toBe(50 * CONNECTION_OVERHEAD);
    expect(beforeEnd.evicted_connections).toBe(0);
    expect(after).toMatchObject({ connections: 0, used_bytes: 0, evicted_connections: 0 });
    expect(docs.filter((d) => d.status === 'OK')).toHaveLength(50);
  });

  it('closes the least recently active connections beyond the budget, publishing their pending requests once', () => {
    const budget = 128 * 1024;
    const n = 400;
    const { docs, warnings, peakUsed, beforeEnd, after } = replay(n, false, budget);
    // Every request comes out exactly once, as Error: evicted ones first, the rest at end of input.
    const requests = docs.map((d) => d.request.trim()).sort();
    expect(requests).toEqual(Array.from({ length: n }, (_, c) => `request ${c}`).sort());
    expect(docs.every((d) => d.status === 'Error')).toBe(true);
    const evicted = docs.filter((d) => JSON.stringify(d).includes(EVICTED_NOTE));
    expect(beforeEnd.evicted_connections).toBeGreaterThan(n / 2);
    expect(evicted).toHaveLength(beforeEnd.evicted_connections);
    // The oldest went first: the last connection opened was never evicted.
    expect(evicted.some((d) => d.request.trim() === `request ${n - 1}`)).toBe(false);
    // One frame may add one connection and its request beyond the budget before it is enforced.
    expect(peakUsed).toBeLessThanOrEqual(budget);
    expect(beforeEnd.connections).toBe(n - beforeEnd.evicted_connections);
    expect(after).toMatchObject({ connections: 0, used_bytes: 0, budget_bytes: budget });
    expect(warnings.filter((w) => w.includes('memory budget'))).toHaveLength(1);
  });

  it('loses no transaction that fits in the budget: idle connections go, their answered requests stay OK', () => {
    const n = 400;
    const { docs, beforeEnd } = replay(n, true, 64 * 1024);
    expect(beforeEnd.evicted_connections).toBeGreaterThan(n / 2);
    expect(docs).toHaveLength(n);
    expect(docs.every((d) => d.status === 'OK')).toBe(true);
    expect(new Set(docs.map((d) => d.request)).size).toBe(n);
  });
});
