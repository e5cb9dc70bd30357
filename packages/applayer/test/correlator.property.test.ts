import fc from 'fast-check';
import { TransactionCorrelator, type Message, type TcpTuple, type Transaction } from '@wirebeat/applayer';

const tuple: TcpTuple = {
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: 1,
  dstIp: '10.0.0.1',
  dstPort: 2,
  connectionId: 'c',
};
interface Msg extends Message {
  body: string;
}
const msg = (body: string, isRequest: boolean): Msg => ({
  ts: 0,
  tuple,
  transport: 'tcp',
  direction: isRequest ? 0 : 1,
  isRequest,
  size: 1,
  body,
});

type Step = { dir: 0 | 1; i: number; lost: boolean };

/**
 * A capture of an in-order server: request i always precedes response i, requests and responses
 * interleave arbitrarily (pipelining), and the capture may lose any of them.
 */
const capture = fc
  .record({
    n: fc.integer({ min: 1, max: 25 }),
    coins: fc.array(fc.boolean(), { minLength: 50, maxLength: 50 }),
    lostReq: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
    lostResp: fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
  })
  .map(({ n, coins, lostReq, lostResp }) => {
    const steps: Step[] = [];
    let q = 0;
    let r = 0;
    let k = 0;
    while (r < n) {
      if (q < n && (r === q || coins[k++ % coins.length])) steps.push({ dir: 0, i: q, lost: lostReq[q++] });
      else steps.push({ dir: 1, i: r, lost: lostResp[r++] });
    }
    return { n, steps };
  });

/** A run of lost messages in one direction: `len` messages from message number `at`. */
const lossRun = fc.record({ at: fc.nat({ max: 299 }), len: fc.integer({ min: 1, max: 120 }) });

/**
 * A deeply pipelined capture: at least 65 requests are sent before the first response (enough for
 * the correlator to compact its queue while skipping), then requests and responses interleave;
 * a few runs of messages of either direction are lost.
 */
const deepCapture = fc
  .record({
    n: fc.integer({ min: 65, max: 300 }),
    lead: fc.integer({ min: 65, max: 300 }),
    coins: fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
    reqLosses: fc.array(lossRun, { maxLength: 3 }),
    respLosses: fc.array(lossRun, { maxLength: 3 }),
  })
  .map(({ n, lead, coins, reqLosses, respLosses }) => {
    const lost = (runs: Array<{ at: number; len: number }>, i: number): boolean =>
      runs.some((r) => i >= r.at && i < r.at + r.len);
    const steps: Step[] = [];
    let q = 0;
    let r = 0;
    let k = 0;
    while (r < n) {
      const sendRequest = q < n && (q < lead || r === q || coins[k++ % coins.length]);
      if (sendRequest) steps.push({ dir: 0, i: q, lost: lost(reqLosses, q++) });
      else steps.push({ dir: 1, i: r, lost: lost(respLosses, r++) });
    }
    return { n, steps };
  });

/** Feeds a capture; consecutive losses in one direction are one gap, as reassembly reports them. */
function replay(steps: Step[], withMatcher: boolean, maxPending?: number): Array<Transaction<Msg, Msg>> {
  const txs: Array<Transaction<Msg, Msg>> = [];
  const c = new TransactionCorrelator<Msg, Msg>({
    onTransaction: (tx) => txs.push(tx),
    matches: withMatcher ? (a, b) => a.body === b.body : undefined,
    maxPending,
  });
  const inGap: [boolean, boolean] = [false, false];
  for (const s of steps) {
    if (s.lost) {
      if (!inGap[s.dir]) {
        if (s.dir === 0) c.requestGap(0);
        else c.responseGap();
      }
      inGap[s.dir] = true;
      continue;
    }
    inGap[s.dir] = false;
    if (s.dir === 0) c.onRequest(msg(`m${s.i}`, true));
    else c.onResponse(msg(`m${s.i}`, false));
  }
  c.close('eof');
  return txs;
}

function checkInvariants(steps: Step[], txs: Array<Transaction<Msg, Msg>>): void {
  for (const tx of txs) {
    if (tx.request && tx.response) expect(tx.response.body).toBe(tx.request.body);
    else expect(tx.notes?.length).toBe(1);
  }
  // Every captured request and response is published exactly once: nothing is dropped silently.
  const seenReq = steps.filter((s) => s.dir === 0 && !s.lost).map((s) => `m${s.i}`);
  const seenResp = steps.filter((s) => s.dir === 1 && !s.lost).map((s) => `m${s.i}`);
  expect(txs.filter((t) => t.request).map((t) => t.request!.body)).toEqual(seenReq);
  expect(
    txs
      .filter((t) => t.response)
      .map((t) => t.response!.body)
      .sort(),
  ).toEqual(seenResp.sort());
}

/**
 * Like replay, but a captured message may be cut short by a gap (published as `m<i>~`, which never
 * matches) that swallows its tail and any lost messages right after it, as a parser that publishes
 * truncated messages reports it.
 */
