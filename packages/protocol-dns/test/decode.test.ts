// The DNS message decoder on its own: header and flags, every common record type, EDNS options,
// compression pointers (loops and forward jumps refused), messages cut short.
import { DnsMessageTooShortError, decodeDnsMessage, opcodeOf, rcodeOf } from '@wirebeat/protocol-dns';
import { buildMessage, rr, str, u16, u32, wireName } from './support/build';

const QNAME_AT = 12; // the question's name starts right after the header
const at = (ptr = QNAME_AT) => wireName('', ptr);
const ip6 = (s: string) => [...Buffer.from(s.replace(/:/g, ''), 'hex')];

/** The one answer of a response to `example.org` carrying rdata of `type`. */
function answer(type: number, rdata: number[]) {
  const msg = decodeDnsMessage(
    buildMessage({ questions: [['example.org', type]], answers: [rr(at(), type, 1, 300, rdata)] }),
  );
  expect(msg.malformed).toBeUndefined();
  expect(msg.answers).toHaveLength(1);
  return msg.answers[0];
}

describe('header', () => {
  it('reads id, QR, opcode, every flag and the response code', () => {
    const msg = decodeDnsMessage(
      buildMessage({ id: 0xbeef, flags: [0x80 | (5 << 3) | 0x07, 0x80 | 0x30 | 3] }),
    );
    expect(msg).toMatchObject({ id: 0xbeef, response: true, opcode: 5, rcode: 3, size: 12 });
    expect(msg.flags).toEqual({
      authoritative: true,
      truncated_response: true,
      recursion_desired: true,
      recursion_available: true,
      authentic_data: true,
      checking_disabled: true,
    });
    expect([opcodeOf(msg), rcodeOf(msg)]).toEqual(['UPDATE', 'NXDOMAIN']);
  });

  it('a query: QR clear, no flags', () => {
    const msg = decodeDnsMessage(buildMessage({ flags: [0, 0], questions: [['a.example', 28]] }));
    expect(msg.response).toBe(false);
    expect(Object.values(msg.flags).some(Boolean)).toBe(false);
    expect(msg.questions).toEqual([{ name: 'a.example', type: 'AAAA', class: 'IN' }]);
  });

  it('refuses fewer than 12 bytes with a typed error', () => {
    expect(() => decodeDnsMessage(new Uint8Array(11))).toThrow(DnsMessageTooShortError);
  });

  it('names unknown types and classes the RFC 3597 way', () => {
    const msg = decodeDnsMessage(
      buildMessage({
        questions: [
          ['x', 65280, 42],
          ['.', 255, 3],
        ],
      }),
    );
    expect(msg.questions).toEqual([
      { name: 'x', type: 'TYPE65280', class: 'CLASS42' },
      { name: '.', type: 'ANY', class: 'CH' },
    ]);
  });
});

