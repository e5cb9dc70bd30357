// The MySQL analyzer on conversations built byte by byte: framing (16 MB continuation packets),
// the login, every answer shape (OK, ERR, result sets with and without CLIENT_DEPRECATE_EOF,
// several results, prepared statements), the commands without answer, and what is skipped (TLS,
// compression, an execute of a statement prepared before the capture).
import { PacketFramer, binaryValue, csvText, limitRow, type PacketInfo } from '@wirebeat/protocol-mysql';
import {
  bigPacket,
  binaryRow,
  CLIENT_COMPRESS,
  CLIENT_DEPRECATE_EOF,
  column,
  command,
  conversation,
  endOfRows,
  eof,
  err,
  essence,
  execute,
  greeting,
  handshakeResponse,
  lenenc,
  ok,
  packet,
  resultSet,
  run,
  sslRequest,
  textRow,
  type Turn,
} from './helpers';

const EXPECTED = [
  [
    'mysql.query',
    'SELECT id, name FROM items',
    'OK',
    3,
    0,
    undefined,
    undefined,
    'id,name\n1,apple\n2,NULL\n3,"fig, ""dry"""\n',
  ],
  ['mysql.query', "INSERT INTO items (name) VALUES ('a'), ('b')", 'OK', 0, 2, undefined, undefined, ''],
  ['mysql.query', 'SELEKT 1', 'Error', 0, 0, 1064, undefined, ''],
  ['mysql.stmt_prepare', 'SELECT name, id FROM items WHERE id > ?', 'OK', 0, 0, undefined, undefined, ''],
  [
    'mysql.stmt_execute',
    'SELECT name, id FROM items WHERE id > ?',
    'OK',
    2,
    0,
    undefined,
    ['1'],
    'name,id\npear,2\nNULL,3\n',
  ],
  ['mysql.ping', 'PING', 'OK', 0, 0, undefined, undefined, ''],
];

describe('a MySQL conversation', () => {
  for (const deprecateEof of [false, true]) {
    it(`pairs every command with its answer (${deprecateEof ? 'CLIENT_DEPRECATE_EOF' : 'classic EOF'})`, () => {
      const docs = run(conversation(deprecateEof));
      expect(docs.map(essence)).toEqual(EXPECTED);
      expect(docs[0]).toMatchObject({
        method: 'SELECT',
        path: 'shop.items',
        mysql: { num_fields: 2, iserror: false },
      });
      expect(docs[1].mysql).toMatchObject({ insert_id: 7, affected_rows: 2 });
      expect(docs[2].mysql).toMatchObject({
        iserror: true,
        error_message: '42000: You have an error in your SQL syntax',
      });
      expect(docs[2]).toMatchObject({ method: 'SELEKT' });
      expect(docs[3].mysql.num_fields).toBe(2);
      expect(docs[3].path).toBe('shop.items');
      expect(docs.every((d) => d.notes === undefined && d.type === 'mysql')).toBe(true);
    });
  }

  it('counts bytes of every packet of the answer', () => {
    const turns = conversation(false);
    const docs = run(turns);
    expect(docs[0].source.bytes).toBe(turns[3][1].length);
    expect(docs[0].destination.bytes).toBe(turns[4][1].length);
    expect(docs[4].destination.bytes).toBe(turns[12][1].length);
  });

  it('keeps max_rows rows of max_row_length characters, and no text unless asked', () => {
    const docs = run(conversation(false), { send_response: true, max_rows: 1, max_row_length: 3 });
    expect(docs[0].response).toBe('id,name\n1,ap\n');
    expect(docs[0].mysql.num_rows).toBe(3);
    expect(docs[0].request).toBeUndefined();
    const quiet = run(conversation(false), {});
    expect(quiet.every((d) => d.request === undefined && d.response === undefined)).toBe(true);
  });

  it('a capture begun after the login: CLIENT_DEPRECATE_EOF is recognised by the missing EOF', () => {
    for (const deprecateEof of [false, true]) {
      const docs = run(conversation(deprecateEof).slice(3));
      expect(docs.map((d) => essence(d).slice(0, 6))).toEqual([
        ...EXPECTED.slice(0, 3).map((e) => e.slice(0, 6)),
        ['mysql.stmt_prepare', 'SELECT name, id FROM items WHERE id > ?', 'OK', 0, 0, undefined],
        ['mysql.stmt_execute', 'SELECT name, id FROM items WHERE id > ?', 'OK', 2, 0, undefined],
        ['mysql.ping', 'PING', 'OK', 0, 0, undefined],
      ]);
    }
  });
});

