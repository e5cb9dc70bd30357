// Live: Debian's MariaDB started here once (empty data directory, free loopback port), driven by
// the wire-protocol client of scripts/mysql-client.js while tcpdump records; the capture replayed
// through the analyzer gives, command by command, what the client itself received: rows,
// affected rows, insert ids, error codes, the rows of a prepared statement; the TLS connection
// is counted and skipped.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replayCaptureDetailed } from '@wirebeat/testing';
import { csvText, mysqlProtocol } from '@wirebeat/protocol-mysql';
import type { Doc } from './helpers';

jest.setTimeout(60_000);

/** What the client keeps of an answer. */
interface Result {
  type: 'ok' | 'error' | 'rows' | 'prepared';
  affectedRows?: number;
  insertId?: number;
  code?: number;
  columns?: Array<{ name: string }>;
  rows?: Array<Array<string | null>>;
  id?: number;
}
interface Client {
  deprecateEof: boolean;
  query(sql: string): Promise<Result>;
  prepare(sql: string): Promise<Result>;
  execute(stmt: Result, params: Array<number | string | null>): Promise<Result>;
  closeStatement(stmt: Result): void;
  quit(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
const { startTcpdump } = require('../../../scripts/loopback-capture.js') as {
  startTcpdump(file: string, host: string, port: number): Promise<{ stop(): Promise<string> }>;
};
const { startMariadb } = require('../scripts/mariadb-server.js') as {
  startMariadb(o: { host: string }): Promise<{ port: number; stop(): Promise<void> }>;
};
const { MysqlClient } = require('../scripts/mysql-client.js') as {
  MysqlClient: {
    connect(o: {
      host: string;
      port: number;
      db?: string;
      deprecateEof?: boolean;
      ssl?: boolean;
    }): Promise<Client>;
  };
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The rows as the analyzer publishes them: column names, then rows, NULL as text. */
const asCsv = (r: Result) =>
  csvText(
    r.columns?.map((c) => c.name),
    r.rows?.map((row) => row.map((v) => v ?? 'NULL')),
  );

describe('MariaDB live on loopback', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-mysql-'));
  const file = path.join(dir, 'live.pcap');
  const host = '127.0.0.1';
  const seen: Result[] = [];
  let docs: Doc[] = [];
  let counters: unknown;

  beforeAll(async () => {
    const server = await startMariadb({ host });
    const port = server.port;
    const capture = await startTcpdump(file, host, port);
    try {
      for (const deprecateEof of [false, true]) {
        const c = await MysqlClient.connect({ host, port, deprecateEof });
        const db = deprecateEof ? 'live_b' : 'live_a';
        seen.push(await c.query(`CREATE DATABASE ${db}`));
        seen.push(await c.query(`CREATE TABLE ${db}.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))`));
        seen.push(await c.query(`INSERT INTO ${db}.t (v) VALUES ('one'), (NULL), ('three, "3"')`));
        seen.push(await c.query(`SELECT id, v FROM ${db}.t ORDER BY id`));
        seen.push(await c.query(`SELECT * FROM ${db}.nope`));
        const st = await c.prepare(`SELECT v, id FROM ${db}.t WHERE id >= ?`);
        seen.push(st);
        seen.push(await c.execute(st, [2]));
        c.closeStatement(st);
        seen.push(await c.query(`SELECT COUNT(*) AS n FROM ${db}.t`));
        if (!c.deprecateEof && deprecateEof) throw new Error('the server refused CLIENT_DEPRECATE_EOF');
        await c.quit();
      }
      const secure = await MysqlClient.connect({ host, port, ssl: true });
      await secure.query('SELECT 1');
      await secure.quit();
    } finally {
      await capture.stop();
      await server.stop();
    }
    const r = await replayCaptureDetailed(file, [
      { module: mysqlProtocol, config: { ports: [port], send_response: true } },
    ]);
    docs = r.events.map((e) => e.fields as Doc);
    counters = r.counters.mysql;
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('one transaction per command the client sent and got an answer to; TLS skipped', () => {
    expect(docs.length).toBe(seen.length);
    expect(counters).toMatchObject({ logins: 2, tls_connections: 1, unmatched_responses: 0 });
  });

  it('each answer as the client received it: kind, affected rows, insert id, error code, rows', () => {
    const ours = docs.map((d) => [
      d.mysql.iserror
        ? 'error'
        : d.event.action === 'mysql.stmt_prepare'
          ? 'prepared'
          : d.mysql.num_fields > 0
            ? 'rows'
            : 'ok',
      d.mysql.affected_rows,
      d.mysql.insert_id,
      d.mysql.error_code,
      d.event.action === 'mysql.stmt_prepare' ? 0 : d.mysql.num_rows,
      d.mysql.num_fields > 0 && d.event.action !== 'mysql.stmt_prepare' ? d.response : '',
    ]);
    const theirs = seen.map((r) => [
      r.type,
      r.affectedRows ?? 0,
      r.insertId ?? 0,
      r.code,
      r.rows?.length ?? 0,
      r.type === 'rows' ? asCsv(r) : '',
    ]);
    expect(ours).toEqual(theirs);
    expect(seen.map((r) => r.type)).toEqual(
      [...Array(2)].flatMap(() => ['ok', 'ok', 'ok', 'rows', 'error', 'prepared', 'rows', 'rows']),
    );
  });

  it('the execute carries its statement text and parameter', () => {
    const executes = docs.filter((d) => d.event.action === 'mysql.stmt_execute');
    expect(executes.map((d) => [d.query, d.params, d.path])).toEqual([
      ['SELECT v, id FROM live_a.t WHERE id >= ?', ['2'], 'live_a.t'],
      ['SELECT v, id FROM live_b.t WHERE id >= ?', ['2'], 'live_b.t'],
    ]);
  });
});