describe('record types', () => {
  it.each<[string, number, number[], Record<string, unknown>]>([
    ['A', 1, [192, 0, 2, 1], { data: '192.0.2.1' }],
    ['AAAA', 28, ip6('2001:0db8:0000:0000:0000:0000:0000:0001'), { data: '2001:db8::1' }],
    ['AAAA no run', 28, ip6('2001:0db8:0001:0002:0003:0004:0005:0006'), { data: '2001:db8:1:2:3:4:5:6' }],
    [
      'AAAA single zero',
      28,
      ip6('2001:0db8:0000:0001:0001:0001:0001:0001'),
      { data: '2001:db8:0:1:1:1:1:1' },
    ],
    ['AAAA v4-mapped', 28, ip6('0000:0000:0000:0000:0000:ffff:c000:0201'), { data: '::ffff:192.0.2.1' }],
    ['CNAME', 5, wireName('www', QNAME_AT), { data: 'www.example.org' }],
    ['NS', 2, wireName('ns1.example.net'), { data: 'ns1.example.net' }],
    ['PTR', 12, wireName('host.example'), { data: 'host.example' }],
    ['MX', 15, [...u16(10), ...wireName('mail', QNAME_AT)], { data: 'mail.example.org', preference: 10 }],
    [
      'SOA',
      6,
      [...wireName('ns1', QNAME_AT), ...wireName('hostmaster', QNAME_AT), ...u32(2024010101)].concat(
        u32(3600),
        u32(600),
        u32(86400),
        u32(300),
      ),
      {
        data: 'ns1.example.org',
        rname: 'hostmaster.example.org',
        serial: 2024010101,
        refresh: 3600,
        retry: 600,
        expire: 86400,
        minimum: 300,
      },
    ],
    [
      'SRV',
      33,
      [...u16(1), ...u16(5), ...u16(5060), ...wireName('sip.example.org')],
      { data: 'sip.example.org', priority: 1, weight: 5, port: 5060 },
    ],
    [
      'TXT',
      16,
      [...str('v=spf1 -all'), ...str('say "hi"\\'), ...str('\x00\xff')],
      { data: 'v=spf1 -all say \\"hi\\"\\\\ \\000\\255' },
    ],
    [
      'CAA',
      257,
      [0x80, ...str('issue').slice(0), ...Buffer.from('ca.example')],
      { data: 'ca.example', flags: '128', tag: 'issue' },
    ],
    [
      'DS',
      43,
      [...u16(12345), 13, 2, 0xde, 0xad, 0xbe, 0xef],
      { data: 'DEADBEEF', key_tag: '12345', algorithm: 'ECDSAP256SHA256', digest_type: 'SHA256' },
    ],
    [
      'DNSKEY',
      48,
      [...u16(257), 3, 15, 1, 2, 3],
      { data: 'AQID', flags: '257', protocol: '3', algorithm: 'ED25519' },
    ],
    [
      'RRSIG',
      46,
      [...u16(1), 8, 2, ...u32(300), ...u32(1767225600), ...u32(1764547200), ...u16(4242)].concat(
        wireName('example.org'),
        [0xff, 0xee],
      ),
      {
        data: '/+4=',
        type_covered: 'A',
        algorithm: 'RSASHA256',
        labels: '2',
        original_ttl: '300',
        expiration: '20260101000000',
        inception: '20251201000000',
        key_tag: '4242',
        signer_name: 'example.org',
      },
    ],
    [
      'NSEC',
      47,
      // Window 0: A(1) NS(2) SOA(6) MX(15) TXT(16) AAAA(28) RRSIG(46) NSEC(47); window 1: CAA(257).
      [...wireName('b.example.org'), 0, 6, 0x62, 0x01, 0x80, 0x08, 0x00, 0x03, 1, 1, 0x40],
      { data: 'b.example.org', type_bits: 'A NS SOA MX TXT AAAA RRSIG NSEC CAA' },
    ],
    [
      'NSEC3',
      50,
      [1, 1, ...u16(10), 2, 0xab, 0xcd, 5, 1, 2, 3, 4, 5, 0, 1, 0x40],
      { data: '04106105', hash: 'SHA1', flags: '1', iterations: '10', salt: 'ABCD', type_bits: 'A' },
    ],
    [
      'HTTPS',
      65,
      [...u16(1), 0].concat(
        [...u16(1), ...u16(6), ...str('h2'), ...str('h3')],
        [...u16(3), ...u16(2), ...u16(8443)],
        [...u16(4), ...u16(8), 192, 0, 2, 1, 192, 0, 2, 2],
        [...u16(6), ...u16(16), ...ip6('2001:0db8:0000:0000:0000:0000:0000:0001')],
      ),
      {
        data: '.',
        priority: 1,
        params: 'alpn=h2,h3 port=8443 ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1',
      },
    ],
    ['SVCB alias', 64, [...u16(0), ...wireName('svc.example.net')], { data: 'svc.example.net', priority: 0 }],
    ['unknown type, generic form', 65280, [1, 2, 0xab], { data: '\\# 3 0102AB', type: 'TYPE65280' }],
  ])('%s', (_label, type, rdata, expected) => {
    const rec = answer(type, rdata);
    expect(rec).toMatchObject({ name: 'example.org', class: 'IN', ttl: 300, ...expected });
  });

  it('record data too short for its type stops decoding with a reason, keeping what came before', () => {
    const msg = decodeDnsMessage(
      buildMessage({
        questions: [['example.org', 1]],
        answers: [rr(at(), 1, 1, 60, [10, 0, 0, 1]), rr(at(), 1, 1, 60, [10, 0, 0])],
      }),
    );
    expect(msg.answers.map((a) => a.data)).toEqual(['10.0.0.1']);
    expect(msg.malformed).toBe('record data too short');
  });
});