describe('answers', () => {
  const login: Turn[] = [
    [1, greeting()],
    [0, handshakeResponse()],
    [1, ok(2)],
  ];

  it('several results (SERVER_MORE_RESULTS_EXISTS) are one answer: rows summed, first columns kept', () => {
    const docs = run([
      ...login,
      [0, command(0x03, 'SELECT 1 AS a; SELECT 2 AS b; UPDATE t SET x = 1')],
      [
        1,
        Buffer.concat([
          resultSet(1, false, [['', '', 'a']], [['1']], 2 | 8),
          resultSet(5, false, [['', '', 'b']], [['2'], ['3']], 2 | 8),
          ok(10, 4, 0, 2),
        ]),
      ],
      [0, command(0x0e)],
      [1, ok(1)],
    ]);
    expect(docs.map(essence)).toEqual([
      [
        'mysql.query',
        'SELECT 1 AS a; SELECT 2 AS b; UPDATE t SET x = 1',
        'OK',
        3,
        4,
        undefined,
        undefined,
        'a\n1\n',
      ],
      ['mysql.ping', 'PING', 'OK', 0, 0, undefined, undefined, ''],
    ]);
    expect(docs[0].path).toBeUndefined();
  });

  it('an ERR in the midst of rows ends the answer as an error', () => {
    const docs = run([
      ...login,
      [0, command(0x03, 'SELECT * FROM big')],
      [
        1,
        Buffer.concat([
          packet(1, lenenc(1)),
          column(2, 'db', 'big', 'x'),
          eof(3),
          textRow(4, ['1']),
          err(5, 1317, '70100', 'Query execution was interrupted'),
        ]),
      ],
    ]);
    expect(docs.map(essence)).toEqual([
      ['mysql.query', 'SELECT * FROM big', 'Error', 1, 0, 1317, undefined, 'x\n1\n'],
    ]);
  });

  it('INIT_DB, FIELD_LIST, STATISTICS and a MariaDB progress report', () => {
    const docs = run([
      ...login,
      [0, command(0x02, 'shop')],
      [1, ok(1)],
      [0, command(0x04, 'items\0')],
      [1, Buffer.concat([column(1, 'shop', 'items', 'id'), column(2, 'shop', 'items', 'name'), eof(3)])],
      [0, command(0x09)],
      [1, packet(1, 'Uptime: 12  Threads: 1')],
      [0, command(0x03, 'ALTER TABLE items ADD x INT')],
      [1, Buffer.concat([packet(1, [0xff, 0xff, 0xff], [1, 1, 0, 0, 0]), ok(2)])],
    ]);
    expect(docs.map((d) => [d.method, d.query, d.status, d.mysql.num_fields, d.path])).toEqual([
      ['USE', 'USE shop', 'OK', 0, undefined],
      ['FIELD_LIST', 'FIELD_LIST items', 'OK', 2, 'shop.items'],
      ['STATISTICS', 'STATISTICS', 'OK', 0, undefined],
      ['ALTER', 'ALTER TABLE items ADD x INT', 'OK', 0, undefined],
    ]);
  });

  it('CHANGE_USER through an auth switch; an execute opening a cursor, then STMT_FETCH with its rows', () => {
    const cursorExecute = Buffer.from(execute(9, []));
    cursorExecute[9] = 1; // CURSOR_TYPE_READ_ONLY
    const docs = run([
      ...login,
      [0, command(0x11, 'other\0\0')],
      [1, packet(1, [0xfe], 'mysql_native_password\0', 'abcdefghijklmnopqrst\0')],
      [0, packet(2, Buffer.alloc(20))],
      [1, ok(3)],
      [0, command(0x16, 'SELECT name, id FROM items')],
      [
        1,
        Buffer.concat([
          packet(1, [0], [9, 0, 0, 0], [2, 0, 0, 0, 0, 0, 0]),
          column(2, 'shop', 'items', 'name', 0xfd),
          column(3, 'shop', 'items', 'id', 0x03),
          eof(4),
        ]),
      ],
      [0, cursorExecute],
      [
        1,
        Buffer.concat([
          packet(1, lenenc(2)),
          column(2, 'shop', 'items', 'name', 0xfd),
          column(3, 'shop', 'items', 'id', 0x03),
          eof(4, 2 | 0x40),
        ]),
      ],
      [0, command(0x1c, Buffer.from([9, 0, 0, 0, 10, 0, 0, 0]))],
      [1, Buffer.concat([binaryRow(1, 'pear', 2), binaryRow(2, 'fig', 3), eof(3, 2 | 0x80)])],
    ]);
    expect(docs.map(essence)).toEqual([
      ['mysql.change_user', 'CHANGE_USER', 'OK', 0, 0, undefined, undefined, ''],
      ['mysql.stmt_prepare', 'SELECT name, id FROM items', 'OK', 0, 0, undefined, undefined, ''],
      ['mysql.stmt_execute', 'SELECT name, id FROM items', 'OK', 0, 0, undefined, undefined, 'name,id\n'],
      ['mysql.stmt_fetch', 'SELECT name, id FROM items', 'OK', 2, 0, undefined, undefined, 'pear,2\nfig,3\n'],
    ]);
  });

  it('LOCAL INFILE: the file the client sends is not a command; the final OK answers the query', () => {
    const docs = run([
      ...login,
      [0, command(0x03, "LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t")],
      [1, packet(1, [0xfb], 'x.csv')],
      [0, Buffer.concat([packet(2, '1,a\n2,b\n'), packet(3, '')])],
      [1, ok(4, 2)],
    ]);
    expect(docs.map(essence)).toEqual([
      ['mysql.query', "LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t", 'OK', 0, 2, undefined, undefined, ''],
    ]);
  });

  it('an answer cut by the end of the connection is published as it is, with a note', () => {
    const docs = run([
      ...login,
      [0, command(0x03, 'SELECT x FROM t')],
      [1, Buffer.concat([packet(1, lenenc(1)), column(2, 'd', 't', 'x'), eof(3), textRow(4, ['1'])])],
    ]);
    expect(docs.map((d) => [d.status, d.mysql.num_rows, d.notes])).toEqual([
      ['Error', 1, ['message incomplete at end of stream']],
    ]);
  });
});

