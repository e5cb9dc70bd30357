// A large EDNS answer over UDP cut into IPv4 fragments (as a 4096-byte EDNS buffer allows): the
// engine reassembles the datagram and the analyzer decodes it whole, through the replay pipeline.
import { dnsProtocol } from '@wirebeat/protocol-dns';
import { buildDatagrams, replayFrames } from '@wirebeat/testing';
import { buildMessage, rr, str, wireName } from './support/build';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const opt = rr([0], 41, 4096, 0, []);
const query = buildMessage({
  id: 77,
  flags: [0x01, 0x00],
  questions: [['big.example', 16]],
  additionals: [opt],
});
const strings = Array.from({ length: 40 }, (_, i) =>
  rr(wireName('', 12), 16, 1, 60, str(`${i} ${'t'.repeat(90)}`)),
);
const answer = buildMessage({
  id: 77,
  questions: [['big.example', 16]],
  answers: strings,
  additionals: [opt],
});

describe('dns over fragmented UDP', () => {
  it('reassembles a 4 KB answer sent in 3 IP fragments and decodes its 40 records', () => {
    expect(answer.length).toBeGreaterThan(3000);
    const frames = buildDatagrams({
      server: { port: 53 },
      datagrams: [
        { from: 'client', data: query },
        { from: 'server', data: answer, fragmentBytes: 1480 },
      ],
    });
    expect(frames.length).toBe(4);
    const r = replayFrames(frames, [{ module: dnsProtocol }]);
    const docs = r.events.map((e) => e.fields as Doc);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      status: 'OK',
      bytes_out: answer.length,
      network: { transport: 'udp' },
      dns: { answers_count: 40, opt: { udp_size: 4096 } },
    });
    expect(docs[0].dns.answers[39].data).toBe(`39 ${'t'.repeat(90)}`);
  });
});
