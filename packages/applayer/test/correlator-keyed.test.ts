// Pairing by key (pairBy): responses answer the oldest pending request of their key, in any order,
// with the same timeouts, placeholders, budget and proof of pairing as FIFO pairing.
import fc from 'fast-check';
import {
  Notes,
  PendingBudget,
  PENDING_REQUEST_OVERHEAD,
  TransactionCorrelator,
  TransactionTimeouts,
  createCounters,
  type FlowTuple,
  type Message,
  type Transaction,
} from '@wirebeat/applayer';

const tuple: FlowTuple = {
  ipVersion: 4,
  transport: 'udp',
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 53,
  connectionId: 'c',
};

/** `key:body`; the key is what pairBy returns (undefined for messages without a colon). */
interface Msg extends Message {
  key: string | undefined;
  body: string;
}

const msg = (dir: 0 | 1, text: string, ts: number): Msg => {
  const at = text.indexOf(':');
  return {
    ts,
    tuple,
    transport: 'udp',
    direction: dir,
    isRequest: dir === 0,
    size: text.length,
    key: at < 0 ? undefined : text.slice(0, at),
    body: at < 0 ? text : text.slice(at + 1),
  };
};
const req = (text: string, ts = 0): Msg => msg(0, text, ts);
const resp = (text: string, ts = 0): Msg => msg(1, text, ts);

/** A keyed correlator whose transactions are recorded as 'request>response [note]' strings. */
function setup(
  opts: { matches?: boolean; maxPending?: number; timeoutMs?: number; budget?: PendingBudget } = {},
) {
  const txs: Array<Transaction<Msg, Msg>> = [];
  const counters = createCounters();
  const timeouts = new TransactionTimeouts();
  const c = new TransactionCorrelator<Msg, Msg>({
    onTransaction: (tx) => txs.push(tx),
    counters,
    maxPending: opts.maxPending,
    transactionTimeoutMs: opts.timeoutMs,
    timeouts,
    budget: opts.budget,
    pairBy: (m) => m.key,
    matches: opts.matches ? (q, r) => r.body.startsWith(q.body) : undefined,
  });
  const text = (m: Msg | undefined) => (m === undefined ? '-' : `${m.key ?? ''}:${m.body}`);
  const log = (): string[] =>
    txs.map((t) => `${text(t.request)}>${text(t.response)}${t.notes ? ` [${t.notes.join('; ')}]` : ''}`);
  return { c, txs, counters, log, timeouts };
}

describe('TransactionCorrelator paired by key', () => {
  it('pairs responses that come out of order with the request of their key', () => {
    const { c, log, txs } = setup();
    c.onRequest(req('1:get a'));
    c.onRequest(req('2:get b'));
    c.onRequest(req('3:get c'));
    c.onResponse(resp('2:B'));
    c.onResponse(resp('3:C'));
    expect(c.pending).toBe(1);
    expect(c.pendingRequest()?.key).toBe('1');
    c.onResponse(resp('1:A'));
    expect(log()).toEqual(['2:get b>2:B', '3:get c>3:C', '1:get a>1:A']);
    // Indexes follow publication, so event ids stay distinct and deterministic.
    expect(txs.map((t) => t.index)).toEqual([0, 1, 2]);
    expect(c.pending).toBe(0);
  });

  it('pairs requests with the same key oldest first, and unkeyed messages in order among themselves', () => {
    const { c, log } = setup();
    c.onRequest(req('7:first'));
    c.onRequest(req('noop'));
    c.onRequest(req('7:second'));
    c.onResponse(resp('7:one'));
    c.onResponse(resp('ok'));
    c.onResponse(resp('7:two'));
    expect(log()).toEqual(['7:first>7:one', ':noop>:ok', '7:second>7:two']);
  });

  it('finds a pending request by key', () => {
    const { c } = setup();
    expect(c.pendingRequest()).toBeUndefined();
    c.onRequest(req('1:a'));
    expect(c.pendingRequest('1')?.body).toBe('a');
    c.onRequest(req('2:b'));
    expect(c.pendingRequest('2')?.body).toBe('b');
    expect(c.pendingRequest('3')).toBeUndefined();
  });

  it('publishes a request whose response was lost when it times out, and its late response alone', () => {
    const { c, log, counters, timeouts } = setup({ timeoutMs: 1000 });
    c.onRequest(req('1:a', 0));
    c.onRequest(req('2:b', 500));
    c.onResponse(resp('2:B', 600));
    timeouts.tick(1000);
    c.onResponse(resp('1:A', 1200));
    expect(log()).toEqual(['2:b>2:B', `1:a>- [${Notes.responseTimeout}]`, `->1:A [${Notes.lateResponse}]`]);
    expect(counters).toMatchObject({ missing_responses: 1, unmatched_responses: 1, transactions: 3 });
  });

  it('keeps timing out the oldest request when a later one was answered first', () => {
    const { c, log, timeouts } = setup({ timeoutMs: 1000 });
    c.onRequest(req('1:a', 0));
    c.onRequest(req('2:b', 900));
    c.onResponse(resp('1:A', 950));
    timeouts.tick(1500);
    expect(log()).toEqual(['1:a>1:A']);
    timeouts.tick(1900);
    expect(log()).toEqual(['1:a>1:A', `2:b>- [${Notes.responseTimeout}]`]);
  });

  it('publishes a response without a pending request of its key alone', () => {
    const { c, log } = setup();
    c.onRequest(req('1:a'));
    c.onResponse(resp('9:Z'));
    c.onResponse(resp('1:A'));
    expect(log()).toEqual([`->9:Z [${Notes.responseWithoutRequest}]`, '1:a>1:A']);
  });

  it('pairs a response with a placeholder of a request lost in a gap only when no key fits', () => {
    const { c, log } = setup();
    c.onRequest(req('1:a'));
    c.requestGap(0);
    c.onRequest(req('3:c'));
    c.onResponse(resp('3:C'));
    c.onResponse(resp('2:B'));
    c.onResponse(resp('1:A'));
    expect(log()).toEqual(['3:c>3:C', `->2:B [${Notes.requestLostInGap}]`, '1:a>1:A']);
  });

  it('with a proof of pairing, takes the oldest request of the key that the response matches', () => {
    const { c, log } = setup({ matches: true });
    c.onRequest(req('5:x'));
    c.onRequest(req('5:y'));
    c.onResponse(resp('5:y-reply'));
    c.onResponse(resp('5:q-reply'));
    c.onResponse(resp('5:x-reply'));
    expect(log()).toEqual([
      '5:y>5:y-reply',
      `->5:q-reply [${Notes.responseWithoutMatchingRequest}]`,
      '5:x>5:x-reply',
    ]);
  });

  it('evicts the oldest request beyond max_pending_requests and the byte budget', () => {
    const { c, log } = setup({ maxPending: 2 });
    c.onRequest(req('1:a'));
    c.onRequest(req('2:b'));
    c.onRequest(req('3:c'));
    c.onResponse(resp('3:C'));
    expect(log()).toEqual([`1:a>- [${Notes.responseTooManyPending}]`, '3:c>3:C']);

    const budget = new PendingBudget(2 * (PENDING_REQUEST_OVERHEAD + 3));
    const b = setup({ budget });
    b.c.onRequest(req('1:a'));
    b.c.onRequest(req('2:b'));
    b.c.onResponse(resp('2:B'));
    expect(budget.used).toBe(PENDING_REQUEST_OVERHEAD + 3);
    b.c.onRequest(req('3:c'));
    b.c.onRequest(req('4:d'));
    expect(b.log()).toEqual(['2:b>2:B', `1:a>- [${Notes.responseEvicted}]`]);
    expect(b.counters.evicted_requests).toBe(1);
  });

  it('publishes every pending request when the flow closes', () => {
    const { c, log } = setup();
    c.onRequest(req('1:a'));
    c.onRequest(req('2:b'));
    c.onResponse(resp('2:B'));
    c.close('eof');
    expect(log()).toEqual(['2:b>2:B', '1:a>- [response missing: end of input]']);
  });
});

