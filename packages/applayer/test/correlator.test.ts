import {
  Notes,
  TransactionCorrelator,
  TransactionTimeouts,
  createCounters,
  type Message,
  type TcpTuple,
  type Transaction,
} from '@wirebeat/applayer';

const tuple: TcpTuple = {
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 3030,
  connectionId: 'c',
};

interface Msg extends Message {
  body: string;
}

const req = (body: string, ts = 0): Msg => ({
  ts,
  tuple,
  transport: 'tcp',
  direction: 0,
  isRequest: true,
  size: body.length,
  body,
});
const resp = (body: string, ts = 0): Msg => ({
  ts,
  tuple,
  transport: 'tcp',
  direction: 1,
  isRequest: false,
  size: body.length,
  body,
});

/** A correlator whose transactions are recorded as 'request>response [note]' strings. */
function setup(
  opts: { matches?: boolean; maxPending?: number; timeoutMs?: number; timeouts?: TransactionTimeouts } = {},
) {
  const txs: Array<Transaction<Msg, Msg>> = [];
  const counters = createCounters();
  const c = new TransactionCorrelator<Msg, Msg>({
    onTransaction: (tx) => txs.push(tx),
    counters,
    maxPending: opts.maxPending,
    transactionTimeoutMs: opts.timeoutMs,
    timeouts: opts.timeouts,
    matches: opts.matches ? (q, r) => q.body === r.body : undefined,
  });
  const log = (): string[] =>
    txs.map(
      (t) =>
        `${t.request?.body ?? '-'}>${t.response?.body ?? '-'}${t.notes ? ` [${t.notes.join('; ')}]` : ''}`,
    );
  return { c, txs, counters, log };
}

