// Fuzzing the TLS analyzer: the capture's real handshakes mutated and cut at random places, and
// random bytes behind a record header, through the whole analyzer (parser, connection, event).
// It never throws, never publishes more than one event per connection, and never reports more
// bytes than it was given.
import type { TransactionEvent } from '@wirebeat/applayer';
import { SideParser, tlsProtocol } from '@wirebeat/protocol-tls';
import { PluginDriver, randomCuts, seededRandom, splitAt } from '@wirebeat/testing';
import { captureStreams, record, streamBytes } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function mutate(input: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + Math.floor(rand() * 6);
  // Edits fall in the first 600 bytes most of the time: hellos and record headers.
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (rand() < 0.7 ? Math.min(600, out.length) : out.length));
    out[at] = Math.floor(rand() * 256);
  }
  return rand() < 0.2 ? out.subarray(0, Math.floor(rand() * out.length)) : out;
}

function run(client: Buffer, server: Buffer, seed: number): { docs: Doc[]; logged: string[] } {
  const d = new PluginDriver(tlsProtocol, {
    include_raw_certificates: seed % 3 === 0,
    fingerprints: ['md5', 'sha256'],
  });
  d.chunks(0, splitAt(client, randomCuts(client.length, 4, seed)));
  d.chunks(1, splitAt(server, randomCuts(server.length, 4, seed + 1)));
  return { docs: d.close('fin').map((e: TransactionEvent) => e.fields as Doc), logged: d.logged };
}

describe('the TLS analyzer under fuzzing', () => {
  const streams = captureStreams().map((s) => [streamBytes(s, 0), streamBytes(s, 1)] as const);

  it('mutated handshakes of the capture, cut at random places', () => {
    const rand = seededRandom(443);
    for (let round = 0; round < 300; round++) {
      const [client, server] = streams[round % streams.length];
      const which = round % 3;
      const c = which !== 1 ? mutate(client, rand) : client;
      const s = which !== 0 ? mutate(server, rand) : server;
      const { docs, logged } = run(c, s, round);
      expect([round, logged]).toEqual([round, []]);
      expect(docs.length).toBeLessThanOrEqual(1);
      for (const doc of docs) {
        expect(doc.type).toBe('tls');
        expect(doc.source.bytes).toBeLessThanOrEqual(c.length);
        expect(doc.destination.bytes).toBeLessThanOrEqual(s.length);
      }
    }
  });

  it('random bytes behind record headers: the side parser never throws and never reads past its input', () => {
    const rand = seededRandom(995);
    for (let round = 0; round < 400; round++) {
      const body = Buffer.from(
        Array.from({ length: 4 + Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)),
      );
      // A handshake message type the parser reads (hello, certificate, key exchange ...).
      body[0] = [1, 2, 11, 12, 13, 16, 22][round % 7];
      if (round % 2 === 0) body.writeUIntBE(body.length - 4, 1, 3);
      const input = Buffer.concat([record(22, body), record(21, body.subarray(0, 2))]);
      const p = new SideParser();
      for (const chunk of splitAt(input, randomCuts(input.length, 3, round))) p.push(chunk, 1);
      expect(p.records.consumed).toBeLessThanOrEqual(input.length);
      expect(p.records.held).toBeLessThanOrEqual(input.length);
    }
  });
});