describe('commands without answer, and connections not followed', () => {
  it('STMT_CLOSE and QUIT publish nothing; an execute after the close does not know its query', () => {
    const docs = run([
      [0, command(0x16, 'SELECT 1')],
      [
        1,
        Buffer.concat([
          packet(1, [0], Buffer.from([5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])),
          column(2, '', '', '1', 8),
          eof(3),
        ]),
      ],
      [0, command(0x19, Buffer.from([5, 0, 0, 0]))],
      [0, execute(5, [])],
      [1, resultSet(1, false, [['', '', '1']], [['1']])],
      [0, command(0x01)],
    ]);
    expect(docs.map((d) => [d.event.action, d.method, d.query, d.status, d.notes])).toEqual([
      ['mysql.stmt_prepare', 'SELECT', 'SELECT 1', 'OK', undefined],
      [
        'mysql.stmt_execute',
        'STMT_EXECUTE',
        'STMT_EXECUTE',
        'OK',
        ['The actual query being used is unknown'],
      ],
    ]);
  });

  it('an SSL request: the rest of the connection is skipped and counted', () => {
    const docs = run([
      [1, greeting()],
      [0, sslRequest()],
      [0, Buffer.from('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03')],
      [1, Buffer.from('\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03')],
      [0, command(0x03, 'SELECT 1')],
    ]);
    expect(docs).toEqual([]);
  });

  it('compression agreed at login: the commands after it are not followed', () => {
    const caps = 0x1 | 0x200 | 0x8000 | CLIENT_COMPRESS;
    const docs = run([
      [1, greeting(caps | CLIENT_DEPRECATE_EOF)],
      [0, handshakeResponse(caps)],
      [1, ok(2)],
      [0, Buffer.from([9, 0, 0, 0, 0, 0, 0, 3, 0x53, 0x45, 0x4c, 0x20, 0x31])],
    ]);
    expect(docs).toEqual([]);
  });

  it('a refused login ends the connection', () => {
    const docs = run([
      [1, greeting()],
      [0, handshakeResponse()],
      [1, err(2, 1045, '28000', "Access denied for user 'app'")],
    ]);
    expect(docs).toEqual([]);
  });
});

