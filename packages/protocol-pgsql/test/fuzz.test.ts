// Fuzzing the pgsql analyzer: mutated and random conversations, cut anywhere, with gaps, never
// throw, never publish more bytes than they were given, and keep the framer within its bounds.
import { PluginDriver, randomCuts, seededRandom, splitAt } from '@wirebeat/testing';
import { Framer, KEEP, pgsqlProtocol } from '@wirebeat/protocol-pgsql';
import { CLIENT, SERVER } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function mutate(input: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  return rand() < 0.3 ? out.subarray(0, Math.floor(rand() * out.length)) : out;
}

/** Feeds both sides in random cuts, interleaved, with an occasional gap; returns the documents. */
function feed(client: Buffer, server: Buffer, rand: () => number, seed: number): Doc[] {
  const d = new PluginDriver(pgsqlProtocol, { send_request: true, send_response: true, max_rows: 3 });
  const sides = [
    splitAt(client, randomCuts(client.length, 6, seed)),
    splitAt(server, randomCuts(server.length, 6, seed + 1)),
  ];
  const at = [0, 0];
  while (at[0] < sides[0].length || at[1] < sides[1].length) {
    const dir = (at[0] >= sides[0].length ? 1 : at[1] >= sides[1].length ? 0 : rand() < 0.5 ? 0 : 1) as 0 | 1;
    if (rand() < 0.05) d.gap(dir, 1 + Math.floor(rand() * 20));
    else d.data(dir, sides[dir][at[dir]]);
    at[dir]++;
  }
  return d.close('fin').map((e) => e.fields as Doc);
}

function check(docs: Doc[], given: number): void {
  let bytes = 0;
  for (const d of docs) {
    expect(d.type).toBe('pgsql');
    expect(['OK', 'Error']).toContain(d.status);
    bytes += d.source.bytes + d.destination.bytes;
    expect((d.response ?? '').length).toBeLessThanOrEqual(KEEP * 4);
  }
  // Gaps may add to what a message counts (bytes lost inside it), never beyond what was sent.
  expect(bytes).toBeLessThanOrEqual(given);
}

describe('pgsql analyzer under fuzzing', () => {
  it('mutated conversations, cut and interleaved at random places, with gaps', () => {
    const rand = seededRandom(5432);
    for (let round = 0; round < 200; round++) {
      const client = round % 3 === 1 ? CLIENT : mutate(CLIENT, rand);
      const server = round % 3 === 2 ? SERVER : mutate(SERVER, rand);
      check(feed(client, server, rand, round), client.length + server.length + 20 * 40);
    }
  });

  it('random bytes in both directions', () => {
    const rand = seededRandom(15);
    const random = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
    for (let round = 0; round < 200; round++) {
      const client = random(1 + Math.floor(rand() * 300));
      const server = random(1 + Math.floor(rand() * 300));
      // Half start like a typed message or a startup, so the parser gets past the first bytes.
      if (round % 2 === 0) client[0] = [0x51, 0x50, 0x00][round % 3];
      check(feed(client, server, rand, round), client.length + server.length + 20 * 40);
    }
  });

  it('the framer keeps at most its buffer, whatever length a header claims', () => {
    const rand = seededRandom(99);
    for (let round = 0; round < 200; round++) {
      const f = new Framer();
      f.untyped = round % 2 === 0;
      const input = mutate(Buffer.concat([CLIENT, SERVER]), rand);
      let handed = 0;
      for (const chunk of splitAt(input, randomCuts(input.length, 8, round)))
        f.feed(chunk, 1, (_t, body, size) => {
          expect(body.length).toBeLessThanOrEqual(Math.min(size, KEEP));
          handed += size;
        });
      expect(f.buffered).toBeLessThanOrEqual(2 * KEEP);
      expect(handed).toBeLessThanOrEqual(input.length);
    }
  });
});
