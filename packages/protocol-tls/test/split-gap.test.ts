// However TCP cut the streams, the TLS analyzer publishes the same handshake event; a gap in the
// handshake publishes what was seen before it, with a note, and nothing else. The streams are
// real ones of the capture, as tshark reassembles them.
import { SideParser, TlsNotes } from '@wirebeat/protocol-tls';
import { bytewise, everySplit, randomCuts, splitAt } from '@wirebeat/testing';
import { captureStreams, runConnection, streamBytes } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const essence = (d: Doc) => [
  d.status,
  d.tls.established,
  d.tls.resumed,
  d.tls.version,
  d.tls.cipher,
  d.tls.client?.ja3,
  d.tls.server?.ja3s,
  d.tls.server?.hash?.sha1,
  d.tls.client?.hash?.sha1,
  d.tls.detailed.alert_types,
  d.source.bytes,
  d.destination.bytes,
  d.notes,
];

/** Stream `n` of the capture: client and server bytes, and the handshake's length in each. */
function stream(n: number) {
  const s = captureStreams().find((x) => x.stream === n)!;
  const client = streamBytes(s, 0);
  const server = streamBytes(s, 1);
  const whole = runConnection([client], [server]);
  expect(whole).toHaveLength(1);
  return { client, server, whole: essence(whole[0]), doc: whole[0] };
}

// A TLS 1.2 handshake with certificates on both sides, a TLS 1.3 one, one refused with an alert.
describe.each([
  ['TLS 1.2 with a client certificate', 6],
  ['TLS 1.3', 2],
  ['TLS 1.2 refused by the client (unknown_ca)', 8],
])('%s: streams re-split', (_name, n) => {
  const { client, server, whole, doc } = stream(n);

  it('cut in two at every byte of either direction, each side reads the same handshake', () => {
    for (const bytes of [client, server]) {
      // As text (certificates in hex): jest's deep equality of byte arrays is slow.
      const side = (chunks: Iterable<Uint8Array>) => {
        const p = new SideParser();
        for (const c of chunks) p.push(c, 1);
        const certs = p.side.certificates.map((c) => Buffer.from(c).toString('hex'));
        return JSON.stringify([{ ...p.side, certificates: certs }, p.records.consumed]);
      };
      const all = side([bytes]);
      expect(all).toMatch(/"hello":\{/);
      let cut = 0;
      for (const chunks of everySplit(bytes)) {
        const got = side(chunks);
        if (got !== all) expect([cut, got]).toEqual([cut, all]);
        cut++;
      }
      expect(cut).toBe(bytes.length);
    }
  });

  it('byte by byte, and cut at random places, the same event', () => {
    expect(essence(runConnection(bytewise(client), bytewise(server))[0])).toEqual(whole);
    for (let seed = 1; seed <= 10; seed++) {
      const c = splitAt(client, randomCuts(client.length, 6, seed));
      const s = splitAt(server, randomCuts(server.length, 6, seed + 100));
      expect(essence(runConnection(c, s)[0])).toEqual(whole);
    }
  });

  it('a gap anywhere in the handshake: one event, with what came before it and a note', () => {
    for (const dir of [0, 1] as const) {
      const end = dir === 0 ? doc.source.bytes : doc.destination.bytes;
      for (let from = 0; from < end; from += 7) {
        const docs = runConnection([client], [server], {}, [dir, from, from + 3]);
        // A gap in the client's hello leaves nothing to publish (as in Packetbeat).
        if (dir === 0 && docs.length === 0 && from < client.readUInt16BE(3) + 5) continue;
        expect([dir, from, docs.length]).toEqual([dir, from, 1]);
        const d = docs[0];
        expect([dir, from, d.status, d.notes]).toEqual([dir, from, 'Error', [TlsNotes.gap]]);
        // The client's hello comes first: a gap in the server's bytes keeps its fingerprint.
        if (dir === 1) expect(d.tls.client.ja3).toBe(doc.tls.client.ja3);
      }
    }
  });
});

describe('bytes that are not TLS', () => {
  it('a plain-text conversation on a TLS port gives no event', () => {
    expect(
      runConnection(
        [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
        [Buffer.from('HTTP/1.1 200 OK\r\n\r\n')],
      ),
    ).toEqual([]);
  });

  it('a client hello answered by bytes that are not TLS: the hello alone, with notes', () => {
    const { client } = stream(2);
    const docs = runConnection([client], [Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]);
    expect(docs.map((d) => [d.status, d.tls.client.server_name, d.notes])).toEqual([
      ['Error', 'www.example.test', [TlsNotes.notTls]],
    ]);
  });
});
