// MemcacheConnection alone, against a small stand-in for the framework's key pairing: which
// replies pair with which requests, and when requests that expect no reply are complete.
import { makeTcpTuple } from '@wirebeat/applayer';
import {
  MemcacheConnection,
  pairKey,
  type MemcacheContext,
  type MemcacheMessage,
} from '@wirebeat/protocol-memcache';
import { bin, datagram } from './helpers';

/** A request and its reply; 'none' for a request published alone because it expects none. */
type Pair = [MemcacheMessage | undefined, MemcacheMessage | 'none' | undefined];

/** Pairs by pairKey, oldest first, as the framework's key pairing does. */
function fakeContext(transport: 'tcp' | 'udp') {
  const pending: MemcacheMessage[] = [];
  const pairs: Pair[] = [];
  const counted: string[] = [];
  const tuple = {
    ...makeTcpTuple({
      ipVersion: 4,
      clientIp: '10.0.0.2',
      clientPort: 40000,
      serverIp: '10.0.0.1',
      serverPort: 11211,
      openedAt: 0,
    }),
    transport,
  };
  const ctx = {
    tuple,
    config: { max_keys: 100, max_stats: 500, send_request: true, send_response: true },
    request: (m: MemcacheMessage) => void pending.push(m),
    response: (m: MemcacheMessage) => {
      const i = pending.findIndex((p) => pairKey(p) === pairKey(m));
      if (i < 0) return void pairs.push([undefined, m]);
      pairs.push([pending.splice(i, 1)[0], m]);
    },
    noResponse: (m: MemcacheMessage) => {
      const i = pending.indexOf(m);
      if (i >= 0) pending.splice(i, 1);
      pairs.push([m, 'none']);
    },
    pendingRequest: () => pending[0],
    lost: () => undefined,
    maybeLost: () => undefined,
    count: (name: string) => counted.push(name),
    pending: 0,
  } as unknown as MemcacheContext;
  return { conn: new MemcacheConnection(ctx), pairs, pending, counted };
}

const show = ([req, resp]: Pair) => [
  req?.raw,
  resp === undefined ? 'orphan' : resp === 'none' ? 'none' : resp.raw,
];

describe('MemcacheConnection', () => {
  it('text: noreply requests are complete once they reach the head of the queue', () => {
    const { conn, pairs, pending } = fakeContext('tcp');
    conn.onData(0, Buffer.from('get a\r\nset b 0 0 1 noreply\r\nx\r\nget c\r\nquit\r\n'), 1);
    expect(pairs).toEqual([]);
    conn.onData(1, Buffer.from('END\r\nVALUE c 0 1\r\nz\r\nEND\r\n'), 2);
    expect(pairs.map(show)).toEqual([
      ['get a', 'END'],
      ['set b', 'none'],
      ['get c', 'VALUE c'],
      ['quit', 'none'],
    ]);
    expect(pending).toEqual([]);
  });

  it('binary: quiet misses are complete when a later request is answered; hits pair by opaque', () => {
    const { conn, pairs } = fakeContext('tcp');
    conn.onData(
      0,
      Buffer.concat([
        bin(0x80, 0x09, { key: 'miss', opaque: 1 }),
        bin(0x80, 0x09, { key: 'hit', opaque: 2 }),
        bin(0x80, 0x11, { key: 's', extras: Buffer.alloc(8), value: 'v', opaque: 3 }),
        bin(0x80, 0x0a, { opaque: 4 }),
      ]),
      1,
    );
    conn.onData(1, Buffer.concat([bin(0x81, 0x09, { extras: Buffer.alloc(4), value: 'v', opaque: 2 })]), 2);
    expect(pairs.map(show)).toEqual([
      ['GetQ miss', 'none'],
      ['GetQ hit', 'GetQ (Success)'],
    ]);
    conn.onData(1, bin(0x81, 0x0a, { opaque: 4 }), 3);
    expect(pairs.slice(2).map(show)).toEqual([
      ['SetQ s', 'none'],
      ['No-op', 'No-op (Success)'],
    ]);
  });

  it('UDP: pairs by request id in any order; a noreply request is complete at once', () => {
    const { conn, pairs, counted } = fakeContext('udp');
    conn.onData(0, datagram(1, 0, 1, 'get a\r\n'), 1);
    conn.onData(0, datagram(2, 0, 1, 'delete b noreply\r\n'), 2);
    conn.onData(0, datagram(3, 0, 1, 'get c\r\n'), 3);
    conn.onData(1, datagram(3, 0, 1, 'END\r\n'), 4);
    conn.onData(1, datagram(1, 0, 1, 'VALUE a 0 1\r\nq\r\nEND\r\n'), 5);
    conn.onData(0, Buffer.from('get'), 6);
    expect(pairs.map(show)).toEqual([
      ['delete b', 'none'],
      ['get c', 'END'],
      ['get a', 'VALUE a'],
    ]);
    expect(counted).toEqual(['malformed_datagrams']);
  });
});
