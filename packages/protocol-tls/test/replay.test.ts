// The TLS analyzer on a capture recorded from node:tls servers and clients and openssl s_client
// (scripts/record-captures.js): golden events, and, handshake by handshake, what tshark's TLS and
// X.509 dissectors find in the same capture (SNI, ALPN, cipher suites, versions, groups, JA3,
// JA3S, alerts, ChangeCipherSpecs, certificates, their hashes, serials, names and validity) and
// what openssl says of the certificates' subjects and issuers.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  compareWithGolden,
  goldenPathFor,
  nsToIso,
  epochToNs,
  replayCaptureDetailed,
  tsharkFields,
} from '@wirebeat/testing';
import { cipherName, groupName, tlsProtocol } from '@wirebeat/protocol-tls';
import { CAPTURE } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let replayed: Promise<{ docs: Doc[]; events: any[] }> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
function replay() {
  replayed ??= replayCaptureDetailed(CAPTURE, [{ module: tlsProtocol, config: {} }]).then((r) => {
    expect(r.logged).toEqual([]);
    return { docs: r.events.map((e) => e.fields as Doc), events: r.events };
  });
  return replayed;
}

/** tshark's fields of the frames matching `filter`, one row per frame, values of a field joined by commas. */
const tshark = (filter: string, fields: string[]): string[][] => tsharkFields(CAPTURE, filter, fields);

/** Rows by the client's port (the first field). */
const byPort = (rows: string[][]) => new Map(rows.map((r) => [Number(r[0]), r.slice(1)]));
const list = (s: string | undefined) => (s === undefined || s === '' ? [] : s.split(','));
const PORTS = 'tcp.port in {443,8443,9243,995}';

