// Live: Debian's PostgreSQL 15 started here once (initdb in a temporary directory, a free port on
// loopback, trust authentication), driven by psql (simple queries, several statements in one
// Query, an error) and by the wire client (an extended-protocol pipeline), while tcpdump records;
// the capture replayed through the analyzer gives, statement by statement, the results the
// clients themselves received.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freeTcpPort, replayCaptureDetailed } from '@wirebeat/testing';
import { pgsqlProtocol } from '@wirebeat/protocol-pgsql';
import { fe } from './helpers';

jest.setTimeout(60_000);

/* eslint-disable @typescript-eslint/no-require-imports */
const { startTcpdump } = require('../../../scripts/loopback-capture.js') as {
  startTcpdump(file: string, host: string, port: number): Promise<{ stop(): Promise<string> }>;
};
const { startPostgres, psql } = require('../scripts/pg-server.js') as {
  startPostgres(host: string, port: number): Promise<{ stop(): Promise<void> }>;
  psql(
    host: string,
    port: number,
    args: string[],
    o?: { input?: string },
  ): Promise<{ code: number; out: string; err: string }>;
};
type Wire = {
  send(...b: Buffer[]): void;
  start(p: Record<string, string>): Promise<unknown>;
  untilReady(): Promise<Array<{ type: string; body: Buffer }>>;
  end(): Promise<void>;
};
const { connect, results } = require('../scripts/pg-wire.js') as {
  connect(host: string, port: number): Promise<Wire>;
  results(m: Array<{ type: string; body: Buffer }>): string[];
};
/* eslint-enable @typescript-eslint/no-require-imports */
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('PostgreSQL live on loopback', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-pgsql-'));
  const file = path.join(dir, 'live.pcap');
  const host = '127.0.0.1';
  const seen = { psql: '', multi: '', pipeline: [] as string[] };
  let docs: Doc[] = [];
  let server: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    const port = await freeTcpPort(host);
    server = await startPostgres(host, port);
    const capture = await startTcpdump(file, host, port);
    try {
      const script = [
        'CREATE TABLE t (id int PRIMARY KEY, v text);',
        "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');",
        "UPDATE t SET v = 'z' WHERE id > 1;",
        'SELECT id, v FROM t ORDER BY id;',
        'SELECT * FROM nowhere;',
        '',
      ].join('\n');
      const r = await psql(host, port, ['-f', '-', '-A', '-t'], { input: script });
      seen.psql = r.out + r.err;
      const m = await psql(host, port, [
        '-A',
        '-t',
        '-c',
        'SELECT 10; SELECT 20; DELETE FROM t WHERE id = 1',
      ]);
      seen.multi = m.out;
      const c = await connect(host, port);
      await c.start({ user: 'postgres', database: 'postgres' });
      c.send(
        fe.parse('q', 'SELECT v FROM t WHERE id = $1'),
        fe.bind('', 'q', ['2']),
        fe.execute(''),
        fe.bind('', 'q', ['3']),
        fe.execute(''),
        fe.parse('', 'INSERT INTO t VALUES ($1, $2)'),
        fe.bind('', '', ['9', 'n']),
        fe.execute(''),
        fe.sync(),
      );
      seen.pipeline = results(await c.untilReady());
      await c.end();
    } finally {
      await capture.stop();
    }
    const replayed = await replayCaptureDetailed(file, [
      { module: pgsqlProtocol, config: { ports: [port], send_response: true } },
    ]);
    docs = replayed.events.map((e) => e.fields as Doc);
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('psql: each statement with the count and the error psql printed', () => {
    const sql = docs.filter((d) => d.method !== 'STARTUP' && d.client.port === docs[1].client.port);
    expect(sql.map((d) => [d.method, d.pgsql.num_rows, d.pgsql.error_code, d.status])).toEqual([
      ['CREATE', 0, undefined, 'OK'],
      ['INSERT', 3, undefined, 'OK'],
      ['UPDATE', 2, undefined, 'OK'],
      ['SELECT', 3, undefined, 'OK'],
      ['SELECT', 0, '42P01', 'Error'],
    ]);
    expect(seen.psql).toContain('1|a\n2|z\n3|z');
    expect(seen.psql).toContain(sql[4].pgsql.error_message);
  });

  it('several statements in one Query: one transaction each, as psql received them', () => {
    const multi = docs.filter((d) =>
      ['SELECT 10', 'SELECT 20', 'DELETE FROM t WHERE id = 1'].includes(d.query),
    );
    expect(multi.map((d) => [d.query, d.pgsql.command_tag])).toEqual([
      ['SELECT 10', 'SELECT 1'],
      ['SELECT 20', 'SELECT 1'],
      ['DELETE FROM t WHERE id = 1', 'DELETE 1'],
    ]);
    // The rows psql printed (unaligned, tuples only) are the rows of the responses.
    const rows = multi.slice(0, 2).map((d) => d.response.trim().split('\n').slice(1).join('\n'));
    expect(rows.join('\n')).toBe(seen.multi.trim());
    expect(rows).toEqual(['10', '20']);
  });

  it('an extended-protocol pipeline: one transaction per Execute, results as the client received them', () => {
    const ext = docs.filter(
      (d) => d.pgsql.statement_name === 'q' || d.query === 'INSERT INTO t VALUES ($1, $2)',
    );
    expect(ext.map((d) => [d.query, d.pgsql.command_tag])).toEqual([
      ['SELECT v FROM t WHERE id = $1', seen.pipeline[0]],
      ['SELECT v FROM t WHERE id = $1', seen.pipeline[1]],
      ['INSERT INTO t VALUES ($1, $2)', seen.pipeline[2]],
    ]);
    expect(seen.pipeline).toEqual(['SELECT 1', 'SELECT 1', 'INSERT 0 1']);
  });
});