describe('TransactionCorrelator paired by key, on any order', () => {
  it('pairs every response with its request whatever the order, never wrongly when some are lost', () => {
    // Requests 0..n-1, each answered after it was sent, in any order among the outstanding ones.
    // Either keys repeat (a small set) and the capture is complete, or keys are unique and the
    // capture may lose requests or responses: a lost request of a repeated key is beyond any
    // pairing (its response takes the next request of the key), unless `match` proves pairs.
    const scenario = fc
      .record({
        n: fc.integer({ min: 1, max: 40 }),
        repeated: fc.boolean(),
        smallKeys: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 40, maxLength: 40 }),
        picks: fc.array(fc.nat(), { minLength: 80, maxLength: 80 }),
        lostReq: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        lostResp: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      })
      .map(({ n, repeated, smallKeys, picks, lostReq: lq, lostResp: lr }) => {
        const keys = repeated ? smallKeys : smallKeys.map((_, i) => 100 + i);
        const lostReq = repeated ? lq.map(() => false) : lq;
        const lostResp = repeated ? lr.map(() => false) : lr;
        const steps: Array<{ dir: 0 | 1; i: number }> = [];
        const outstanding: number[] = [];
        let sent = 0;
        let k = 0;
        while (sent < n || outstanding.length > 0) {
          const pick = picks[k++ % picks.length];
          if (sent < n && (outstanding.length === 0 || pick % 2 === 0)) {
            outstanding.push(sent);
            steps.push({ dir: 0, i: sent++ });
          } else {
            // A server that answers out of order, but each key's requests in order.
            const first = new Map<number, number>();
            for (const j of outstanding) if (!first.has(keys[j])) first.set(keys[j], j);
            const choices = [...first.values()];
            const j = choices[pick % choices.length];
            outstanding.splice(outstanding.indexOf(j), 1);
            steps.push({ dir: 1, i: j });
          }
        }
        return { n, keys, steps, lostReq, lostResp };
      });
    fc.assert(
      fc.property(scenario, ({ n, keys, steps, lostReq, lostResp }) => {
        const { c, txs } = setup({ maxPending: 100 });
        for (const { dir, i } of steps) {
          if (dir === 0 && !lostReq[i]) c.onRequest(req(`${keys[i]}:q${i}`));
          if (dir === 1 && !lostResp[i]) c.onResponse(resp(`${keys[i]}:q${i}`));
        }
        c.close('eof');
        for (const t of txs) {
          // A pair is always right: the response of the very request.
          if (t.request !== undefined && t.response !== undefined)
            expect(t.response.body).toBe(t.request.body);
        }
        // Every message seen is published exactly once.
        const requests = txs.filter((t) => t.request !== undefined).length;
        const responses = txs.filter((t) => t.response !== undefined).length;
        expect(requests).toBe(lostReq.slice(0, n).filter((l) => !l).length);
        expect(responses).toBe(lostResp.slice(0, n).filter((l) => !l).length);
        // Nothing lost on both sides means nothing unpaired.
        if (!lostReq.slice(0, n).some(Boolean) && !lostResp.slice(0, n).some(Boolean))
          expect(txs.every((t) => t.notes === undefined)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