describe('tls.pcap (node:tls and openssl s_client on loopback: TLS 1.0 to 1.3, resumption, client certificate, alerts)', () => {
  it('replays to its reviewed golden events', async () => {
    const { events } = await replay();
    const { expected, actual } = compareWithGolden(goldenPathFor(CAPTURE), events);
    expect(actual).toEqual(expected);
  });

  it('one event per handshake, at the time of its ClientHello, with the SNI, cipher suites and JA3 tshark finds', async () => {
    const { docs } = await replay();
    const hellos = tshark(`${PORTS} && tls.handshake.type == 1`, [
      'tcp.srcport',
      'frame.time_epoch',
      'tls.handshake.extensions_server_name',
      'tls.handshake.ciphersuite',
      'tls.handshake.ja3',
      'tls.handshake.extensions.supported_version',
    ]);
    expect(docs.map((d) => d.source.port)).toEqual(hellos.map((h) => Number(h[0])));
    expect(docs.map((d) => d['@timestamp'])).toEqual(hellos.map((h) => nsToIso(epochToNs(h[1]))));
    expect(docs.map((d) => d.tls.client.server_name)).toEqual(hellos.map((h) => h[2] || undefined));
    expect(docs.map((d) => d.destination.domain)).toEqual(hellos.map((h) => h[2] || undefined));
    expect(docs.map((d) => d.tls.client.supported_ciphers)).toEqual(
      hellos.map((h) => list(h[3]).map((c) => cipherName(Number(c)))),
    );
    expect(docs.map((d) => d.tls.client.ja3)).toEqual(hellos.map((h) => h[4]));
    expect(docs.map((d) => d.tls.detailed.client_hello.extensions.supported_versions?.length ?? 0)).toEqual(
      hellos.map((h) => list(h[5]).length),
    );
  });

  it('the cipher, version, curve, ALPN and JA3S of each ServerHello', async () => {
    const { docs } = await replay();
    const servers = byPort(
      tshark(`${PORTS} && tls.handshake.type == 2`, [
        'tcp.dstport',
        'tls.handshake.ciphersuite',
        'tls.handshake.version',
        'tls.handshake.extensions.supported_version',
        'tls.handshake.extensions_key_share_group',
        'tls.handshake.extensions_alpn_str',
        'tls.handshake.ja3s',
      ]),
    );
    const curves = byPort(
      tshark(`${PORTS} && tls.handshake.type == 12`, ['tcp.dstport', 'tls.handshake.server_named_curve']),
    );
    const rows = docs.map((d) => [
      d.tls.cipher,
      d.tls.version,
      d.tls.curve,
      d.tls.next_protocol,
      d.tls.server?.ja3s,
    ]);
    const expected = docs.map((d) => {
      const s = servers.get(d.source.port);
      if (s === undefined) return [undefined, '1.2', undefined, undefined, undefined];
      const version = Number(s[2] || s[1]);
      const curve = s[3] || curves.get(d.source.port)?.[0];
      return [
        cipherName(Number(s[0])),
        `1.${(version & 0xff) - 1}`,
        curve ? groupName(Number(curve)) : undefined,
        s[4] || undefined,
        s[5],
      ];
    });
    expect(rows).toEqual(expected);
  });

  it('established when both directions sent a ChangeCipherSpec or application data; Error exactly on a fatal alert', async () => {
    const { docs } = await replay();
    const encrypted = tshark(`${PORTS} && (tls.change_cipher_spec || tls.app_data)`, [
      'tcp.srcport',
      'tcp.dstport',
    ]);
    const alerts = byPort(
      tshark(`${PORTS} && tls.alert_message.desc`, [
        'tcp.dstport',
        'tls.alert_message.level',
        'tls.alert_message.desc',
        'tcp.srcport',
      ]),
    );
    for (const d of docs) {
      const port = d.source.port;
      const both =
        encrypted.some((r) => Number(r[0]) === port) && encrypted.some((r) => Number(r[1]) === port);
      expect([port, d.tls.established]).toEqual([port, both]);
      // A client's alert goes to the server's port: look both ways.
      const alert = alerts.get(port) ?? [...alerts.values()].find((a) => Number(a[2]) === port);
      expect([
        port,
        d.tls.detailed.alerts?.map((a: Doc) => [a.severity === 'fatal' ? '2' : '1', String(a.code)]),
      ]).toEqual([port, alert === undefined ? undefined : [[alert[0], alert[1]]]]);
      expect([port, d.status]).toEqual([port, both && alert === undefined ? 'OK' : 'Error']);
    }
    expect(docs.filter((d) => d.status === 'Error').map((d) => d.tls.detailed.alert_types)).toEqual([
      ['protocol_version'],
      ['unknown_ca'],
    ]);
  });

  it('resumed: TLS 1.3 when the server selected a PSK; before, when no key was exchanged and tshark sees the session id echoed or a ticket offered', async () => {
    const { docs } = await replay();
    const ch = byPort(
      tshark(`${PORTS} && tls.handshake.type == 1`, [
        'tcp.srcport',
        'tls.handshake.session_id',
        'tls.handshake.extension.type',
        'tls.handshake.extension.len',
      ]),
    );
    const sh = byPort(
      tshark(`${PORTS} && tls.handshake.type == 2`, [
        'tcp.dstport',
        'tls.handshake.session_id',
        'tls.handshake.extensions.psk.identity.selected',
      ]),
    );
    const keyExchange = new Set(
      tshark(`${PORTS} && tls.handshake.type in {12,16}`, ['tcp.srcport', 'tcp.dstport']).flat().map(Number),
    );
    const methods = docs.map((d) => {
      const c = ch.get(d.source.port);
      const s = sh.get(d.source.port);
      if (c === undefined || s === undefined) return undefined;
      if (d.tls.version === '1.3') return s[1] !== '' ? 'psk' : undefined;
      if (keyExchange.has(d.source.port)) return undefined;
      // A session_ticket extension (35) with a ticket in it.
      const ticket = list(c[1]).some((type, i) => type === '35' && list(c[2])[i] !== '0');
      if (ticket) return 'ticket';
      return c[0] !== '' && c[0] === s[0] ? 'id' : undefined;
    });
    expect(docs.map((d) => d.tls.detailed.resumption_method)).toEqual(methods);
    expect(docs.map((d) => d.tls.resumed)).toEqual(methods.map((m) => m !== undefined));
    expect(methods.filter(Boolean).sort()).toEqual(['id', 'psk', 'ticket']);
  });

  it('certificates: hashes, serials, alternative names and validity as tshark dissects them; subjects and issuers as openssl prints them', async () => {
    const { docs } = await replay();
    const certs = tshark(`${PORTS} && tls.handshake.certificate`, [
      'tcp.srcport',
      'tcp.dstport',
      'tls.handshake.certificate',
      'x509af.serialNumber',
      'x509ce.dNSName',
      'x509ce.rfc822Name',
      'x509af.utcTime',
    ]);
    let seen = 0;
    for (const d of docs) {
      for (const [side, mine] of [
        ['server', (r: string[]) => Number(r[1]) === d.source.port],
        ['client', (r: string[]) => Number(r[0]) === d.source.port],
      ] as const) {
        const row = certs.find(mine);
        const t = d.tls[side];
        if (row === undefined) {
          expect([d.source.port, side, t?.hash]).toEqual([d.source.port, side, undefined]);
          continue;
        }
        seen++;
        const ders = list(row[2]).map((h) => Buffer.from(h.replace(/:/g, ''), 'hex'));
        expect(t.hash.sha1).toBe(createHash('sha1').update(ders[0]).digest('hex').toUpperCase());
        const chain = [t.x509, ...(d.tls.detailed[`${side}_certificate_chain`] ?? [])];
        expect(chain.map((x: Doc) => x.serial_number)).toEqual(
          list(row[3]).map((h) => BigInt('0x' + h).toString()),
        );
        expect(
          chain
            .flatMap((x: Doc) => x.alternative_names ?? [])
            .filter((n: string) => !n.includes('@') && !/^\d/.test(n)),
        ).toEqual(list(row[4]));
        expect(
          chain.flatMap((x: Doc) => x.alternative_names ?? []).filter((n: string) => n.includes('@')),
        ).toEqual(list(row[5]));
        const times = list(row[6]).map((s) => s.replace(' (UTC)', '.000Z').replace(' ', 'T'));
        expect(chain.flatMap((x: Doc) => [x.not_before, x.not_after])).toEqual(times);
        expect([t.not_before, t.not_after]).toEqual(times.slice(0, 2));
        const openssl = (what: string) =>
          execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', what, '-nameopt', 'RFC2253'], {
            input: ders[0],
            encoding: 'utf8',
          })
            .trim()
            .replace(/^\w+=/, '');
        expect([t.subject, t.issuer]).toEqual([openssl('-subject'), openssl('-issuer')]);
      }
    }
    // The server's chain in five handshakes, the client's in one.
    expect(seen).toBe(6);
  });
});