describe('TransactionCorrelator', () => {
  it('pairs requests and responses in order, with pipelining', () => {
    const { c, log, txs, counters } = setup();
    c.onRequest(req('a'));
    c.onRequest(req('b'));
    c.onRequest(req('c'));
    expect(c.pending).toBe(3);
    c.onResponse(resp('a'));
    c.onRequest(req('d'));
    c.onResponse(resp('b'));
    c.onResponse(resp('c'));
    c.onResponse(resp('d'));
    expect(log()).toEqual(['a>a', 'b>b', 'c>c', 'd>d']);
    expect(txs.map((t) => t.index)).toEqual([0, 1, 2, 3]);
    expect(counters).toMatchObject({
      messages: 8,
      transactions: 4,
      missing_responses: 0,
      unmatched_responses: 0,
    });
  });

  it('publishes a response without a request on its own, counted, never paired later', () => {
    const { c, log, counters } = setup();
    c.onResponse(resp('x'));
    c.onRequest(req('a'));
    c.onResponse(resp('a'));
    expect(log()).toEqual([`->x [${Notes.responseWithoutRequest}]`, 'a>a']);
    expect(counters.unmatched_responses).toBe(1);
  });

  it('publishes pending requests as missing when the connection closes (FIN, RST, end of input)', () => {
    for (const [reason, note] of [
      ['fin', 'response missing: connection closed (FIN)'],
      ['rst', 'response missing: connection reset (RST)'],
      ['eof', 'response missing: end of input'],
    ]) {
      const { c, log, counters } = setup();
      c.onRequest(req('a'));
      c.onRequest(req('b'));
      c.onResponse(resp('a'));
      c.close(reason);
      expect(log()).toEqual(['a>a', `b>- [${note}]`]);
      expect(counters.missing_responses).toBe(1);
      expect(c.pending).toBe(0);
    }
  });

  it('caps pending requests: the oldest is published as missing and its late response stays unpaired', () => {
    const { c, log } = setup({ maxPending: 2 });
    c.onRequest(req('a'));
    c.onRequest(req('b'));
    c.onRequest(req('c'));
    expect(c.pending).toBe(2);
    c.onResponse(resp('a'));
    c.onResponse(resp('b'));
    c.onResponse(resp('c'));
    expect(log()).toEqual([
      `a>- [${Notes.responseTooManyPending}]`,
      `->a [${Notes.lateResponse}]`,
      'b>b',
      'c>c',
    ]);
  });

  describe('timeouts on packet time', () => {
    it('publishes overdue requests when the shared queue ticks, not before', () => {
      const timeouts = new TransactionTimeouts();
      const { c, log, counters } = setup({ timeoutMs: 1000, timeouts });
      c.onRequest(req('a', 0));
      c.onRequest(req('b', 500));
      timeouts.tick(999);
      expect(log()).toEqual([]);
      timeouts.tick(1000);
      expect(log()).toEqual([`a>- [${Notes.responseTimeout}]`]);
      timeouts.tick(1600);
      expect(log()).toEqual([`a>- [${Notes.responseTimeout}]`, `b>- [${Notes.responseTimeout}]`]);
      expect(counters.missing_responses).toBe(2);
      expect(timeouts.size).toBe(0);
    });

    it('answered requests do not time out and leave at most one queue entry per connection', () => {
      const timeouts = new TransactionTimeouts();
      const { c, log } = setup({ timeoutMs: 1000, timeouts });
      for (let i = 0; i < 100; i++) {
        c.onRequest(req(`r${i}`, i * 10));
        c.onResponse(resp(`r${i}`, i * 10 + 5));
      }
      expect(timeouts.size).toBeLessThanOrEqual(1);
      timeouts.tick(1_000_000);
      expect(log()).toHaveLength(100);
      expect(log().every((l) => !l.includes('['))).toBe(true);
    });

    it('without a matcher, a response arriving after the timeout is published alone (not paired with the next request)', () => {
      const timeouts = new TransactionTimeouts();
      const { c, log } = setup({ timeoutMs: 1000, timeouts });
      c.onRequest(req('a', 0));
      timeouts.tick(1500);
      c.onRequest(req('b', 1600));
      c.onResponse(resp('a', 1700));
      c.onResponse(resp('b', 1800));
      expect(log()).toEqual([`a>- [${Notes.responseTimeout}]`, `->a [${Notes.lateResponse}]`, 'b>b']);
    });

    it('with a matcher, a late response is recognised and the next pair still matches', () => {
      const timeouts = new TransactionTimeouts();
      const { c, log } = setup({ timeoutMs: 1000, timeouts, matches: true });
      c.onRequest(req('a', 0));
      timeouts.tick(1500);
      c.onRequest(req('b', 1600));
      c.onResponse(resp('a', 1700));
      c.onResponse(resp('b', 1800));
      expect(log()).toEqual([`a>- [${Notes.responseTimeout}]`, `->a [${Notes.lateResponse}]`, 'b>b']);
    });
  });

  describe('gaps', () => {
    it('a lost request keeps its response from pairing with the next request', () => {
      const { c, log } = setup();
      c.onRequest(req('a'));
      c.requestGap(0); // request b lost
      c.onRequest(req('c'));
      c.onResponse(resp('a'));
      c.onResponse(resp('b'));
      c.onResponse(resp('c'));
      expect(log()).toEqual(['a>a', `->b [${Notes.requestLostInGap}]`, 'c>c']);
    });

    it('a lost response publishes its request as missing; the next response pairs correctly', () => {
      const { c, log } = setup();
      c.onRequest(req('a'));
      c.onRequest(req('b'));
      c.responseGap();
      c.onResponse(resp('b'));
      expect(log()).toEqual([`a>- [${Notes.responseLostInGap}]`, 'b>b']);
    });

    it('with a matcher, a gap that swallowed several responses does not shift the pairing', () => {
      const { c, log } = setup({ matches: true });
      for (const b of ['a', 'b', 'c', 'd']) c.onRequest(req(b));
      c.responseGap(); // responses a, b and the start of c were lost
      c.onResponse(resp('d'));
      expect(log()).toEqual([
        `a>- [${Notes.responseLostInGap}]`,
        `b>- [${Notes.responseLostInGap}]`,
        `c>- [${Notes.responseLostInGap}]`,
        'd>d',
      ]);
    });

    it('with a matcher and over 64 pending, a gap that swallowed many responses settles the skipped ones', () => {
      // Skipping this many entries compacts the queue midway: the pairing must not lose its place.
      const { c, txs, log } = setup({ matches: true });
      const bodies = Array.from({ length: 150 }, (_, i) => `m${i}`);
      for (const b of bodies) c.onRequest(req(b));
      c.responseGap(); // responses m0 .. m99 lost
      for (const b of bodies.slice(100)) c.onResponse(resp(b));
      c.close('eof');
      expect(log()).toEqual([
        ...bodies.slice(0, 100).map((b) => `${b}>- [${Notes.responseLostInGap}]`),
        ...bodies.slice(100).map((b) => `${b}>${b}`),
      ]);
      expect(txs.every((t) => t.request !== undefined)).toBe(true);
      expect(c.pending).toBe(0);
    });

    it('with a matcher, a gap that swallowed several requests leaves their responses unpaired', () => {
      const { c, log } = setup({ matches: true });
      c.onRequest(req('a'));
      c.requestGap(0); // b and c lost, only one placeholder known
      c.onRequest(req('d'));
      for (const b of ['a', 'b', 'c', 'd']) c.onResponse(resp(b));
      expect(log()).toEqual([
        'a>a',
        `->b [${Notes.requestLostInGap}]`,
        `->c [${Notes.responseWithoutMatchingRequest}]`,
        'd>d',
      ]);
    });
  });

  describe('a message cut short by a gap, published truncated', () => {
    // 'b' stands for a request the parser published truncated: its response does not match it.
    const cutMatches = (q: Msg, r: Msg): boolean => q.body === r.body && !q.body.endsWith('~');

    it('requests possibly lost after a cut request: the requests before pair in order, proof after', () => {
      const txs: string[] = [];
      const c = new TransactionCorrelator<Msg, Msg>({
        onTransaction: (t) => txs.push(`${t.request?.body ?? '-'}>${t.response?.body ?? '-'}`),
        matches: cutMatches,
      });
      c.onRequest(req('a'));
      c.onRequest(req('b~')); // cut: 'b' seen as 'b~'
      c.requestsMaybeLost(0); // c and d lost with it
      c.onRequest(req('e'));
      for (const b of ['a', 'b', 'c', 'd', 'e']) c.onResponse(resp(b));
      expect(txs).toEqual(['a>a', 'b~>b', '->c', '->d', 'e>e']);
    });

    it('when nothing was lost after the cut request, the pairing goes on unchanged', () => {
      const { c, log } = setup({ matches: true });
      c.onRequest(req('a'));
      c.requestsMaybeLost(0);
      c.onRequest(req('b'));
      c.onResponse(resp('a'));
      c.onResponse(resp('b'));
      expect(log()).toEqual(['a>a', 'b>b']);
    });

    it('responses possibly lost after a cut response: requests skipped over get the note', () => {
      const { c, log } = setup({ matches: true });
      for (const b of ['a', 'b', 'c']) c.onRequest(req(b));
      c.onResponse(resp('a~')); // cut, still paired in order
      c.responsesMaybeLost();
      c.onResponse(resp('c'));
      expect(log()).toEqual(['a>a~', `b>- [${Notes.responseLostInGap}]`, 'c>c']);
    });

    it('without a matcher they act like requestGap / responseGap', () => {
      const { c, log } = setup();
      c.onRequest(req('a'));
      c.requestsMaybeLost(0);
      c.onResponse(resp('a'));
      c.onResponse(resp('b'));
      c.onRequest(req('c'));
      c.onRequest(req('d'));
      c.responsesMaybeLost();
      c.onResponse(resp('d'));
      expect(log()).toEqual([
        'a>a',
        `->b [${Notes.requestLostInGap}]`,
        `c>- [${Notes.responseLostInGap}]`,
        'd>d',
      ]);
    });
  });

  it('out-of-order completion (after a desync): an answered later request settles the earlier ones', () => {
    const { c, log } = setup({ matches: true });
    c.onRequest(req('a'));
    c.requestGap(0);
    c.onRequest(req('b'));
    c.onRequest(req('c'));
    c.onResponse(resp('c')); // a and b were never answered
    c.onRequest(req('d'));
    c.onResponse(resp('d'));
    expect(log()).toEqual([`a>- [${Notes.responseSkipped}]`, `b>- [${Notes.responseSkipped}]`, 'c>c', 'd>d']);
  });

  it('requests after close are published as missing, not held', () => {
    const { c, log } = setup();
    c.close('fin');
    c.onRequest(req('z'));
    expect(log()).toEqual(['z>- [response missing: connection closed (closed)]']);
  });
});
