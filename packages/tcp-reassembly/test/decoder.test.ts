import {
  buildTcpFrame,
  decodeFrame,
  DecodedPacket,
  DecodeStatus,
  LinkType,
  TcpReassembler,
} from '../src/index';
import type { TcpFrameSpec } from '../src/index';
import { RecordingConsumer } from './helpers';

const base: TcpFrameSpec = {
  src: '192.168.1.10',
  dst: '10.0.0.1',
  srcPort: 51000,
  dstPort: 3030,
  seq: 0xfffffff0,
  ack: 7,
  flags: 0x18,
  payload: 'hello',
};

function decode(
  data: Uint8Array,
  linktype: number = LinkType.ETHERNET,
  origLen = data.length,
): [number, DecodedPacket] {
  const out = new DecodedPacket();
  return [decodeFrame(data, linktype, out, origLen), out];
}

function payloadOf(data: Uint8Array, p: DecodedPacket): string {
  return Buffer.from(data.subarray(p.payloadOffset, p.payloadOffset + p.payloadLength)).toString('latin1');
}

describe('decodeFrame on well-formed frames', () => {
  it('decodes Ethernet / IPv4 / TCP header fields', () => {
    const data = buildTcpFrame(base);
    const [st, p] = decode(data);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.ipVersion).toBe(4);
    expect(p.src4 >>> 0).toBe(0xc0a8010a);
    expect(p.dst4 >>> 0).toBe(0x0a000001);
    expect([p.srcPort, p.dstPort, p.seq >>> 0, p.ack, p.flags]).toEqual([51000, 3030, 0xfffffff0, 7, 0x18]);
    expect(payloadOf(data, p)).toBe('hello');
    expect(p.missingBytes).toBe(0);
  });

  it.each([
    ['802.1Q', [100]],
    ['802.1ad + 802.1Q', [10, 20]],
    ['three tags', [1, 2, 3]],
  ])('skips VLAN tags (%s)', (_name, vlans) => {
    const data = buildTcpFrame({ ...base, vlans });
    const [st, p] = decode(data);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.ipOffset).toBe(14 + 4 * vlans.length);
    expect(payloadOf(data, p)).toBe('hello');
    // The first two ids are kept for network flows.
    expect([p.vlanCount, p.vlanOuter, p.vlanInner].slice(0, 1 + Math.min(2, vlans.length))).toEqual([
      vlans.length,
      ...vlans.slice(0, 2),
    ]);
  });

  it('fills the IP fields of another transport (NOT_TCP) for network flows', () => {
    const icmp = buildTcpFrame(base);
    icmp[23] = 1;
    const [st, p] = decode(icmp);
    expect(st).toBe(DecodeStatus.NOT_TCP);
    expect([p.ipVersion, p.protocol, p.src4 >>> 0, p.dst4 >>> 0]).toEqual([4, 1, 0xc0a8010a, 0x0a000001]);
    expect([p.srcPort, p.dstPort, p.payloadOffset, p.vlanCount]).toEqual([0, 0, 14 + 20, 0]);
    const esp = buildTcpFrame({ ...base, src: '::1', dst: '::2' });
    esp[14 + 6] = 50;
    const [st6, p6] = decode(esp);
    expect(st6).toBe(DecodeStatus.NOT_TCP);
    expect([p6.ipVersion, p6.protocol, p6.ipOffset, p6.payloadOffset]).toEqual([6, 50, 14, 14 + 40]);
  });

  it.each([
    ['LINUX_SLL', LinkType.LINUX_SLL, 16],
    ['LINUX_SLL2', LinkType.LINUX_SLL2, 20],
    ['NULL', LinkType.NULL, 4],
    ['LOOP', LinkType.LOOP, 4],
    ['RAW', LinkType.RAW, 0],
    ['IPV4', LinkType.IPV4, 0],
  ])('decodes IPv4 over %s', (_name, linktype, ipOffset) => {
    const data = buildTcpFrame({ ...base, linktype });
    const [st, p] = decode(data, linktype);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.ipOffset).toBe(ipOffset);
    expect(payloadOf(data, p)).toBe('hello');
  });

  it.each([
    ['ETHERNET', LinkType.ETHERNET],
    ['LINUX_SLL2', LinkType.LINUX_SLL2],
    ['NULL', LinkType.NULL],
    ['RAW', LinkType.RAW],
    ['IPV6', LinkType.IPV6],
  ])('decodes IPv6 over %s', (_name, linktype) => {
    const data = buildTcpFrame({ ...base, src: 'fe80::1', dst: '2001:db8::2', linktype });
    const [st, p] = decode(data, linktype);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.ipVersion).toBe(6);
    expect(payloadOf(data, p)).toBe('hello');
  });

  it('decodes a NULL header written big-endian (capture from a big-endian host)', () => {
    const data = buildTcpFrame({ ...base, linktype: LinkType.LOOP });
    expect(decode(data, LinkType.NULL)[0]).toBe(DecodeStatus.OK);
  });

  it('skips IPv4 options and TCP options', () => {
    const data = buildTcpFrame({
      ...base,
      ipOptions: Uint8Array.of(0x94, 0x04, 0, 0, 1, 1, 1, 0),
      tcpOptions: Uint8Array.of(2, 4, 0x05, 0xb4, 1, 1, 4, 2),
    });
    const [st, p] = decode(data);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.tcpOffset).toBe(14 + 28);
    expect(p.payloadOffset).toBe(14 + 28 + 28);
    expect(payloadOf(data, p)).toBe('hello');
  });

  it('walks IPv6 hop-by-hop, routing and destination-options headers, and an atomic fragment', () => {
    const data = buildTcpFrame({
      ...base,
      src: '2001:db8::1',
      dst: '2001:db8::2',
      ipv6Extensions: [
        [0, new Uint8Array(6)],
        [43, Uint8Array.of(0, 0, 0, 0, 0, 0, ...new Uint8Array(8))],
        [60, new Uint8Array(14)],
        [44, Uint8Array.of(0, 0, 0, 0, 0, 1)],
      ],
    });
    const [st, p] = decode(data);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.tcpOffset).toBe(14 + 40 + 8 + 16 + 16 + 8);
    expect(payloadOf(data, p)).toBe('hello');
  });

  it('ignores Ethernet padding after the IP packet', () => {
    const data = Buffer.concat([buildTcpFrame({ ...base, payload: '' }), Buffer.alloc(6)]);
    const [st, p] = decode(data);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.payloadLength).toBe(0);
  });

  it('reports the bytes a snaplen cut removed', () => {
    const full = buildTcpFrame({ ...base, payload: 'x'.repeat(100) });
    const [st, p] = decode(full.subarray(0, full.length - 40), LinkType.ETHERNET, full.length);
    expect(st).toBe(DecodeStatus.OK);
    expect(p.payloadLength).toBe(60);
    expect(p.missingBytes).toBe(40);
  });
});

