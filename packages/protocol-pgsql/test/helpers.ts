// Shared by the pgsql tests: frontend messages (from the wire client the recording script uses),
// backend messages built here, and a conversation covering every request kind.
import { PluginDriver } from '@wirebeat/testing';
import { pgsqlProtocol } from '@wirebeat/protocol-pgsql';

/* eslint-disable @typescript-eslint/no-require-imports */
const wire = require('../scripts/pg-wire.js') as {
  /** Frontend messages, byte by byte. */
  fe: {
    startup(params: Record<string, string>): Buffer;
    sslRequest(): Buffer;
    gssencRequest(): Buffer;
    query(sql: string): Buffer;
    parse(name: string, sql: string): Buffer;
    bind(portal: string, statement: string, params: Array<string | null>): Buffer;
    describe(kind: 'S' | 'P', name: string): Buffer;
    execute(portal: string, maxRows?: number): Buffer;
    close(kind: 'S' | 'P', name: string): Buffer;
    sync(): Buffer;
    flush(): Buffer;
    terminate(): Buffer;
  };
  msg(type: string, ...parts: Buffer[]): Buffer;
  z(s: string): Buffer;
  i16(n: number): Buffer;
  i32(n: number): Buffer;
};
/* eslint-enable @typescript-eslint/no-require-imports */
export const fe = wire.fe;
const { msg, z, i16, i32 } = wire;

/** Backend messages. */
export const be = {
  authOk: () => msg('R', i32(0)),
  authMd5: () => msg('R', i32(5), Buffer.from([1, 2, 3, 4])),
  param: (name: string, value: string) => msg('S', z(name), z(value)),
  keyData: () => msg('K', i32(4242), i32(99)),
  ready: (status = 'I') => msg('Z', Buffer.from(status)),
  rowDescription: (...names: string[]) =>
    msg(
      'T',
      i16(names.length),
      ...names.flatMap((n) => [z(n), i32(0), i16(0), i32(23), i16(4), i32(-1), i16(0)]),
    ),
  dataRow: (...cols: Array<string | null>) =>
    msg(
      'D',
      i16(cols.length),
      ...cols.flatMap((c) => (c === null ? [i32(-1)] : [i32(Buffer.byteLength(c)), Buffer.from(c)])),
    ),
  complete: (tag: string) => msg('C', z(tag)),
  error: (code: string, message: string, severity = 'ERROR') =>
    msg(
      'E',
      Buffer.from('S'),
      z(severity),
      Buffer.from('V'),
      z(severity),
      Buffer.from('C'),
      z(code),
      Buffer.from('M'),
      z(message),
      Buffer.from([0]),
    ),
  notice: (message: string) =>
    msg(
      'N',
      Buffer.from('S'),
      z('NOTICE'),
      Buffer.from('C'),
      z('00000'),
      Buffer.from('M'),
      z(message),
      Buffer.from([0]),
    ),
  empty: () => msg('I'),
  parseComplete: () => msg('1'),
  bindComplete: () => msg('2'),
  closeComplete: () => msg('3'),
  noData: () => msg('n'),
  suspended: () => msg('s'),
  copyIn: () => msg('G', Buffer.from([0]), i16(2), i16(0), i16(0)),
  copyOut: () => msg('H', Buffer.from([0]), i16(1), i16(0)),
  copyData: (line: string) => msg('d', Buffer.from(line)),
  copyDone: () => msg('c'),
};

/** Client CopyData / CopyDone. */
export const copyData = (line: string) => msg('d', Buffer.from(line));
export const copyDone = () => msg('c');

/** A whole conversation: startup, simple queries, a pipeline with an error, COPY in. */
export const CLIENT = Buffer.concat([
  fe.startup({ user: 'bob', database: 'shop' }),
  fe.query('SELECT a, b FROM t; UPDATE t SET a = 1'),
  fe.parse('s1', 'INSERT INTO t VALUES ($1)'),
  fe.bind('', 's1', ['x']),
  fe.execute(''),
  fe.bind('', 's1', ['y']),
  fe.execute(''),
  fe.sync(),
  fe.parse('', 'SELECT nope'),
  fe.bind('', '', []),
  fe.execute(''),
  fe.parse('', 'SELECT 2'),
  fe.bind('', '', []),
  fe.execute(''),
  fe.sync(),
  fe.query('COPY t FROM STDIN'),
  copyData('1\n'),
  copyData('2\n'),
  copyDone(),
  fe.terminate(),
]);
export const SERVER = Buffer.concat([
  be.authOk(),
  be.param('server_version', '15.18'),
  be.keyData(),
  be.ready(),
  be.rowDescription('a', 'b'),
  be.dataRow('1', 'one'),
  be.dataRow('2', null),
  be.complete('SELECT 2'),
  be.notice('careful'),
  be.complete('UPDATE 2'),
  be.ready(),
  be.parseComplete(),
  be.bindComplete(),
  be.complete('INSERT 0 1'),
  be.bindComplete(),
  be.complete('INSERT 0 1'),
  be.ready(),
  be.error('42703', 'column "nope" does not exist'),
  be.ready(),
  be.copyIn(),
  be.complete('COPY 2'),
  be.ready(),
]);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs chunks of each side through a fresh connection (client first), returning the event documents. */
export function converse(
  client: Iterable<Uint8Array>,
  server: Iterable<Uint8Array>,
  config: Record<string, unknown> = {},
  gap?: [0 | 1, number, number],
): Doc[] {
  const d = new PluginDriver(pgsqlProtocol, config);
  const send = (dir: 0 | 1, chunks: Iterable<Uint8Array>) => {
    if (gap === undefined || gap[0] !== dir) return void d.chunks(dir, chunks);
    const all = Buffer.concat([...chunks]);
    d.data(dir, all.subarray(0, gap[1]));
    if (d.gap(dir, gap[2] - gap[1])) return;
    d.data(dir, all.subarray(gap[2]));
  };
  send(0, client);
  send(1, server);
  return d.close('fin').map((e) => e.fields as Doc);
}
