// However TCP cut the streams, the pgsql analyzer publishes the same transactions; a gap inside a
// long message's skipped body only shortens it, any other gap drops the connection without
// pairing anything wrongly.
import { bytewise, everySplit } from '@wirebeat/testing';
import { CLIENT, SERVER, be, converse, fe } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const essence = (d: Doc) => [
  d.method,
  d.query,
  d.pgsql.command_tag,
  d.pgsql.error_code,
  d.pgsql.num_rows,
  d.source.bytes,
  d.destination.bytes,
  d.status,
  d.notes,
];

describe('pgsql: streams re-split', () => {
  const whole = converse([CLIENT], [SERVER]).map(essence);

  it('the unsplit conversation: one transaction per statement, Execute and startup', () => {
    expect(whole.map((e) => [e[0], e[1], e[2] ?? e[3], e[4], e[7]])).toEqual([
      ['STARTUP', undefined, undefined, 0, 'OK'],
      ['SELECT', 'SELECT a, b FROM t', 'SELECT 2', 2, 'OK'],
      ['UPDATE', 'UPDATE t SET a = 1', 'UPDATE 2', 2, 'OK'],
      ['INSERT', 'INSERT INTO t VALUES ($1)', 'INSERT 0 1', 1, 'OK'],
      ['INSERT', 'INSERT INTO t VALUES ($1)', 'INSERT 0 1', 1, 'OK'],
      ['SELECT', 'SELECT nope', '42703', 0, 'Error'],
      ['SELECT', 'SELECT 2', undefined, undefined, 'Error'],
      ['COPY', 'COPY t FROM STDIN', 'COPY 2', 2, 'OK'],
    ]);
    // Every client byte but Terminate's, every server byte but the ReadyForQuery ones after results.
    const sent = whole.reduce((n, e) => n + (e[5] as number), 0);
    expect(sent).toBe(CLIENT.length - fe.terminate().length);
  });

  it('cut in two at every byte of either stream, or byte by byte', () => {
    for (const chunks of everySplit(CLIENT)) expect(converse(chunks, [SERVER]).map(essence)).toEqual(whole);
    for (const chunks of everySplit(SERVER)) expect(converse([CLIENT], chunks).map(essence)).toEqual(whole);
    expect(converse(bytewise(CLIENT), bytewise(SERVER)).map(essence)).toEqual(whole);
  });

  it('wherever a 3-byte gap falls, no response is paired with the wrong request', () => {
    for (const dir of [0, 1] as const) {
      const length = (dir === 0 ? CLIENT : SERVER).length;
      for (let from = 0; from + 3 <= length; from++) {
        for (const d of converse([CLIENT], [SERVER], {}, [dir, from, from + 3]).map(essence)) {
          // Alone (a request without response, a response without request) is fine; wrongly paired is not.
          if (d[0] === undefined || d[6] === 0) continue;
          const same = whole.find((e) => e[0] === d[0] && e[1] === d[1] && e[2] === d[2] && e[3] === d[3]);
          expect([dir, from, d[0], d[1], d[2], d[3], same !== undefined]).toEqual([
            dir,
            from,
            d[0],
            d[1],
            d[2],
            d[3],
            true,
          ]);
        }
      }
    }
  });

  it('a gap inside a long row only shortens it: the pairing holds, the response is marked', () => {
    const big = 'r'.repeat(100_000);
    const client = Buffer.concat([fe.query('SELECT big FROM t'), fe.query('SELECT 1')]);
    const server = Buffer.concat([
      be.rowDescription('big'),
      be.dataRow(big),
      be.complete('SELECT 1'),
      be.ready(),
      be.rowDescription('one'),
      be.dataRow('1'),
      be.complete('SELECT 1'),
      be.ready(),
    ]);
    const at = server.indexOf('rrrr') + 80_000;
    const docs = converse([client], [server], {}, [1, at, at + 1000]);
    expect(docs.map((d) => [d.query, d.pgsql.num_rows, d.destination.bytes, d.status, d.notes])).toEqual([
      // Bytes up to the first ReadyForQuery, those lost in the gap included; then T, D and C.
      [
        'SELECT big FROM t',
        1,
        server.indexOf(be.ready()),
        'Error',
        ['message bytes lost in a gap in the stream'],
      ],
      ['SELECT 1', 1, 29 + 12 + 14, 'OK', undefined],
    ]);
  });
});
