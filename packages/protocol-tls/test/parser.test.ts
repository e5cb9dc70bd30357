// The decoders on hand-made messages: record framing across segments and records, hellos and
// their extensions, GREASE, the fingerprints (JA4 against FoxIO's published example), alerts and
// bytes that are not TLS.
import {
  RecordReader,
  SideParser,
  decodeHello,
  isGrease,
  isRetryRequest,
  ja3String,
  ja4,
  tlsProtocol,
  type RecordSink,
} from '@wirebeat/protocol-tls';
import { PluginDriver } from '@wirebeat/testing';
import { alpnExt, clientHello, codes, ext, handshake, record, serverHello, sniExt, vec } from './helpers';

/** Chrome's ClientHello of FoxIO's JA4 example, with GREASE values added. */
function chromeHello(): Buffer {
  const ciphers = [
    0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
    0x009d, 0x002f, 0x0035,
  ];
  const sigs = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
  return clientHello({
    ciphers,
    extensions: [
      ext(0x1a1a),
      sniExt('example.org'),
      ext(0x0017),
      ext(0xff01, Buffer.from([0])),
      ext(0x000a, vec(2, codes([0x2a2a, 0x001d, 0x0017, 0x0018]))),
      ext(0x000b, vec(1, Buffer.from([0]))),
      ext(0x0023),
      alpnExt('h2', 'http/1.1'),
      ext(0x0005, Buffer.from([1, 0, 0, 0, 0])),
      ext(0x000d, vec(2, codes(sigs))),
      ext(0x0012),
      ext(0x0033, vec(2, Buffer.concat([codes([0x001d]), vec(2, Buffer.alloc(32, 1))]))),
      ext(0x002d, vec(1, Buffer.from([1]))),
      ext(0x002b, vec(1, codes([0x3a3a, 0x0304, 0x0303]))),
      ext(0x001b, Buffer.from([2, 0, 2])),
      ext(0x4469, vec(2, vec(1, Buffer.from('h2')))),
      ext(0x0015, Buffer.alloc(10)),
      ext(0x4a4a, Buffer.from([0])),
    ],
  });
}

describe('hellos', () => {
  it('JA4 of Chrome is the one FoxIO publishes; GREASE is left out of every list', () => {
    const hello = decodeHello(chromeHello().subarray(4), true);
    expect(ja4(hello)).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
    expect(hello.ciphers.some(isGrease)).toBe(false);
    expect(hello.ext.types).toHaveLength(16);
    expect(ja3String(hello)).toBe(
      '771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,' +
        '0-23-65281-10-11-35-16-5-13-18-51-45-43-27-17513-21,29-23-24,0',
    );
    expect(hello.ext.parsed).toMatchObject({
      server_name_indication: ['example.org'],
      application_layer_protocol_negotiation: ['h2', 'http/1.1'],
      supported_versions: ['TLS 1.3', 'TLS 1.2'],
      supported_groups: ['x25519', 'secp256r1', 'secp384r1'],
      signature_algorithms: [
        'ecdsa_secp256r1_sha256',
        'rsa_pss_sha256',
        'rsa_pkcs1_sha256',
        'ecdsa_secp384r1_sha384',
        'rsa_pss_sha384',
        'rsa_pkcs1_sha384',
        'rsa_pss_sha512',
        'rsa_pkcs1_sha512',
      ],
      ec_points_formats: ['uncompressed'],
      session_ticket: '',
      key_share: ['x25519'],
      psk_key_exchange_modes: ['psk_dhe_ke'],
      status_request: { type: 'ocsp', responder_id_list_length: 0, request_extensions: 0 },
      _unparsed_: [
        'renegotiation_info',
        'signed_certificate_timestamp',
        'compress_certificate',
        'application_settings',
        'padding',
      ],
    });
  });

  it('JA4 without SNI, ALPN or signature algorithms, over TLS 1.0', () => {
    const hello = decodeHello(
      clientHello({ version: 0x0301, ciphers: [0x002f], extensions: [ext(0x0017)] }).subarray(4),
      true,
    );
    expect(ja4(hello)).toMatch(/^t10i010100_[0-9a-f]{12}_[0-9a-f]{12}$/);
    expect(ja4(decodeHello(clientHello({ ciphers: [], extensions: [] }).subarray(4), true))).toBe(
      't12i000000_000000000000_000000000000',
    );
  });

  it('a ServerHello: chosen version, cipher, key share, accepted PSK', () => {
    const h = decodeHello(
      serverHello({
        cipher: 0x1302,
        sessionId: Buffer.alloc(32, 3),
        extensions: [
          ext(43, codes([0x0304])),
          ext(51, Buffer.concat([codes([0x001d]), vec(2, Buffer.alloc(32))])),
          ext(41, codes([0])),
        ],
      }).subarray(4),
      false,
    );
    expect([h.ciphers, h.ext.versions, h.ext.keyShare, h.ext.pskAccepted, h.sessionId.length]).toEqual([
      [0x1302],
      [0x0304],
      [0x1d],
      true,
      64,
    ]);
    expect(h.ext.parsed).toEqual({
      supported_versions: 'TLS 1.3',
      key_share: 'x25519',
      pre_shared_key: { selected_identity: 0 },
    });
  });

  it('a hello that is not TLS, or cut short, is refused', () => {
    expect(() => decodeHello(Buffer.from([2, 0, 1, 2]), true)).toThrow(/not a TLS hello/);
    expect(() => decodeHello(chromeHello().subarray(4, 60), true)).toThrow(/bytes needed/);
  });
});