describe('PacketFramer', () => {
  const collect = () => {
    const out: Array<[number, number, number, boolean]> = [];
    const sink = (p: Uint8Array, info: PacketInfo) => out.push([info.seq, p.length, info.wire, info.cut]);
    return { out, sink };
  };

  it('joins 16 MB continuation packets into one payload, whatever the segments', () => {
    const first = Buffer.alloc(4 + 0xffffff, 0x61);
    first.writeUIntLE(0xffffff, 0, 3);
    first[3] = 0;
    const second = packet(1, 'tail');
    const { out, sink } = collect();
    const f = new PacketFramer();
    const all = Buffer.concat([first, second, packet(0, [0x0e])]);
    for (let at = 0; at < all.length; at += 1_000_003) f.push(all.subarray(at, at + 1_000_003), 1, sink);
    // Only the first MiB is kept; the rest is counted.
    expect(out).toEqual([
      [0, 1 << 20, 0xffffff + 4 + 8, true],
      [0, 1, 5, false],
    ]);
  });

  it('a payload of exactly 2^24-1 bytes ends with an empty packet', () => {
    const first = Buffer.alloc(4 + 0xffffff);
    first.writeUIntLE(0xffffff, 0, 3);
    const { out, sink } = collect();
    const f = new PacketFramer();
    f.push(first, 1, sink);
    expect(out).toEqual([]);
    f.push(packet(1, ''), 1, sink);
    expect(out).toEqual([[0, 1 << 20, 0xffffff + 8, true]]);
  });

  it('a gap inside a payload shortens it; one over a header loses the framing', () => {
    const { out, sink } = collect();
    const f = new PacketFramer();
    f.push(packet(0, [3], 'SELECT 1').subarray(0, 6), 1, sink);
    expect(f.gap(7, sink)).toBe(true);
    f.push(packet(0, [0x0e]), 1, sink);
    expect(out).toEqual([
      [0, 2, 13, true],
      [0, 1, 5, false],
    ]);
    f.push(packet(0, [3], 'SELECT 1').subarray(0, 6), 1, sink);
    expect(f.gap(10, sink)).toBe(false);
  });
});

describe('values', () => {
  const v = (bytes: number[], type: number, unsigned = false) =>
    binaryValue(Uint8Array.from(bytes), 0, type, unsigned);

  it('binary-protocol values as the text protocol shows them', () => {
    expect(v([0xff], 0x01)).toBe('-1');
    expect(v([0xff], 0x01, true)).toBe('255');
    expect(v([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0x08)).toBe('-2');
    expect(v([0x9a, 0x99, 0x99, 0x3f], 0x04)).toBe('1.2');
    expect(v([0, 0, 0, 0, 0, 0, 0xf8, 0x3f], 0x05)).toBe('1.5');
    expect(v([4, 0xea, 0x07, 12, 6], 0x0a)).toBe('2026-12-06');
    expect(v([7, 0xea, 0x07, 12, 6, 7, 5, 9], 0x0c)).toBe('2026-12-06 07:05:09');
    expect(v([8, 1, 1, 0, 0, 0, 2, 3, 4], 0x0b)).toBe('-26:03:04');
    expect(v([3, 0x61, 0x62, 0x63], 0xfd)).toBe('abc');
    expect(v([3, 0x61], 0xfd)).toBeUndefined();
    expect(v([0x01], 0x03)).toBeUndefined();
  });

  it('rows cut as Packetbeat cuts them, CSV as Go writes it', () => {
    expect(limitRow(['abc', 'defg', 'h'], 5)).toEqual(['abc', 'de']);
    expect(
      csvText(
        ['a', 'b c'],
        [
          [' x', 'y"z'],
          ['1\n2', ''],
        ],
      ),
    ).toBe('a,b c\n" x","y""z"\n1\\n2,\n');
    expect(csvText(undefined, undefined)).toBe('');
  });
});

describe('rows ending', () => {
  it('with CLIENT_DEPRECATE_EOF a row starting with 0xfe (a string of 16 MB) is a row, not the end', () => {
    const row = Buffer.concat([lenenc(1 << 24), Buffer.alloc(1 << 24, 0x78)]);
    const docs = run([
      [1, greeting()],
      [0, handshakeResponse(0x1 | 0x200 | 0x8000 | CLIENT_DEPRECATE_EOF)],
      [1, ok(2)],
      [0, command(0x03, 'SELECT big FROM t')],
      [
        1,
        Buffer.concat([
          packet(1, lenenc(1)),
          column(2, 'd', 't', 'big'),
          bigPacket(3, row),
          endOfRows(5, true),
        ]),
      ],
    ]);
    expect(docs.map((d) => [d.mysql.num_rows, d.response])).toEqual([[1, `big\n${'x'.repeat(1024)}\n`]]);
  });
});
