// Shared by the MySQL tests: packets of the wire protocol built byte by byte, a whole login and
// command conversation (classic EOF or CLIENT_DEPRECATE_EOF), and a driver that feeds it in order.
import type { TransactionEvent } from '@wirebeat/applayer';
import { mysqlProtocol } from '@wirebeat/protocol-mysql';
import { PluginDriver } from '@wirebeat/testing';

export type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** One turn of a conversation: who sends, and the bytes. */
export type Turn = [0 | 1, Buffer];

export const CLIENT_PROTOCOL_41 = 0x200;
export const CLIENT_SSL = 0x800;
export const CLIENT_DEPRECATE_EOF = 0x1000000;
export const CLIENT_COMPRESS = 0x20;
const BASE_CAPS = 0x1 | 0x4 | CLIENT_PROTOCOL_41 | 0x2000 | 0x8000 | 0x10000 | 0x20000 | 0x80000;

/** One packet: 3-byte length, sequence id, payload. */
export function packet(seq: number, ...parts: Array<Buffer | string | number[]>): Buffer {
  const payload = Buffer.concat(parts.map((p) => (Array.isArray(p) ? Buffer.from(p) : Buffer.from(p))));
  const h = Buffer.alloc(4);
  h.writeUIntLE(payload.length, 0, 3);
  h[3] = seq & 0xff;
  return Buffer.concat([h, payload]);
}

/** A payload of any length as physical packets of at most 2^24-1 bytes (sequence ids from `seq`). */
export function bigPacket(seq: number, payload: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const n = Math.min(0xffffff, payload.length - at);
    out.push(packet(seq++, payload.subarray(at, at + n)));
    at += n;
    if (n < 0xffffff) return Buffer.concat(out);
  }
}

/** A length-encoded integer. */
export function lenenc(n: number): Buffer {
  if (n < 0xfb) return Buffer.from([n]);
  if (n < 0x10000) return Buffer.from([0xfc, n & 0xff, n >> 8]);
  if (n < 0x1000000) return Buffer.from([0xfd, n & 0xff, (n >> 8) & 0xff, n >> 16]);
  const b = Buffer.alloc(9);
  b[0] = 0xfe;
  b.writeBigUInt64LE(BigInt(n), 1);
  return b;
}

/** A length-encoded string. */
export function lenstr(s: string): Buffer {
  const b = Buffer.from(s);
  return Buffer.concat([lenenc(b.length), b]);
}

const u16 = (n: number) => Buffer.from([n & 0xff, n >> 8]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** The server greeting (protocol 10) offering `caps`. */
export function greeting(caps = BASE_CAPS | CLIENT_DEPRECATE_EOF | CLIENT_SSL): Buffer {
  return packet(
    0,
    [10],
    '5.5.5-10.11.19-MariaDB\0',
    u32(42),
    'abcdefgh',
    [0],
    u16(caps & 0xffff),
    [45],
    u16(2),
    u16(caps >>> 16),
    [21],
    Buffer.alloc(10),
    'ijklmnopqrst\0',
    'mysql_native_password\0',
  );
}

/** The client's handshake response asking for `caps`. */
export function handshakeResponse(caps = BASE_CAPS, user = 'app'): Buffer {
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(caps >>> 0, 0);
  fixed.writeUInt32LE(1 << 24, 4);
  fixed[8] = 45;
  return packet(1, fixed, `${user}\0`, [0], 'mysql_native_password\0');
}

/** The SSL request: the fixed part of a handshake response alone. */
export function sslRequest(caps = BASE_CAPS | CLIENT_SSL): Buffer {
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(caps >>> 0, 0);
  return packet(1, fixed);
}

/** A command packet (sequence id 0). */
export function command(code: number, body: Buffer | string = ''): Buffer {
  return packet(0, [code], body);
}

/** An OK packet (header 0x00, or 0xfe where it ends rows with CLIENT_DEPRECATE_EOF). */
export function ok(seq: number, affected = 0, insertId = 0, status = 2, header = 0x00): Buffer {
  return packet(seq, [header], lenenc(affected), lenenc(insertId), u16(status), u16(0));
}

/** An ERR packet with its SQLSTATE. */
export function err(seq: number, code: number, state: string, message: string): Buffer {
  return packet(seq, [0xff], u16(code), '#', state, message);
}

/** A classic EOF packet. */
export function eof(seq: number, status = 2): Buffer {
  return packet(seq, [0xfe], u16(0), u16(status));
}

/** The end of rows: EOF, or OK with header 0xfe under CLIENT_DEPRECATE_EOF. */
export function endOfRows(seq: number, deprecateEof: boolean, status = 2): Buffer {
  return deprecateEof ? ok(seq, 0, 0, status, 0xfe) : eof(seq, status);
}

/** A column definition (protocol 4.1). */
export function column(
  seq: number,
  schema: string,
  table: string,
  name: string,
  type = 0xfd,
  flags = 0,
): Buffer {
  return packet(
    seq,
    lenstr('def'),
    lenstr(schema),
    lenstr(table),
    lenstr(table),
    lenstr(name),
    lenstr(name),
    [0x0c],
    u16(45),
    u32(255),
    [type],
    u16(flags),
    [0],
    u16(0),
  );
}

/** A text-protocol row (null for NULL). */
export function textRow(seq: number, values: Array<string | null>): Buffer {
  return packet(seq, ...values.map((v) => (v === null ? Buffer.from([0xfb]) : lenstr(v))));
}

/** A whole text result set: count, definitions, [EOF], rows, end; sequence ids from `seq`. */
export function resultSet(
  seq: number,
  deprecateEof: boolean,
  columns: Array<[string, string, string]>,
  rows: Array<Array<string | null>>,
  status = 2,
): Buffer {
  const out = [packet(seq++, lenenc(columns.length))];
  for (const [schema, table, name] of columns) out.push(column(seq++, schema, table, name));
  if (!deprecateEof) out.push(eof(seq++));
  for (const r of rows) out.push(textRow(seq++, r));
  out.push(endOfRows(seq, deprecateEof, status));
  return Buffer.concat(out);
}

/** The PREPARE_OK packet. */
export function prepareOk(seq: number, id: number, columns: number, params: number): Buffer {
  return packet(seq, [0], u32(id), u16(columns), u16(params), [0], u16(0));
}

/** COM_STMT_EXECUTE with LONGLONG / VAR_STRING / NULL parameters (types sent). */
export function execute(id: number, params: Array<number | string | null>): Buffer {
  const head = Buffer.concat([Buffer.from([0x17]), u32(id), Buffer.from([0]), u32(1)]);
  if (params.length === 0) return packet(0, head);
  const nulls = Buffer.alloc((params.length + 7) >> 3);
  params.forEach((v, i) => {
    if (v === null) nulls[i >> 3] |= 1 << (i & 7);
  });
  const types = params.map((v) => Buffer.from([typeof v === 'number' ? 0x08 : 0xfd, 0]));
  const values = params.map((v) => {
    if (v === null) return Buffer.alloc(0);
    if (typeof v === 'number') {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v));
      return b;
    }
    return lenstr(v);
  });
  return packet(0, head, nulls, [1], ...types, ...values);
}