describe('the record layer', () => {
  function collect(chunks: Uint8Array[]) {
    const got: Array<[string, number, string]> = [];
    const sink: RecordSink = {
      record: (type, body) => (got.push(['record', type, Buffer.from(body).toString('hex')]), type !== 20),
      handshake: (type, body) => void got.push(['handshake', type, Buffer.from(body).toString('hex')]),
    };
    const reader = new RecordReader(sink);
    for (const c of chunks) reader.push(c);
    return { got, reader };
  }
  const hello = chromeHello();

  it('a handshake message spanning three records, then two messages in one record, each cut by every segment boundary', () => {
    const fragments = [hello.subarray(0, 100), hello.subarray(100, 250), hello.subarray(250)].map((f) =>
      record(22, f),
    );
    const two = record(
      22,
      Buffer.concat([handshake(11, Buffer.from([0, 0, 0])), handshake(14, Buffer.alloc(0))]),
    );
    const stream = Buffer.concat([
      ...fragments,
      two,
      record(21, Buffer.from([2, 40])),
      record(20, Buffer.from([1])),
      record(23, Buffer.alloc(5)),
    ]);
    const expected = [
      ['handshake', 1, hello.subarray(4).toString('hex')],
      ['handshake', 11, '000000'],
      ['handshake', 14, ''],
      ['record', 21, '0228'],
      ['record', 20, '01'],
    ];
    expect(collect([stream]).got).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut++)
      expect(collect([stream.subarray(0, cut), stream.subarray(cut)]).got).toEqual(expected);
    const bytewise = collect([...stream].map((b) => Buffer.from([b])));
    expect(bytewise.got).toEqual(expected);
    // Nothing after the ChangeCipherSpec is read.
    expect(bytewise.reader.consumed).toBe(stream.length - 10);
    expect(bytewise.reader.held).toBe(0);
  });

  it('bytes that are not records, and a handshake message over 64 kB, stop the direction', () => {
    expect(collect([Buffer.from('GET / HTTP/1.1\r\n\r\n')]).reader.failure).toBe('not a TLS record');
    const big = record(22, Buffer.from([11, 0x01, 0x00, 0x01]));
    expect(collect([big]).reader.failure).toBe('handshake message over 64 kB');
  });
});

describe('a side of the handshake', () => {
  it('alerts in clear are kept, encrypted ones skipped; the first ChangeCipherSpec ends reading', () => {
    const p = new SideParser();
    p.push(record(22, chromeHello()), 1);
    p.push(Buffer.concat([record(21, Buffer.from([1, 112])), record(21, Buffer.alloc(26))]), 2);
    expect(p.push(Buffer.concat([record(20, Buffer.from([1])), record(21, Buffer.from([2, 40]))]), 3)).toBe(
      false,
    );
    expect(p.push(record(21, Buffer.from([2, 40])), 4)).toBe(false);
    expect([p.side.alerts, p.side.encrypted, p.firstTs, p.lastTs]).toEqual([
      [{ level: 1, code: 112 }],
      true,
      1,
      3,
    ]);
  });

  it('a malformed handshake message is noted, the direction goes on', () => {
    const p = new SideParser();
    p.push(record(22, handshake(2, Buffer.from([3, 3, 1]))), 1);
    p.push(record(22, handshake(13, Buffer.alloc(4))), 2);
    expect([p.side.hello, p.side.malformed.length, p.side.certificateRequested]).toEqual([
      undefined,
      1,
      true,
    ]);
  });
});

describe('a TLS 1.3 HelloRetryRequest', () => {
  it('the ChangeCipherSpecs around it do not end the handshake: the second hellos are read, then the encrypted records', () => {
    const RETRY = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
    const v13 = ext(43, vec(1, codes([0x0304, 0x0303])));
    const share = (g: number) => ext(51, vec(2, Buffer.concat([codes([g]), vec(2, Buffer.alloc(32, 1))])));
    const ch1 = clientHello({
      ciphers: [0x1301, 0x1302],
      extensions: [sniExt('retry.test'), v13, share(0x001d)],
    });
    const ch2 = clientHello({
      ciphers: [0x1301, 0x1302],
      extensions: [sniExt('retry.test'), v13, share(0x0017)],
    });
    const hrr = serverHello({
      random: RETRY,
      cipher: 0x1301,
      extensions: [ext(43, codes([0x0304])), ext(51, codes([0x0017]))],
    });
    const sh = serverHello({
      cipher: 0x1301,
      extensions: [
        ext(43, codes([0x0304])),
        ext(51, Buffer.concat([codes([0x0017]), vec(2, Buffer.alloc(65, 4))])),
      ],
    });
    expect(isRetryRequest(decodeHello(hrr.subarray(4), false))).toBe(true);
    const ccs = record(20, Buffer.from([1]));
    const encrypted = record(23, Buffer.alloc(40, 5));
    // In wire order: the client's ChangeCipherSpec follows the server's HelloRetryRequest.
    const d = new PluginDriver(tlsProtocol, {});
    d.data(0, record(22, ch1)).data(1, Buffer.concat([record(22, hrr), ccs]));
    d.data(0, Buffer.concat([ccs, record(22, ch2)])).data(1, Buffer.concat([record(22, sh), encrypted]));
    d.data(0, encrypted);
    const docs = d.close('fin').map((e) => e.fields as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(
      docs.map((d) => [d.status, d.tls.version, d.tls.established, d.tls.curve, d.tls.client.server_name]),
    ).toEqual([['OK', '1.3', true, 'secp256r1', 'retry.test']]);
    // The second ClientHello is the one shown: it offers the group the server asked for.
    expect(docs[0].tls.detailed.client_hello.extensions.key_share).toEqual(['secp256r1']);
    expect(docs[0].tls.server.ja3s).toBeDefined();
  });
});
