// However TCP cut the streams, the HTTP analyzer publishes the same transactions.
import { bytewise, everySplit, randomCuts, splitAt } from '@wirebeat/testing';
import { CLIENT, SERVER, essence, run } from './conversation';

const enc = (s: string) => new TextEncoder().encode(s);
const whole = run([CLIENT], [SERVER]).map(essence);

describe('http: streams re-split', () => {
  it('the unsplit conversation gives the expected transactions', () => {
    expect(whole.map((e) => [e.url, e.code, e.status, e.body])).toEqual([
      ['/a?x=1', 200, 'OK', [0, 5]],
      ['/form', 500, 'Error', [7, 3]],
      ['/up', 201, 'OK', [11, 0]],
      ['/h', 200, 'OK', [0, 0]],
      ['/last', 200, 'OK', [0, 13]],
    ]);
  });

  it('cut in two at every byte of the client stream', () => {
    for (const chunks of everySplit(enc(CLIENT))) expect(run(chunks, [SERVER]).map(essence)).toEqual(whole);
  });

  it('cut in two at every byte of the server stream', () => {
    for (const chunks of everySplit(enc(SERVER))) expect(run([CLIENT], chunks).map(essence)).toEqual(whole);
  });

  it('fed byte by byte', () => {
    expect(run(bytewise(enc(CLIENT)), bytewise(enc(SERVER))).map(essence)).toEqual(whole);
  });

  it('cut at random places (seeded)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const c = enc(CLIENT);
      const s = enc(SERVER);
      const events = run(
        splitAt(c, randomCuts(c.length, 12, seed)),
        splitAt(s, randomCuts(s.length, 12, seed * 7)),
      );
      expect(events.map(essence)).toEqual(whole);
    }
  });
});
