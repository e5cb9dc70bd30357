// However TCP cut the streams, the Redis analyzer publishes the same transactions; gaps inside bulk
// strings only shorten them, other gaps drop the connection without mis-pairing anything.
import type { TransactionEvent } from '@wirebeat/applayer';
import { redisProtocol } from '@wirebeat/protocol-redis';
import { PluginDriver, everySplit, bytewise } from '@wirebeat/testing';

const cmd = (...args: string[]) =>
  `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
const CLIENT =
  cmd('HELLO', '3') +
  cmd('SET', 'k', 'a fairly long value to be cut') +
  'GET k\r\n' +
  cmd('SUBSCRIBE', 'c1', 'c2') +
  cmd('PING');
const SERVER =
  '%1\r\n+proto\r\n:3\r\n' +
  '+OK\r\n' +
  '$29\r\na fairly long value to be cut\r\n' +
  '>3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n' +
  '>3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:2\r\n' +
  '>3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$2\r\nhi\r\n' +
  '+PONG\r\n';
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(
  client: Iterable<Uint8Array | string>,
  server: Iterable<Uint8Array | string>,
  gap?: [0 | 1, number, number],
) {
  const d = new PluginDriver(redisProtocol, { send_response: true });
  const send = (dir: 0 | 1, chunks: Iterable<Uint8Array | string>) => {
    if (gap === undefined || gap[0] !== dir) return void d.chunks(dir, chunks);
    const text = [...chunks]
      .map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1')))
      .join('');
    d.data(dir, text.slice(0, gap[1]));
    if (d.gap(dir, gap[2] - gap[1])) return;
    d.data(dir, text.slice(gap[2]));
  };
  send(0, client);
  send(1, server);
  return d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
}
const essence = (d: Doc) => [
  d.query,
  d.redis?.return_value,
  d.status,
  d.source?.bytes,
  d.destination?.bytes,
  d.notes,
];
const whole = run([CLIENT], [SERVER]).map(essence);

describe('redis: streams re-split', () => {
  it('the unsplit conversation pairs every command with its reply', () => {
    expect(whole.map((e) => [e[0], e[1], e[2]])).toEqual([
      ['HELLO 3', '{proto: 3}', 'OK'],
      ['SET k a fairly long value to be cut', 'OK', 'OK'],
      ['GET k', 'a fairly long value to be cut', 'OK'],
      ['SUBSCRIBE c1 c2', '[subscribe, c1, 1]', 'OK'],
      ['PING', 'PONG', 'OK'],
    ]);
  });

  it('cut in two at every byte of either stream, or byte by byte', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    for (const chunks of everySplit(enc(CLIENT))) expect(run(chunks, [SERVER]).map(essence)).toEqual(whole);
    for (const chunks of everySplit(enc(SERVER))) expect(run([CLIENT], chunks).map(essence)).toEqual(whole);
    expect(run(bytewise(enc(CLIENT)), bytewise(enc(SERVER))).map(essence)).toEqual(whole);
  });
});

describe('redis gaps', () => {
  it('a gap inside a bulk string keeps the pairing, with a note', () => {
    const at = SERVER.indexOf('fairly');
    const docs = run([CLIENT], [SERVER], [1, at, at + 6]);
    expect(docs.map((d) => [d.query, d.status])).toEqual(
      whole.map((e) => [e[0], e[2] === 'OK' && e[0] !== 'GET k' ? 'OK' : 'Error']),
    );
    expect(docs[2].notes).toEqual(['bulk string bytes lost in a gap in the stream']);
  });

  it('wherever a 3-byte gap falls, no reply is paired with the wrong command', () => {
    for (const dir of [0, 1] as const) {
      const length = (dir === 0 ? CLIENT : SERVER).length;
      for (let from = 0; from + 3 <= length; from++) {
        for (const d of run([CLIENT], [SERVER], [dir, from, from + 3])) {
          if (d.status !== 'OK') continue;
          const expected = whole.find((e) => e[0] === d.query);
          expect([dir, from, d.query, d.redis.return_value]).toEqual([dir, from, d.query, expected?.[1]]);
        }
      }
    }
  });
});