describe("tls.pcap with Packetbeat's certificate options", () => {
  const run = async (config: Record<string, unknown>) =>
    (await replayCaptureDetailed(CAPTURE, [{ module: tlsProtocol, config }])).events.map(
      (e) => e.fields as Doc,
    );

  it('include_raw_certificates: the chains as PEM, leaf first, which openssl reads back to the hashed certificates', async () => {
    const docs = await run({ include_raw_certificates: true, fingerprints: ['md5', 'sha256'] });
    const mutual = docs.find((d) => d.destination.port === 9243)!;
    for (const side of ['server', 'client'] as const) {
      const chain: string[] = mutual.tls[side].certificate_chain;
      expect(chain.length).toBeGreaterThan(0);
      const der = execFileSync('openssl', ['x509', '-outform', 'DER'], { input: chain[0] });
      expect(mutual.tls[side].hash).toEqual({
        md5: createHash('md5').update(der).digest('hex').toUpperCase(),
        sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
      });
    }
  });

  it('send_certificates: false and include_detailed_fields: false leave out the x509 objects and tls.detailed', async () => {
    const noCerts = await run({ send_certificates: false });
    expect(
      noCerts.some((d) => d.tls.server?.x509 !== undefined || d.tls.detailed.server_certificate_chain),
    ).toBe(false);
    expect(noCerts.filter((d) => d.tls.server?.hash?.sha1 !== undefined)).toHaveLength(5);
    const brief = await run({ include_detailed_fields: false });
    expect(brief.some((d) => d.tls.detailed !== undefined || d.tls.server?.x509 !== undefined)).toBe(false);
    expect(brief.map((d) => d.tls.cipher)).toEqual(noCerts.map((d) => d.tls.cipher));
  });
});
