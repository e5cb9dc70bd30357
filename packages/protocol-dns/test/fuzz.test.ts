// Fuzzing the decoder and the TCP parser with the real messages of dns.pcap, mutated: whatever
// the bytes, decoding ends quickly, throws nothing but the typed too-short error, and what it
// returns can be published.
import * as path from 'node:path';
import { makeTcpTuple } from '@wirebeat/applayer';
import {
  DnsMessageTooShortError,
  TcpDnsParser,
  decodeDnsMessage,
  dnsObject,
  messageText,
} from '@wirebeat/protocol-dns';
import { seededRandom, splitAt, randomCuts } from '@wirebeat/testing';
import { tsharkFields } from './support/tshark';

const CAPTURE = path.join(__dirname, 'fixtures/dns.pcap');
const CONFIG = { include_authorities: true, include_additionals: true };
const seeds = tsharkFields(CAPTURE, 'udp', ['udp.payload']).map((r) =>
  Buffer.from(r['udp.payload'][0], 'hex'),
);

/** A copy of `bytes` with a few random changes: byte flips, pointers planted, cuts, growth. */
function mutate(bytes: Uint8Array, rnd: () => number): Uint8Array {
  let out = Uint8Array.from(bytes);
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * out.length);
    switch (Math.floor(rnd() * 4)) {
      case 0:
        out[at] = Math.floor(rnd() * 256);
        break;
      case 1:
        out[at] = 0xc0 | Math.floor(rnd() * 4);
        if (at + 1 < out.length) out[at + 1] = Math.floor(rnd() * 256);
        break;
      case 2:
        out = out.subarray(0, at);
        break;
      default:
        out = Uint8Array.from([...out, ...Array.from({ length: 8 }, () => Math.floor(rnd() * 256))]);
    }
  }
  return out;
}

/** Decodes and builds what an event would hold; fails the test on any unexpected throw. */
function decodeAll(bytes: Uint8Array): void {
  try {
    const m = decodeDnsMessage(bytes);
    expect(m.answers.length).toBeLessThanOrEqual(m.counts.answers);
    JSON.stringify(dnsObject(m, true, CONFIG));
    messageText(m);
  } catch (err) {
    if (!(err instanceof DnsMessageTooShortError)) throw err;
  }
}

describe('fuzz', () => {
  it('has real messages to start from', () => {
    expect(seeds.length).toBeGreaterThan(40);
  });

  it('5,000 mutated messages decode without throwing', () => {
    const rnd = seededRandom(23);
    for (let i = 0; i < 5_000; i++) decodeAll(mutate(seeds[i % seeds.length], rnd));
  });

  it('random bytes decode without throwing', () => {
    const rnd = seededRandom(53);
    for (let i = 0; i < 2_000; i++)
      decodeAll(Uint8Array.from({ length: Math.floor(rnd() * 600) }, () => rnd() * 256));
  });

  it('a chain of 30,000 backward pointers is refused after 127 hops', () => {
    // Question: the root name. Answer 1: a record whose data is the chain, each pointer to the one
    // before, the first to the root name. Answer 2: owner name = the last pointer of the chain.
    const L = 60_000;
    const head = [0, 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0].slice(1);
    const ans1 = [0, 0xff, 0x00, 0, 1, 0, 0, 0, 60, L >> 8, L & 0xff];
    const chain = new Uint8Array(L);
    for (let i = 0; i < L; i += 2) {
      const target = i === 0 ? 12 : 28 + i - 2;
      [chain[i], chain[i + 1]] = [0xc0 | (target >> 8), target & 0xff];
    }
    const last = 28 + L - 2;
    const ans2 = [0xc0 | (last >> 8), last & 0xff, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1];
    const msg = Uint8Array.from([...head, 0, 0, 1, 0, 1, ...ans1, ...chain, ...ans2]);
    const decoded = decodeDnsMessage(msg);
    expect(decoded.answers.map((a) => a.type)).toEqual(['TYPE65280']);
    expect(decoded.malformed).toBe('too many compression pointers');
  });

  it('the TCP parser takes mutated streams cut at random places without throwing', () => {
    const rnd = seededRandom(7);
    const tuple = makeTcpTuple({
      ipVersion: 4,
      clientIp: '10.0.0.2',
      clientPort: 40000,
      serverIp: '10.0.0.1',
      serverPort: 53,
      openedAt: 0,
    });
    for (let i = 0; i < 1_000; i++) {
      const msgs = [0, 1, 2].map(() => mutate(seeds[Math.floor(rnd() * seeds.length)], rnd));
      const stream = Buffer.concat(msgs.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 255]), m]));
      const p = new TcpDnsParser({ tuple, direction: 1, withText: true });
      let n = 0;
      for (const chunk of splitAt(stream, randomCuts(stream.length, 5, i))) p.parse(chunk, 1, () => n++);
      expect(n).toBeLessThanOrEqual(3);
    }
  });
});
