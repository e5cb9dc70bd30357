// Unfinished messages count in max_pending_bytes: heads still arriving on many connections are
// bounded by the budget they share with pending requests. The oldest is published early (Error,
// with a note, counted) and the rest of its head is skipped; the next request parses as usual.
import { Notes, type FlowTuple, type TcpPlugin, type TransactionEvent } from '@wirebeat/applayer';
import { httpProtocol } from '@wirebeat/protocol-http';

const T0 = Date.UTC(2026, 0, 1);
const tuple = (i: number): FlowTuple => ({
  ipVersion: 4,
  srcIp: `10.0.0.${i + 2}`,
  srcPort: 40000 + i,
  dstIp: '10.0.0.1',
  dstPort: 80,
  connectionId: `c${i}`,
  transport: 'tcp',
});

/** `n` HTTP connections of one plugin whose budget is `maxPendingBytes`. */
function connections(n: number, maxPendingBytes: number) {
  const events: TransactionEvent[] = [];
  const quiet = (): void => undefined;
  const plugin = httpProtocol.create(
    httpProtocol.configSchema.parse({ max_pending_bytes: maxPendingBytes }),
    { publish: (e) => events.push(e), logger: { debug: quiet, info: quiet, warn: quiet, error: quiet } },
  ) as TcpPlugin<unknown>;
  const states: unknown[] = new Array(n).fill(undefined);
  const send = (i: number, text: string, ts = T0): void => {
    states[i] = plugin.parse({ ts, payload: Buffer.from(text, 'latin1') }, tuple(i), 0, states[i]);
  };
  const close = (i: number): void => plugin.connectionClosed(tuple(i), 'eof', states[i], T0 + 1000);
  const docs = () => events.map((e) => JSON.parse(e.json ?? JSON.stringify(e.fields)));
  const counters = () => plugin.counters() as unknown as Record<string, number>;
  return { send, close, docs, counters };
}

const lines = (n: number) => 'a:b\r\n'.repeat(n);

describe('http: unfinished heads in max_pending_bytes', () => {
  it('publishes the oldest unfinished head when the budget is exceeded, and skips its rest', () => {
    // Each head of 2,000 short lines is charged far more than its 10 KB on the wire (about
    // 150 KB: its lines and parsed fields); two fit.
    const c = connections(3, 340_000);
    for (let i = 0; i < 3; i++) c.send(i, `GET /big/${i} HTTP/1.1\r\nHost: h${i}\r\n` + lines(2000));
    expect(c.counters().evicted_partial_messages).toBe(1);
    const early = c.docs();
    expect(early).toHaveLength(0); // evicted into the pending requests, not yet answered
    // The rest of connection 0's head is skipped; its next request parses.
    c.send(0, lines(100) + '\r\nGET /next HTTP/1.1\r\nHost: h0\r\n\r\n');
    for (let i = 0; i < 3; i++) c.close(i);
    const docs = c.docs();
    const paths = docs.map((d) => d.url?.path);
    expect(paths).toEqual(['/big/0', '/next', '/big/1', '/big/2']);
    expect(docs[0].status).toBe('Error');
    expect(docs[0].notes).toContain(Notes.messageEvicted);
    expect(docs[1].notes ?? []).not.toContain(Notes.messageEvicted);
    expect(docs[2].notes).toContain(Notes.incompleteMessage);
  });

  it('evicts nothing when the unfinished heads fit', () => {
    const c = connections(3, 10_000_000);
    for (let i = 0; i < 3; i++) c.send(i, `GET /big/${i} HTTP/1.1\r\n` + lines(2000));
    expect(c.counters().evicted_partial_messages ?? 0).toBe(0);
    for (let i = 0; i < 3; i++) c.close(i);
    expect(c.docs().map((d) => d.notes)).toEqual(
      [0, 1, 2].map(() => expect.arrayContaining([Notes.incompleteMessage])),
    );
  });

  it('releases what a head held once it completes, so many heads in turn never evict', () => {
    const c = connections(1, 200_000);
    for (let k = 0; k < 20; k++) c.send(0, `GET /${k} HTTP/1.1\r\n` + lines(2000) + '\r\n');
    // Requests pending are charged too: the oldest complete ones are evicted, never the head.
    expect(c.counters().evicted_partial_messages ?? 0).toBe(0);
    expect(c.counters().evicted_requests).toBeGreaterThan(0);
    c.close(0);
    expect(c.docs()).toHaveLength(20);
  });
});
