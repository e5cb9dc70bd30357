// Unit specifications of the pgsql analyzer: statement splitting, methods and row counts, the
// framer, and conversations through the connection handler for each part of the protocol.
import { PluginDriver } from '@wirebeat/testing';
import { Framer, methodOf, pgsqlProtocol, splitStatements, tagRows } from '@wirebeat/protocol-pgsql';
import { be, converse, copyData, copyDone, fe } from './helpers';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('splitStatements', () => {
  it('splits on ; outside strings, identifiers, dollar quotes and comments', () => {
    expect(splitStatements('SELECT \'a;b\'; SELECT "x;y"; SELECT $q$;$q$; SELECT $$;$$')).toEqual([
      "SELECT 'a;b'",
      'SELECT "x;y"',
      'SELECT $q$;$q$',
      'SELECT $$;$$',
    ]);
    expect(splitStatements('SELECT 1 -- ;\n; /* ; /* ; */ ; */ SELECT 2')).toEqual([
      'SELECT 1 -- ;',
      '/* ; /* ; */ ; */ SELECT 2',
    ]);
    expect(splitStatements("SELECT E'\\';'; SELECT 'it''s;'")).toEqual(["SELECT E'\\';'", "SELECT 'it''s;'"]);
    expect(splitStatements('SELECT $1 + $2; SELECT 3')).toEqual(['SELECT $1 + $2', 'SELECT 3']);
  });

  it('leaves out empty statements; nothing at all is the empty query', () => {
    expect(splitStatements('SELECT 1;; ;SELECT 2;')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(splitStatements('')).toEqual(['']);
    expect(splitStatements(' ; -- nothing\n')).toEqual(['']);
  });
});

describe('methodOf and tagRows', () => {
  it('the first word, upper-case, after comments and parentheses', () => {
    expect(methodOf('select 1')).toBe('SELECT');
    expect(methodOf('/* hint */ -- x\n  (SELECT 1) UNION (SELECT 2)')).toBe('SELECT');
    expect(methodOf('with x as (select 1) select * from x')).toBe('WITH');
  });

  it('counts of the tags that carry one', () => {
    expect(
      ['SELECT 3', 'INSERT 0 12', 'UPDATE 0', 'DELETE 7', 'MERGE 2', 'COPY 5', 'FETCH 1', 'MOVE 4'].map(
        tagRows,
      ),
    ).toEqual([3, 12, 0, 7, 2, 5, 1, 4]);
    expect(['CREATE TABLE', 'BEGIN', 'DROP INDEX', 'SELECT x'].map(tagRows)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('Framer', () => {
  const frames = (f: Framer, ...chunks: Buffer[]) => {
    const out: Array<[string, number, number]> = [];
    for (const c of chunks)
      f.feed(c, 1, (t, body, size) => out.push([String.fromCharCode(t), body.length, size]));
    return out;
  };

  it('typed messages, and the untyped startup message before them', () => {
    const f = new Framer();
    f.untyped = true;
    const startup = fe.startup({ user: 'u' });
    expect(frames(f, startup)).toEqual([['\0', startup.length - 4, startup.length]]);
    f.untyped = false;
    expect(frames(f, Buffer.concat([fe.query('SELECT 1'), fe.sync()]))).toEqual([
      ['Q', 9, 14],
      ['S', 0, 5],
    ]);
  });

  it('a long message is handed over as its first 64 KiB, the rest skipped as it passes', () => {
    const f = new Framer();
    const row = be.dataRow('x'.repeat(200_000));
    expect(frames(f, row.subarray(0, 70_000), row.subarray(70_000, 150_000))).toEqual([]);
    expect(f.buffered).toBeLessThan(70_000);
    expect(frames(f, row.subarray(150_000))).toEqual([['D', 64 * 1024 - 5, row.length]]);
  });

  it('bytes that cannot be PostgreSQL stop the direction', () => {
    const f = new Framer();
    expect(f.feed(Buffer.from('GET / HTTP/1.1\r\n'), 1, () => undefined)).toBe(false);
    const g = new Framer();
    g.untyped = true;
    expect(g.feed(Buffer.from([0x16, 3, 1, 2, 0, 1, 0, 1]), 1, () => undefined)).toBe(false);
  });
});

describe('pgsql connections', () => {
  const run = (client: Buffer[], server: Buffer[], config: Record<string, unknown> = {}) =>
    converse([Buffer.concat(client)], [Buffer.concat(server)], config);

  it('SSLRequest refused: the startup follows in clear and is analysed', () => {
    const docs = run(
      [fe.sslRequest(), fe.startup({ user: 'u' }), fe.query('SELECT 1')],
      [
        Buffer.from('N'),
        be.authOk(),
        be.ready(),
        be.rowDescription('x'),
        be.dataRow('1'),
        be.complete('SELECT 1'),
        be.ready(),
      ],
    );
    expect(docs.map((d) => [d.method, d.pgsql.encryption, d.pgsql.num_rows, d.status])).toEqual([
      ['SSLREQUEST', 'refused', 0, 'OK'],
      ['STARTUP', undefined, 0, 'OK'],
      ['SELECT', undefined, 1, 'OK'],
    ]);
    expect(docs[1].pgsql.database).toBe('u');
  });

  it('SSLRequest accepted: noted, and the encrypted rest is not analysed', () => {
    const d = new PluginDriver(pgsqlProtocol, {});
    d.data(0, fe.sslRequest());
    d.data(1, Buffer.from('S'));
    d.data(0, Buffer.from([0x16, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3]));
    d.data(1, Buffer.from([0x16, 3, 3, 0, 90, 2, 0, 0, 86]));
    const docs = d.close('fin').map((e) => e.fields as Doc);
    expect(docs.map((x) => [x.method, x.pgsql.encryption, x.status, x.notes])).toEqual([
      [
        'SSLREQUEST',
        'accepted',
        'OK',
        ['TLS upgrade: the rest of the connection is encrypted and not analysed'],
      ],
    ]);
  });

  it('GSSENCRequest refused, then a startup with md5 authentication', () => {
    const docs = run(
      [
        fe.gssencRequest(),
        fe.startup({ user: 'u', database: 'd', application_name: 'app' }),
        Buffer.from('p\0\0\0\x0cmd5xxxx\0'),
      ],
      [
        Buffer.from('N'),
        be.authMd5(),
        be.authOk(),
        be.param('server_version', '15.1'),
        be.keyData(),
        be.ready(),
      ],
    );
    expect(docs.map((d) => [d.method, d.pgsql.encryption ?? d.pgsql.auth_method, d.status])).toEqual([
      ['GSSENCREQUEST', 'refused', 'OK'],
      ['STARTUP', 'md5', 'OK'],
    ]);
    expect(docs[1].pgsql).toMatchObject({
      user: 'u',
      database: 'd',
      application_name: 'app',
      server_version: '15.1',
      protocol_version: '3.0',
    });
    // The password message counts in the startup's bytes.
    expect(docs[1].source.bytes).toBe(
      fe.startup({ user: 'u', database: 'd', application_name: 'app' }).length + 13,
    );
  });

  it('a protocol 2 startup (other framing) is not followed: no transaction of its own', () => {
    const v2 = Buffer.from(fe.startup({ user: 'u' }));
    v2.writeInt32BE(2 << 16, 4);
    const docs = run(
      [v2, fe.query('SELECT 1')],
      [be.error('0A000', 'unsupported frontend protocol 2.0', 'FATAL')],
    );
    expect(docs.map((d) => [d.method, d.status, d.notes])).toEqual([
      [undefined, 'Error', ['request missing: lost in a gap in the stream']],
    ]);
  });

  it('a query string over 64 KiB: its statements up to there, the last one noted as cut', () => {
    const long = `SELECT 1; SELECT '${'x'.repeat(70_000)}'`;
    const docs = run([fe.query(long)], [be.complete('SELECT 1'), be.complete('SELECT 1'), be.ready()]);
    expect(docs.map((d) => [d.query.length, d.source.bytes, d.status, d.notes])).toEqual([
      [8, long.length + 6, 'OK', undefined],
      [64 * 1024 - 5 - 10, 0, 'OK', ['query text longer than 64 KiB: cut there']],
    ]);
  });

  it('a capture that starts after the startup: typed messages from the first byte', () => {
    const docs = run(
      [fe.query('SELECT 1')],
      [be.rowDescription('x'), be.dataRow('1'), be.complete('SELECT 1'), be.ready()],
    );
    expect(docs.map((d) => [d.method, d.pgsql.num_fields, d.status, d.pgsql.user])).toEqual([
      ['SELECT', 1, 'OK', undefined],
    ]);
  });

  it('an empty query gets EmptyQueryResponse: OK, without method', () => {
    const docs = run([fe.query('')], [be.empty(), be.ready()]);
    expect(docs.map((d) => [d.method, d.query, d.status, d.pgsql.num_rows])).toEqual([
      [undefined, '', 'OK', 0],
    ]);
  });

  it('notices go with the result they came with', () => {
    const docs = run(
      [fe.query('DO 1')],
      [be.notice('hello'), be.notice('again'), be.complete('DO'), be.ready()],
    );
    expect(docs[0].pgsql.notices).toEqual(['NOTICE 00000: hello', 'NOTICE 00000: again']);
  });

  it('an asynchronous notice while nothing waits belongs to no request and shifts nothing', () => {
    const d = new PluginDriver(pgsqlProtocol, {});
    d.data(0, fe.query('SELECT 1'));
    d.data(
      1,
      Buffer.concat([be.complete('SELECT 1'), be.ready(), be.notice('between'), be.param('TimeZone', 'UTC')]),
    );
    d.data(0, fe.query('SELECT 2'));
    d.data(1, Buffer.concat([be.complete('SELECT 1'), be.ready()]));
    const docs = d.close('fin').map((e) => e.fields as Doc);
    expect(docs.map((x) => [x.query, x.pgsql.notices, x.status])).toEqual([
      ['SELECT 1', undefined, 'OK'],
      ['SELECT 2', undefined, 'OK'],
    ]);
  });

  it('send_response: rows as CSV, at most max_rows, each cut at max_row_length', () => {
    const docs = run(
      [fe.query('SELECT a, b FROM t')],
      [
        be.rowDescription('a', 'b'),
        be.dataRow('1', 'x,"y"'),
        be.dataRow('2', 'long text'),
        be.dataRow('3', null),
        be.complete('SELECT 3'),
        be.ready(),
      ],
      { send_response: true, max_rows: 2, max_row_length: 5 },
    );
    expect(docs[0].response).toBe('a,b\n1,"x,""y"\n2,long\n');
    expect(docs[0].pgsql.num_rows).toBe(3);
  });

  it('extended protocol: Flush before Sync, a Close, and an Execute whose Parse was not seen', () => {
    const docs = run(
      [
        fe.parse('', 'SELECT $1'),
        fe.bind('', '', ['7']),
        fe.describe('P', ''),
        fe.execute(''),
        fe.flush(),
        fe.sync(),
        fe.close('S', 'gone'),
        fe.bind('p', 'unknown', []),
        fe.execute('p'),
        fe.sync(),
      ],
      [
        be.parseComplete(),
        be.bindComplete(),
        be.rowDescription('x'),
        be.dataRow('7'),
        be.complete('SELECT 1'),
        be.ready(),
        be.closeComplete(),
        be.error('26000', 'prepared statement "unknown" does not exist'),
        be.ready(),
      ],
    );
    expect(
      docs.map((d) => [d.method, d.query, d.pgsql.statement_name, d.pgsql.error_code, d.status]),
    ).toEqual([
      ['SELECT', 'SELECT $1', undefined, undefined, 'OK'],
      ['EXECUTE', undefined, 'unknown', '26000', 'Error'],
    ]);
  });

  it('a Parse never executed is a transaction of its own: OK, or Error with the server error', () => {
    const docs = run(
      [
        fe.parse('good', 'SELECT 1'),
        fe.describe('S', 'good'),
        fe.sync(),
        fe.parse('bad', 'SELEC 1'),
        fe.sync(),
      ],
      [
        be.parseComplete(),
        be.noData(),
        be.ready(),
        be.error('42601', 'syntax error at or near "SELEC"'),
        be.ready(),
      ],
    );
    expect(
      docs.map((d) => [d.method, d.query, d.pgsql.statement_name, d.pgsql.error_code, d.status]),
    ).toEqual([
      ['PARSE', 'SELECT 1', 'good', undefined, 'OK'],
      ['PARSE', 'SELEC 1', 'bad', '42601', 'Error'],
    ]);
  });

  it('COPY out: rows from CopyData, counted by the tag', () => {
    const docs = run(
      [fe.query('COPY t TO STDOUT')],
      [
        be.copyOut(),
        be.copyData('1\ta\n'),
        be.copyData('2\tb\n'),
        be.copyDone(),
        be.complete('COPY 2'),
        be.ready(),
      ],
      { send_response: true },
    );
    expect(docs.map((d) => [d.pgsql.copy, d.pgsql.num_rows, d.response])).toEqual([
      ['out', 2, '1\ta\n2\tb\n'],
    ]);
  });

  it('COPY in: the data sent counts in the request bytes; CopyFail ends it with the error', () => {
    const q = fe.query('COPY t FROM STDIN');
    const fail = Buffer.from('f\0\0\0\x09stop\0');
    const docs = run(
      [q, copyData('1\n'), fail],
      [be.copyIn(), be.error('57014', 'COPY from stdin failed: stop'), be.ready()],
    );
    expect(docs.map((d) => [d.pgsql.copy, d.pgsql.error_code, d.source.bytes, d.status])).toEqual([
      ['in', '57014', q.length + copyData('1\n').length + fail.length, 'Error'],
    ]);
    expect(copyDone().length).toBe(5);
  });

  it('a failed login: FATAL with its SQLSTATE, the connection closed', () => {
    const docs = run([fe.startup({ user: 'x' })], [be.error('28000', 'role "x" does not exist', 'FATAL')]);
    expect(docs.map((d) => [d.method, d.pgsql.error_severity, d.pgsql.error_code, d.status])).toEqual([
      ['STARTUP', 'FATAL', '28000', 'Error'],
    ]);
  });

  it('a query whose response never comes is published as Error when the connection closes', () => {
    const docs = run([fe.query('SELECT pg_sleep(100)')], [be.rowDescription('pg_sleep')]);
    expect(docs.map((d) => [d.query, d.status, d.notes?.[0]])).toEqual([
      ['SELECT pg_sleep(100)', 'Error', 'response missing: connection closed (FIN)'],
    ]);
  });
});
