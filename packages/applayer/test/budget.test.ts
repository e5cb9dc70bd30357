import fc from 'fast-check';
import {
  Notes,
  PENDING_REQUEST_OVERHEAD,
  PendingBudget,
  TransactionCorrelator,
  createCounters,
  type Message,
  type TcpTuple,
  type Transaction,
} from '@wirebeat/applayer';

interface Msg extends Message {
  body: string;
}

const tupleOf = (port: number): TcpTuple => ({
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: port,
  dstIp: '10.0.0.1',
  dstPort: 3030,
  connectionId: `c${port}`,
});
const msg = (tuple: TcpTuple, body: string, isRequest: boolean, ts = 0): Msg => ({
  ts,
  tuple,
  transport: 'tcp',
  direction: isRequest ? 0 : 1,
  isRequest,
  size: body.length,
  body,
});

/** `n` connections sharing one budget of `maxBytes`, their transactions recorded as strings. */
function setup(n: number, maxBytes: number) {
  const budget = new PendingBudget(maxBytes);
  const counters = createCounters();
  const txs: Array<Transaction<Msg, Msg>> = [];
  const conns = Array.from({ length: n }, (_, i) => {
    const tuple = tupleOf(40000 + i);
    const c = new TransactionCorrelator<Msg, Msg>({
      onTransaction: (tx) => txs.push(tx),
      counters,
      budget,
      matches: (q, r) => q.body === r.body,
    });
    return {
      c,
      req: (b: string) => c.onRequest(msg(tuple, b, true)),
      resp: (b: string) => c.onResponse(msg(tuple, b, false)),
    };
  });
  const log = (): string[] =>
    txs.map(
      (t) =>
        `${t.request?.body ?? '-'}>${t.response?.body ?? '-'}${t.notes ? ` [${t.notes.join('; ')}]` : ''}`,
    );
  return { budget, counters, conns, txs, log };
}

const cost = (body: string): number => PENDING_REQUEST_OVERHEAD + body.length;

describe('PendingBudget', () => {
  it('moves on from a queue that can free nothing now (a parser still running), without looping', () => {
    const budget = new PendingBudget(100);
    const stuck = { inBudgetOrder: false, budgetBytes: 0, evictOldest: jest.fn() };
    const freed: string[] = [];
    const willing = {
      inBudgetOrder: false,
      budgetBytes: 0,
      evictOldest() {
        freed.push('willing');
        budget.release(willing, 60);
      },
    };
    budget.charge(stuck, 60);
    budget.charge(willing, 60);
    expect(stuck.evictOldest).toHaveBeenCalledTimes(1);
    expect(freed).toEqual(['willing']);
    expect(budget.evictedRequests).toBe(1);
    expect(budget.used).toBe(60);
    // The stuck queue re-enters the order on its next charge, and is the oldest again then.
    budget.charge(stuck, 50);
    expect(stuck.evictOldest).toHaveBeenCalledTimes(2);
  });

  it('charges pending requests and releases them when answered', () => {
    const { budget, conns, log } = setup(2, 1 << 20);
    conns[0].req('aa');
    conns[1].req('bbb');
    expect(budget.used).toBe(cost('aa') + cost('bbb'));
    conns[0].resp('aa');
    expect(budget.used).toBe(cost('bbb'));
    conns[1].c.close('fin');
    expect(budget.used).toBe(0);
    expect(log()).toEqual(['aa>aa', 'bbb>- [response missing: connection closed (FIN)]']);
  });

  it('over budget, evicts the oldest pending requests across connections, published as Error with a note', () => {
    // Room for three requests of 2 bytes.
    const { budget, counters, conns, log } = setup(3, 3 * cost('r0'));
    conns[0].req('r0');
    conns[1].req('r1');
    conns[2].req('r2');
    expect(log()).toEqual([]);
    conns[0].req('r3'); // over budget: r0, the oldest, goes
    expect(log()).toEqual([`r0>- [${Notes.responseEvicted}]`]);
    conns[1].req('r4'); // r1 goes
    expect(log()).toEqual([`r0>- [${Notes.responseEvicted}]`, `r1>- [${Notes.responseEvicted}]`]);
    expect(budget.used).toBe(3 * cost('r0'));
    expect(counters.evicted_requests).toBe(2);
    expect(budget.evictedRequests).toBe(2);
    // The evicted request's response comes late: alone, never paired with the next request.
    conns[0].resp('r0');
    conns[0].resp('r3');
    expect(log().slice(2)).toEqual([`->r0 [${Notes.lateResponse}]`, 'r3>r3']);
  });

  it('whatever the traffic, every request and response is published exactly once and the budget holds', () => {
    const op = fc.record({
      conn: fc.nat({ max: 7 }),
      request: fc.boolean(),
      len: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 1, max: 4000 }), (ops, maxBytes) => {
        const { budget, conns, txs } = setup(8, maxBytes);
        const sent: string[][] = conns.map(() => []);
        const answered: number[] = conns.map(() => 0);
        const requests: string[] = [];
        const responses: string[] = [];
        ops.forEach((o, k) => {
          if (o.request || answered[o.conn] >= sent[o.conn].length) {
            const body = `${o.conn}:${k}:${'x'.repeat(o.len)}`;
            sent[o.conn].push(body);
            requests.push(body);
            conns[o.conn].req(body);
            expect(budget.used).toBeLessThanOrEqual(Math.max(maxBytes, 0));
          } else {
            const body = sent[o.conn][answered[o.conn]++];
            responses.push(body);
            conns[o.conn].resp(body);
          }
        });
        for (const c of conns) c.c.close('eof');
        expect(budget.used).toBe(0);
        for (const tx of txs) if (tx.request && tx.response) expect(tx.response.body).toBe(tx.request.body);
        expect(
          txs
            .filter((t) => t.request)
            .map((t) => t.request!.body)
            .sort(),
        ).toEqual(requests.sort());
        expect(
          txs
            .filter((t) => t.response)
            .map((t) => t.response!.body)
            .sort(),
        ).toEqual(responses.sort());
      }),
      { numRuns: 300 },
    );
  });
});
