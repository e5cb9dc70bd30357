// The DNS parsers on their own: one message per datagram; over TCP, length-prefixed messages cut
// anywhere or sharing a segment; bytes that are not DNS stop a TCP direction.
import { makeTcpTuple } from '@wirebeat/applayer';
import { TcpDnsParser, UdpDnsParser, type DnsMsg } from '@wirebeat/protocol-dns';
import { bytewise, everySplit } from '@wirebeat/testing';
import { buildMessage, rr, wireName } from './support/build';

const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 53,
  openedAt: 0,
});
const query = (id: number, name: string) => buildMessage({ id, flags: [0x01, 0x00], questions: [[name, 1]] });
const answer = (id: number, name: string) =>
  buildMessage({
    id,
    questions: [[name, 1]],
    answers: [rr(wireName('', 12), 1, 1, 60, [10, 0, 0, id & 255])],
  });
const framed = (...msgs: Uint8Array[]) =>
  Buffer.concat(msgs.flatMap((m) => [Buffer.from([m.length >> 8, m.length & 255]), Buffer.from(m)]));

function tcp(chunks: Iterable<Uint8Array>, dir: 0 | 1 = 1) {
  const out: DnsMsg[] = [];
  const p = new TcpDnsParser({ tuple, direction: dir, withText: false });
  let ts = 0;
  for (const c of chunks) p.parse(c, ++ts, (m) => out.push(m));
  return { out, p };
}
const summary = (msgs: DnsMsg[]) =>
  msgs.map((m) => [m.dns.id, m.dns.answers.map((a) => a.data).join(), m.size]);

describe('UdpDnsParser', () => {
  it('one datagram is one message, with its metadata', () => {
    const out: DnsMsg[] = [];
    const p = new UdpDnsParser({ tuple, direction: 0, withText: true });
    p.parse(query(7, 'a.example'), 5, (m) => out.push(m));
    p.parse(new Uint8Array(5), 6, (m) => out.push(m));
    expect(
      out.map((m) => [m.ts, m.transport, m.direction, m.isRequest, m.size, m.dns.questions[0].name]),
    ).toEqual([[5, 'udp', 0, true, 27, 'a.example']]);
    expect(p.ignored).toBe(1);
    expect(out[0].raw).toBe(
      'ID 7; QR query; OPCODE QUERY; FLAGS rd; RCODE NOERROR; QUESTION class IN, type A, a.example',
    );
    expect(out[0].question).toBe('a.example A IN');
  });

  it('a malformed message is emitted with a note saying why', () => {
    const out: DnsMsg[] = [];
    const whole = answer(1, 'a.example');
    new UdpDnsParser({ tuple, direction: 1, withText: false }).parse(
      whole.subarray(0, whole.length - 2),
      1,
      (m) => out.push(m),
    );
    expect(out[0].notes).toEqual(['malformed DNS message: A record data cut short']);
  });
});

describe('TcpDnsParser', () => {
  const stream = framed(answer(1, 'a.example'), answer(2, 'bb.example'), answer(3, 'ccc.example'));
  const whole = summary(tcp([stream]).out);

  it('reads several messages of one segment, sizes with the length prefix (as Packetbeat)', () => {
    expect(whole).toEqual([
      [1, '10.0.0.1', 45],
      [2, '10.0.0.2', 46],
      [3, '10.0.0.3', 47],
    ]);
  });

  it('the same messages however the stream is cut: in two at every byte, or byte by byte', () => {
    for (const chunks of everySplit(stream)) expect(summary(tcp(chunks).out)).toEqual(whole);
    expect(summary(tcp(bytewise(stream)).out)).toEqual(whole);
  });

  it('a message takes the time of the segment it starts in', () => {
    const { out } = tcp([stream.subarray(0, 10), stream.subarray(10, 50), stream.subarray(50)]);
    expect(out.map((m) => m.ts)).toEqual([1, 2, 3]);
  });

  it('stops on a length too short for a DNS header', () => {
    const bad = tcp([Buffer.from([0, 3, 1, 2, 3]), framed(answer(1, 'a.example'))]);
    expect(bad.out).toEqual([]);
    expect(bad.p.broken).toBe(true);
    expect(bad.p.parse(stream, 9, () => undefined)).toBe(false);
  });
});

describe('UDP size', () => {
  it('notes a message over 512 bytes without EDNS, as Packetbeat does; with EDNS it is fine', () => {
    const big = (withOpt: boolean) =>
      buildMessage({
        questions: [['big.example', 16]],
        answers: Array.from({ length: 6 }, () =>
          rr(wireName('', 12), 16, 1, 60, [90, ...Buffer.alloc(90, 0x61)]),
        ),
        additionals: withOpt ? [rr([0], 41, 1232, 0, [])] : [],
      });
    const notes = (withOpt: boolean) => {
      const out: DnsMsg[] = [];
      new UdpDnsParser({ tuple, direction: 1, withText: false }).parse(big(withOpt), 1, (m) => out.push(m));
      return [out[0].size > 512, out[0].notes];
    };
    expect(notes(false)).toEqual([true, ['Response: Non-EDNS packet has size greater than 512 bytes']]);
    expect(notes(true)).toEqual([true, undefined]);
  });
});