function replayWithCuts(steps: Step[], cuts: boolean[]): { txs: Array<Transaction<Msg, Msg>>; fed: Step[] } {
  const txs: Array<Transaction<Msg, Msg>> = [];
  const fed: Step[] = [];
  const c = new TransactionCorrelator<Msg, Msg>({
    onTransaction: (tx) => txs.push(tx),
    matches: (a, b) => a.body === b.body,
  });
  const inGap: [boolean, boolean] = [false, false];
  steps.forEach((s, k) => {
    if (s.lost) {
      if (!inGap[s.dir]) {
        if (s.dir === 0) c.requestGap(0);
        else c.responseGap();
      }
      inGap[s.dir] = true;
      return;
    }
    const cut = cuts[k % cuts.length];
    const body = `m${s.i}${cut ? '~' : ''}`;
    fed.push({ ...s, lost: cut });
    if (s.dir === 0) c.onRequest(msg(body, true));
    else c.onResponse(msg(body, false));
    inGap[s.dir] = cut;
    if (cut && s.dir === 0) c.requestsMaybeLost(0);
    else if (cut) c.responsesMaybeLost();
  });
  c.close('eof');
  return { txs, fed };
}

/** A cut message only pairs with its own partner; every message fed, cut or not, is published once. */
function checkCutInvariants({ txs, fed }: { txs: Array<Transaction<Msg, Msg>>; fed: Step[] }): void {
  const stem = (m: Msg): string => m.body.replace(/~$/, '');
  for (const tx of txs) {
    if (tx.request && tx.response) expect(stem(tx.response)).toBe(stem(tx.request));
    else expect(tx.notes?.length).toBe(1);
  }
  const body = (s: Step): string => `m${s.i}${s.lost ? '~' : ''}`;
  expect(txs.filter((t) => t.request).map((t) => t.request!.body)).toEqual(
    fed.filter((s) => s.dir === 0).map(body),
  );
  expect(
    txs
      .filter((t) => t.response)
      .map((t) => t.response!.body)
      .sort(),
  ).toEqual(
    fed
      .filter((s) => s.dir === 1)
      .map(body)
      .sort(),
  );
}

describe('TransactionCorrelator properties', () => {
  it('with a matcher and messages cut short by gaps, a cut message only pairs with its own partner', () => {
    fc.assert(
      fc.property(capture, fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), ({ steps }, cuts) => {
        checkCutInvariants(replayWithCuts(steps, cuts));
      }),
      { numRuns: 500 },
    );
  });

  it('with a matcher, never pairs a response with the wrong request, whatever the capture lost', () => {
    fc.assert(
      fc.property(capture, ({ steps }) => {
        checkInvariants(steps, replay(steps, true));
      }),
      { numRuns: 500 },
    );
  });

  it('without a matcher, pairs correctly when each gap loses one message', () => {
    const isolated = capture.filter(({ steps }) => {
      const lastLost: [boolean, boolean] = [false, false];
      for (const s of steps) {
        if (s.lost && lastLost[s.dir]) return false;
        lastLost[s.dir] = s.lost;
      }
      return true;
    });
    fc.assert(
      fc.property(isolated, ({ steps }) => {
        checkInvariants(steps, replay(steps, false));
      }),
      { numRuns: 500 },
    );
  });

  it('with nothing lost, every request is paired with its own response', () => {
    fc.assert(
      fc.property(capture, ({ n, steps }) => {
        const clean = steps.map((s) => ({ ...s, lost: false }));
        const txs = replay(clean, false);
        expect(txs).toHaveLength(n);
        expect(txs.every((t) => t.request?.body === t.response?.body && t.notes === undefined)).toBe(true);
      }),
    );
  });
});

describe('TransactionCorrelator properties, more than 64 requests pending', () => {
  it('with a matcher and gaps, never throws, never mis-pairs, publishes every message once', () => {
    fc.assert(
      fc.property(deepCapture, ({ steps }) => {
        checkInvariants(steps, replay(steps, true));
      }),
      { numRuns: 300 },
    );
  });

  it('with a matcher, gaps and a pending cap below the pipeline depth, the same holds', () => {
    fc.assert(
      fc.property(deepCapture, fc.integer({ min: 1, max: 200 }), ({ steps }, maxPending) => {
        checkInvariants(steps, replay(steps, true, maxPending));
      }),
      { numRuns: 300 },
    );
  });

  it('with messages cut short by gaps, a cut message only pairs with its own partner', () => {
    fc.assert(
      fc.property(deepCapture, fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }), ({ steps }, cuts) => {
        checkCutInvariants(replayWithCuts(steps, cuts));
      }),
      { numRuns: 200 },
    );
  });

  it('without a matcher and with nothing lost, every request is paired with its own response', () => {
    fc.assert(
      fc.property(deepCapture, ({ n, steps }) => {
        const txs = replay(
          steps.map((s) => ({ ...s, lost: false })),
          false,
        );
        expect(txs).toHaveLength(n);
        expect(txs.every((t) => t.request?.body === t.response?.body && t.notes === undefined)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
