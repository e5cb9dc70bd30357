// However TCP cut the streams, the memcache analyzer publishes the same transactions; a gap inside
// a value only shortens it, any other gap drops the connection without mis-pairing anything.
import type { TransactionEvent } from '@wirebeat/applayer';
import { memcacheProtocol } from '@wirebeat/protocol-memcache';
import { PluginDriver, bytewise, everySplit } from '@wirebeat/testing';
import { bin } from './helpers';

const TEXT_CLIENT =
  'set k 0 0 26\r\nabcdefghijklmnopqrstuvwxyz\r\nget k other\r\nset n 0 0 1 noreply\r\n7\r\nincr n 2\r\nget nope\r\n';
const TEXT_SERVER = 'STORED\r\nVALUE k 0 26\r\nabcdefghijklmnopqrstuvwxyz\r\nEND\r\n9\r\nEND\r\n';
const BIN_CLIENT = Buffer.concat([
  bin(0x80, 0x01, { key: 'k', extras: Buffer.alloc(8), value: 'a binary value long enough', opaque: 9 }),
  bin(0x80, 0x09, { key: 'miss', opaque: 4 }),
  bin(0x80, 0x09, { key: 'k', opaque: 5 }),
  bin(0x80, 0x0a, { opaque: 6 }),
  bin(0x80, 0x00, { key: 'k', opaque: 1 }),
]);
const BIN_SERVER = Buffer.concat([
  bin(0x81, 0x01, { opaque: 9 }),
  bin(0x81, 0x09, { extras: Buffer.alloc(4), value: 'a binary value long enough', opaque: 5 }),
  bin(0x81, 0x0a, { opaque: 6 }),
  bin(0x81, 0x00, { extras: Buffer.alloc(4), value: 'a binary value long enough', opaque: 1 }),
]);
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(
  client: Iterable<Uint8Array | string>,
  server: Iterable<Uint8Array | string>,
  gap?: [0 | 1, number, number],
) {
  const d = new PluginDriver(memcacheProtocol, { send_request: true });
  const send = (dir: 0 | 1, chunks: Iterable<Uint8Array | string>) => {
    if (gap === undefined || gap[0] !== dir) return void d.chunks(dir, chunks);
    const all = Buffer.concat([...chunks].map((c) => (typeof c === 'string' ? Buffer.from(c, 'latin1') : c)));
    d.data(dir, all.subarray(0, gap[1]));
    if (d.gap(dir, gap[2] - gap[1])) return;
    d.data(dir, all.subarray(gap[2]));
  };
  send(0, client);
  send(1, server);
  return d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
}
const essence = (d: Doc) => [
  d.request,
  d.memcache.response?.command,
  d.memcache.response?.opaque,
  d.memcache.response?.bytes,
  d.status,
  d.notes,
];
const enc = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : s);