/** A binary-protocol row of (name, VAR_STRING) and (id, LONG) columns. */
export function binaryRow(seq: number, name: string | null, id: number): Buffer {
  const nulls = Buffer.from([name === null ? 1 << 2 : 0]);
  const b = Buffer.alloc(4);
  b.writeInt32LE(id);
  return packet(seq, [0], nulls, name === null ? Buffer.alloc(0) : lenstr(name), b);
}

/** A login, then queries, an error, a prepared statement run twice, a ping and quit. */
export function conversation(deprecateEof: boolean): Turn[] {
  const caps = BASE_CAPS | (deprecateEof ? CLIENT_DEPRECATE_EOF : 0);
  const prepared = [
    prepareOk(1, 7, 2, 1),
    column(2, '', '', '?', 0xfd),
    ...(deprecateEof ? [] : [eof(3)]),
    column(deprecateEof ? 3 : 4, 'shop', 'items', 'name', 0xfd),
    column(deprecateEof ? 4 : 5, 'shop', 'items', 'id', 0x03),
    ...(deprecateEof ? [] : [eof(6)]),
  ];
  let s = 1;
  const binary = [
    packet(s++, lenenc(2)),
    column(s++, 'shop', 'items', 'name', 0xfd),
    column(s++, 'shop', 'items', 'id', 0x03),
    ...(deprecateEof ? [] : [eof(s++)]),
    binaryRow(s++, 'pear', 2),
    binaryRow(s++, null, 3),
  ];
  binary.push(endOfRows(s, deprecateEof));
  return [
    [1, greeting()],
    [0, handshakeResponse(caps)],
    [1, ok(2)],
    [0, command(0x03, 'SELECT id, name FROM items')],
    [
      1,
      resultSet(
        1,
        deprecateEof,
        [
          ['shop', 'items', 'id'],
          ['shop', 'items', 'name'],
        ],
        [
          ['1', 'apple'],
          ['2', null],
          ['3', 'fig, "dry"'],
        ],
      ),
    ],
    [0, command(0x03, "INSERT INTO items (name) VALUES ('a'), ('b')")],
    [1, ok(1, 2, 7)],
    [0, command(0x03, 'SELEKT 1')],
    [1, err(1, 1064, '42000', 'You have an error in your SQL syntax')],
    [0, command(0x16, 'SELECT name, id FROM items WHERE id > ?')],
    [1, Buffer.concat(prepared)],
    [0, execute(7, [1])],
    [1, Buffer.concat(binary)],
    [0, command(0x19, u32(7))],
    [0, command(0x0e)],
    [1, ok(1)],
    [0, command(0x01)],
  ];
}

/** Feeds `turns` in order (each turn as the chunks `split` gives) and returns the events. */
export function run(
  turns: Turn[],
  config: Record<string, unknown> = { send_request: true, send_response: true },
  split: (bytes: Buffer, turn: number) => Uint8Array[] = (b) => [b],
): Doc[] {
  const d = new PluginDriver(mysqlProtocol, config);
  turns.forEach(([dir, bytes], i) => d.chunks(dir, split(bytes, i)));
  return d.close('fin').map((e: TransactionEvent) => e.fields as Doc);
}

/** What a test compares of an event. */
export function essence(d: Doc): unknown[] {
  return [
    d.event.action,
    d.query,
    d.status,
    d.mysql?.num_rows,
    d.mysql?.affected_rows,
    d.mysql?.error_code,
    d.params,
    d.response,
  ];
}