describe('EDNS', () => {
  const opt = (udp: number, ttl: number, options: number[]) => rr([0], 41, udp, ttl, options);
  const option = (code: number, data: number[]) => [...u16(code), ...u16(data.length), ...data];

  it('udp size, version, DO, extended rcode, and the options known', () => {
    const msg = decodeDnsMessage(
      buildMessage({
        flags: [0x81, 0x80],
        additionals: [
          opt(1232, (1 << 24) | 0x8000, [
            ...option(3, [0x6e, 0x73]),
            ...option(8, [0, 1, 24, 0, 192, 0, 2]),
            ...option(10, [1, 2, 3, 4, 5, 6, 7, 8]),
            ...option(11, [0, 50]),
            ...option(12, [0, 0, 0]),
            ...option(15, [0, 18, ...Buffer.from('no')]),
            ...option(5, [8, 13]),
            ...option(65001, [0xaa]),
          ]),
        ],
      }),
    );
    expect(msg.opt).toEqual({
      version: '0',
      do: true,
      ext_rcode: 'BADVERS',
      udp_size: 1232,
      nsid: '6e73',
      subnet: '192.0.2.0/24/0',
      cookie: '0102030405060708',
      tcp_keepalive: 5000,
      padding: 3,
      ede: '18 Prohibited: no',
      dau: 'RSASHA256 ECDSAP256SHA256',
      local: '65001:aa',
    });
    expect(msg.rcode).toBe(16);
    expect(msg.additionals).toEqual([]);
    expect(msg.counts.additionals).toBe(1);
  });

  it('IPv6 client subnet', () => {
    const msg = decodeDnsMessage(
      buildMessage({ additionals: [opt(4096, 0, option(8, [0, 2, 48, 0, 0x20, 1, 0x0d, 0xb8]))] }),
    );
    expect(msg.opt).toMatchObject({ subnet: '2001:db8::/48/0', do: false, ext_rcode: 'NOERROR' });
  });
});

describe('names and compression', () => {
  it('escapes dots, quotes, backslashes and unprintable bytes inside labels', () => {
    const name = [5, ...Buffer.from('a.b"\\', 'latin1'), 3, 0x09, 0x00, 0xc8, 0];
    const bytes = buildMessage({});
    const msg = decodeDnsMessage(
      Uint8Array.from([...bytes.slice(0, 5), 1, ...bytes.slice(6), ...name, 0, 1, 0, 1]),
    );
    expect(msg.questions[0].name).toBe('a\\.b\\"\\\\.\\t\\000\\200');
  });

  it('follows a chain of pointers, each further back', () => {
    // Question: example.org; answer owner www -> (question name); CNAME data x -> www.example.org.
    const ownerAt = 12 + 13 + 4;
    const msg = decodeDnsMessage(
      buildMessage({
        questions: [['example.org', 5]],
        answers: [rr(wireName('www', QNAME_AT), 5, 1, 1, wireName('x', ownerAt))],
      }),
    );
    expect(msg.answers[0]).toMatchObject({ name: 'www.example.org', data: 'x.www.example.org' });
  });

  it.each<[string, (base: Uint8Array) => number[]]>([
    ['a pointer to itself', () => [0xc0, 12]],
    ['a forward pointer', () => [0xc0, 14, 0]],
    ['a loop of two pointers', () => [1, 0x61, 0xc0, 15, 0xc0, 12]],
    ['an extended label type', () => [0x41, 0]],
    ['a label past the end', () => [9, 0x61]],
  ])('refuses %s, without hanging', (_label, make) => {
    const header = buildMessage({});
    header[5] = 1;
    const msg = decodeDnsMessage(Uint8Array.from([...header, ...make(header), 0, 1, 0, 1]));
    expect(msg.questions).toEqual([]);
    expect(msg.malformed).toMatch(/pointer|label|past/);
  });

  it('refuses names longer than 255 bytes', () => {
    const long = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    const msg = decodeDnsMessage(buildMessage({ questions: [[long, 1]] }));
    expect(msg.malformed).toBe('name longer than 255 bytes');
  });
});

describe('truncated messages', () => {
  it('a TC answer with its question only is a whole message', () => {
    const msg = decodeDnsMessage(buildMessage({ flags: [0x83, 0x80], questions: [['big.example', 16]] }));
    expect(msg.flags.truncated_response).toBe(true);
    expect(msg.malformed).toBeUndefined();
  });

  it('a message cut anywhere keeps the sections read before the cut', () => {
    const whole = buildMessage({
      questions: [['example.org', 1]],
      answers: [
        rr(at(), 1, 1, 60, [10, 0, 0, 1]),
        rr(at(), 15, 1, 60, [...u16(5), ...wireName('mx', QNAME_AT)]),
      ],
    });
    for (let len = 12; len < whole.length; len++) {
      const msg = decodeDnsMessage(whole.subarray(0, len));
      expect(msg.malformed).toBeDefined();
      expect(msg.answers.length).toBeLessThan(2);
    }
    expect(decodeDnsMessage(whole).answers).toHaveLength(2);
  });
});