for (const [name, CLIENT, SERVER, expected] of [
  [
    'text',
    TEXT_CLIENT,
    TEXT_SERVER,
    [
      ['set k', 'STORED', undefined, undefined, 'OK', undefined],
      ['get k other', 'VALUE', undefined, 26, 'OK', undefined],
      ['set n', undefined, undefined, undefined, 'OK', undefined],
      ['incr n', '<counter_op_res>', undefined, undefined, 'OK', undefined],
      ['get nope', 'END', undefined, undefined, 'OK', undefined],
    ],
  ],
  [
    'binary',
    BIN_CLIENT,
    BIN_SERVER,
    [
      ['Set k', 'set', 9, undefined, 'OK', undefined],
      ['GetQ miss', undefined, undefined, undefined, 'OK', undefined],
      ['GetQ k', 'get', 5, 26, 'OK', undefined],
      ['No-op', 'noop', 6, undefined, 'OK', undefined],
      ['Get k', 'get', 1, 26, 'OK', undefined],
    ],
  ],
] as const) {
  describe(`memcache ${name}: streams re-split`, () => {
    const whole = run([CLIENT], [SERVER]).map(essence);

    it('the unsplit conversation pairs every request with its reply', () => {
      expect(whole).toEqual(expected);
    });

    it('cut in two at every byte of either stream, or byte by byte', () => {
      for (const chunks of everySplit(enc(CLIENT))) expect(run(chunks, [SERVER]).map(essence)).toEqual(whole);
      for (const chunks of everySplit(enc(SERVER))) expect(run([CLIENT], chunks).map(essence)).toEqual(whole);
      expect(run(bytewise(enc(CLIENT)), bytewise(enc(SERVER))).map(essence)).toEqual(whole);
    });

    it('a gap inside a value keeps the pairing, with a note', () => {
      const at =
        enc(SERVER).indexOf('lmnop') >= 0 ? enc(SERVER).indexOf('lmnop') : enc(SERVER).indexOf('value long');
      const docs = run([CLIENT], [SERVER], [1, at, at + 4]).map(essence);
      expect(docs.map((e) => e[0])).toEqual(whole.map((e) => e[0]));
      expect(docs.filter((e) => e[5] !== undefined).map((e) => [e[4], e[5]])).toEqual([
        ['Error', ['value bytes lost in a gap in the stream']],
      ]);
    });

    it('wherever a 3-byte gap falls, no reply is paired with the wrong request', () => {
      for (const dir of [0, 1] as const) {
        const length = enc(dir === 0 ? CLIENT : SERVER).length;
        for (let from = 0; from + 3 <= length; from++) {
          for (const d of run([CLIENT], [SERVER], [dir, from, from + 3]).map(essence)) {
            // Alone (a request without reply, a reply without request) is fine: wrongly paired is not.
            if (d[0] === undefined || d[1] === undefined) continue;
            const same = whole.find((e) => e[0] === d[0]);
            expect([dir, from, d[0], d[1], d[2]]).toEqual([dir, from, d[0], same?.[1], same?.[2]]);
          }
        }
      }
    });
  });
}

describe('memcache: bytes that are not memcache', () => {
  it('a line over the limit stops the direction once: the pending request is published with a note', () => {
    const d = new PluginDriver(memcacheProtocol, {});
    d.data(0, 'get a\r\n');
    d.data(1, 'x'.repeat(5000));
    d.data(1, 'y'.repeat(5000));
    d.data(1, 'z'.repeat(5000));
    const docs = d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
    expect(docs.map((x) => [x.memcache.request?.command, x.status])).toEqual([['get', 'Error']]);
    expect(docs[0].notes).toHaveLength(1);
  });
});

describe('memcache binary: replies out of order', () => {
  it('opaque 2 answered before opaque 1 pairs each with its own request; a GetQ miss never takes the No-op reply', () => {
    const client = Buffer.concat([
      bin(0x80, 0x00, { key: 'one', opaque: 1 }),
      bin(0x80, 0x00, { key: 'two', opaque: 2 }),
      bin(0x80, 0x09, { key: 'miss', opaque: 3 }),
      bin(0x80, 0x0a, { opaque: 4 }),
    ]);
    const server = Buffer.concat([
      bin(0x81, 0x00, { extras: Buffer.alloc(4), value: '22', opaque: 2 }),
      bin(0x81, 0x00, { value: 'Not found', status: 1, opaque: 1 }),
      bin(0x81, 0x0a, { opaque: 4 }),
    ]);
    // Events come out as transactions complete: two first.
    const docs = run([client], [server]);
    expect(
      docs.map((d) => [
        d.memcache.request.keys?.[0] ?? 'noop',
        d.memcache.response?.opaque,
        d.memcache.response?.status,
        d.status,
      ]),
    ).toEqual([
      ['two', 2, 'Success', 'OK'],
      ['one', 1, 'Key not found', 'Error'],
      ['miss', undefined, undefined, 'OK'],
      ['noop', 4, 'Success', 'OK'],
    ]);
  });
});
