// Fuzzing the MySQL analyzer: mutated conversations and random bytes, cut anywhere, never make it
// throw, never count more bytes than it was given, and never publish more rows than max_rows.
import type { TransactionEvent } from '@wirebeat/applayer';
import { mysqlProtocol } from '@wirebeat/protocol-mysql';
import { PluginDriver, randomCuts, seededRandom, splitAt } from '@wirebeat/testing';
import { conversation, type Doc, type Turn } from './helpers';

function mutate(input: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(input);
  const edits = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < edits; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
  return rand() < 0.2 ? out.subarray(0, Math.floor(rand() * out.length)) : out;
}

/** Feeds the turns cut at random places; returns the events and the bytes given. */
function feed(turns: Turn[], seed: number): { docs: Doc[]; given: number; logged: string[] } {
  const d = new PluginDriver(mysqlProtocol, { send_request: true, send_response: true, max_rows: 2 });
  let given = 0;
  turns.forEach(([dir, bytes], i) => {
    given += bytes.length;
    for (const chunk of splitAt(bytes, randomCuts(bytes.length, 3, seed + i))) d.data(dir, chunk);
  });
  const docs = d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
  return { docs, given, logged: d.logged };
}

function check({ docs, given, logged }: ReturnType<typeof feed>): void {
  expect(logged).toEqual([]);
  let bytes = 0;
  for (const d of docs) {
    bytes += (d.source.bytes ?? 0) + (d.destination.bytes ?? 0);
    expect(['OK', 'Error']).toContain(d.status);
    if (typeof d.response === 'string') expect(d.response.split('\n').length).toBeLessThanOrEqual(1 + 2 + 1);
  }
  expect(bytes).toBeLessThanOrEqual(given);
}

describe('the MySQL analyzer under fuzzing', () => {
  it('mutated conversations (both EOF styles), cut at random places', () => {
    const rand = seededRandom(23);
    for (let round = 0; round < 300; round++) {
      const turns = conversation(round % 2 === 0).map(([dir, bytes]): Turn => {
        return [dir, rand() < 0.3 ? mutate(bytes, rand) : bytes];
      });
      check(feed(turns, round));
    }
  });

  it('random bytes in either direction, with and without a login first', () => {
    const rand = seededRandom(7);
    const login = conversation(false).slice(0, 3);
    for (let round = 0; round < 200; round++) {
      const noise = Buffer.from(
        Array.from({ length: 1 + Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)),
      );
      // Small lengths make noise look like packets more often.
      if (round % 2 === 0) noise[2] = noise[1] = 0;
      const turns: Turn[] = [...(round % 3 === 0 ? login : []), [(round % 2) as 0 | 1, noise], [0, noise]];
      check(feed(turns, round));
    }
  });
});