describe('decodeFrame on malformed frames', () => {
  const ok = buildTcpFrame(base);
  const mutate = (f: (b: Buffer) => void, from: Buffer = ok): Buffer => {
    const b = Buffer.from(from);
    f(b);
    return b;
  };
  const v6 = buildTcpFrame({
    ...base,
    src: '::1',
    dst: '::2',
    ipv6Extensions: [[60, new Uint8Array(6)]],
  });

  it.each<[string, Buffer, number, number?]>([
    ['unsupported link type', ok, DecodeStatus.UNSUPPORTED_LINKTYPE],
    ['short Ethernet header', ok.subarray(0, 10), DecodeStatus.TRUNCATED_LINK],
    ['cut VLAN tag', buildTcpFrame({ ...base, vlans: [5] }).subarray(0, 16), DecodeStatus.TRUNCATED_LINK],
    ['ARP', mutate((b) => b.writeUInt16BE(0x0806, 12)), DecodeStatus.NOT_IP],
    ['IPv4 header cut', ok.subarray(0, 14 + 12), DecodeStatus.TRUNCATED_IP],
    ['IP version 5', mutate((b) => (b[14] = 0x55)), DecodeStatus.BAD_IP_VERSION],
    ['IHL below 5', mutate((b) => (b[14] = 0x44)), DecodeStatus.BAD_IP_HEADER_LENGTH],
    [
      'IHL beyond the frame',
      mutate((b) => (b[14] = 0x4f), ok.subarray(0, 14 + 40)),
      DecodeStatus.BAD_IP_HEADER_LENGTH,
    ],
    ['total length below IHL', mutate((b) => b.writeUInt16BE(12, 16)), DecodeStatus.BAD_IP_TOTAL_LENGTH],
    ['more-fragments flag', mutate((b) => b.writeUInt16BE(0x2000, 20)), DecodeStatus.IP_FRAGMENT],
    ['fragment offset', mutate((b) => b.writeUInt16BE(0x0010, 20)), DecodeStatus.IP_FRAGMENT],
    ['ICMP', mutate((b) => (b[23] = 1)), DecodeStatus.NOT_TCP],
    // A TCP header read as UDP: its "length" (the sequence number's high bytes) is out of range.
    ['UDP with a bad length', mutate((b) => (b[23] = 17)), DecodeStatus.BAD_UDP_LENGTH],
    ['TCP header cut by the snaplen', ok.subarray(0, 14 + 20 + 10), DecodeStatus.TRUNCATED_TCP, ok.length],
    ['TCP data offset below 5', mutate((b) => (b[46] = 0x40)), DecodeStatus.BAD_TCP_OFFSET],
    ['TCP data offset beyond the segment', mutate((b) => (b[46] = 0xf0)), DecodeStatus.BAD_TCP_OFFSET],
    ['IPv6 header cut', v6.subarray(0, 14 + 30), DecodeStatus.TRUNCATED_IP],
    [
      'IPv6 extension beyond the packet',
      mutate((b) => (b[14 + 41] = 9), v6),
      DecodeStatus.TRUNCATED_IPV6_EXTENSION,
    ],
    ['IPv6 atomic fragment header', mutate((b) => (b[14 + 6] = 44), v6), DecodeStatus.OK],
    ['IPv6 ESP', mutate((b) => (b[14 + 6] = 50), v6), DecodeStatus.NOT_TCP],
  ])('%s', (...row) => {
    // A rest parameter: a 4-argument test function would be taken for a done-callback test.
    const [name, data, status, origLen] = row;
    const linktype = name === 'unsupported link type' ? 147 : LinkType.ETHERNET;
    const out = new DecodedPacket();
    expect(decodeFrame(data, linktype, out, origLen ?? data.length)).toBe(status);
  });

  it('decodes a record shorter than its IP total length, reporting the rest as missing', () => {
    const short = mutate((b) => b.writeUInt16BE(1400, 16));
    const out = new DecodedPacket();
    expect(decodeFrame(short, LinkType.ETHERNET, out, short.length)).toBe(DecodeStatus.OK);
    expect(out).toMatchObject({ shortFrame: true, frameCut: false, payloadLength: short.length - 54 });
    expect(out.missingBytes).toBe(1400 - 40 - out.payloadLength);
    // A snaplen cut is not a short frame.
    expect(decodeFrame(short, LinkType.ETHERNET, out, 1414)).toBe(DecodeStatus.OK);
    expect(out).toMatchObject({ shortFrame: false, frameCut: true });
  });

  it('classifies a non-atomic IPv6 fragment', () => {
    const frag = buildTcpFrame({
      ...base,
      src: '::1',
      dst: '::2',
      ipv6Extensions: [[44, Uint8Array.of(0, 8, 0, 0, 0, 1)]],
    });
    expect(decode(frag)[0]).toBe(DecodeStatus.IP_FRAGMENT);
    const more = buildTcpFrame({
      ...base,
      src: '::1',
      dst: '::2',
      ipv6Extensions: [[44, Uint8Array.of(0, 1, 0, 0, 0, 1)]],
    });
    expect(decode(more)[0]).toBe(DecodeStatus.IP_FRAGMENT);
  });

  it('never throws on random bytes and counts every frame in the reassembler', () => {
    const r = new TcpReassembler(new RecordingConsumer());
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (let i = 0; i < 2000; i++) {
      const data = Buffer.from(ok);
      const n = 1 + (rnd() % 4);
      for (let k = 0; k < n; k++) data[rnd() % data.length] = rnd();
      const cut = data.subarray(0, rnd() % (data.length + 1));
      expect(() =>
        r.processFrame({ ts: i, linktype: [0, 1, 101, 113, 276][i % 5], data: cut, origLen: cut.length }),
      ).not.toThrow();
    }
    const c = r.counters();
    const undecodable = Object.values(c.undecodable).reduce((a, b) => a + b, 0);
    expect(c.packets).toBe(2000);
    expect(c.decoded + undecodable).toBe(2000);
    expect(undecodable).toBeGreaterThan(0);
  });
});
