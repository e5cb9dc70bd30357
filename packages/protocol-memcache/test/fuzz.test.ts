// Fuzzing the memcache parsers: mutated and random input, cut anywhere, never throws, never
// reports more bytes than it was given, and keeps its buffers within their bounds.
import {
  MemcacheDatagramParser,
  MemcacheStreamParser,
  type MemcacheMessage,
} from '@wirebeat/protocol-memcache';
import { randomCuts, seededRandom, splitAt } from '@wirebeat/testing';
import { LIMITS, bin, datagram, tuple, u64 } from './helpers';

const CORPUS: Array<[0 | 1, Buffer]> = [
  [
    0,
    Buffer.from('set k 1 2 5\r\nhello\r\nget a b c\r\nincr n 3\r\nstats\r\ncas k 0 0 1 5 noreply\r\nx\r\n'),
  ],
  [1, Buffer.from('STORED\r\nVALUE a 0 2 9\r\nhi\r\nEND\r\n12\r\nSTAT pid 3\r\nEND\r\nCLIENT_ERROR bad\r\n')],
  [
    0,
    Buffer.concat([
      bin(0x80, 0x01, { key: 'k', extras: Buffer.alloc(8), value: 'abc', opaque: 1 }),
      bin(0x80, 0x09, { key: 'q', opaque: 2 }),
      bin(0x80, 0x0a, { opaque: 3 }),
    ]),
  ],
  [
    1,
    Buffer.concat([
      bin(0x81, 0x00, { extras: Buffer.alloc(4), value: 'hello', opaque: 1 }),
      bin(0x81, 0x05, { value: u64(9), opaque: 2 }),
      bin(0x81, 0x10, { key: 'pid', value: '1', opaque: 3 }),
      bin(0x81, 0x10, { opaque: 3 }),
    ]),
  ],
];

function mutate(input: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  return rand() < 0.3 ? out.subarray(0, Math.floor(rand() * out.length)) : out;
}

function check(messages: MemcacheMessage[], given: number): void {
  let size = 0;
  for (const m of messages) {
    expect(typeof m.command).toBe('string');
    expect(m.size).toBeGreaterThanOrEqual(0);
    size += m.size;
    expect((m.keys?.length ?? 0) <= LIMITS.maxKeys).toBe(true);
  }
  expect(size).toBeLessThanOrEqual(given);
}

describe('memcache parsers under fuzzing', () => {
  it('mutated streams, cut at random places, in both directions', () => {
    const rand = seededRandom(23);
    for (let round = 0; round < 400; round++) {
      const [dir, base] = CORPUS[round % CORPUS.length];
      const input = mutate(base, rand);
      const out: MemcacheMessage[] = [];
      const p = new MemcacheStreamParser(tuple, dir, LIMITS);
      for (const chunk of splitAt(input, randomCuts(input.length, 5, round)))
        p.parse(chunk, 1, (m) => out.push(m));
      p.flush((m) => out.push(m));
      check(out, input.length);
    }
  });

  it('random bytes and random datagrams', () => {
    const rand = seededRandom(7);
    for (let round = 0; round < 300; round++) {
      const input = Buffer.from(
        Array.from({ length: 1 + Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)),
      );
      if (round % 2 === 0) input[0] = 0x80 + (round % 4 === 0 ? 1 : 0);
      const out: MemcacheMessage[] = [];
      const dir = (round % 2) as 0 | 1;
      const stream = new MemcacheStreamParser(tuple, dir, LIMITS);
      stream.parse(input, 1, (m) => out.push(m));
      check(out, input.length);
      const udp = new MemcacheDatagramParser(tuple, dir, LIMITS);
      const dgOut: MemcacheMessage[] = [];
      udp.parse(input, 1, (m) => dgOut.push(m));
      udp.parse(datagram(1, 0, 1, input), 1, (m) => dgOut.push(m));
      check(dgOut, input.length * 2 + 8);
    }
  });
});
