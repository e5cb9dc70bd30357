#!/usr/bin/env node
// Re-records test/fixtures/mysql.pcap: Debian's MariaDB on a random loopback address, port 3306,
// driven by the client of mysql-client.js (classic EOF packets on one connection,
// CLIENT_DEPRECATE_EOF on another, a TLS upgrade on a third) and by Debian's `mariadb` command-line
// client, captured with tcpdump. Run as root:
// `node packages/protocol-mysql/scripts/record-captures.js`, then
// `UPDATE_GOLDEN=1 npx jest --selectProjects @wirebeat/protocol-mysql` and review the diff.
const { execFileSync } = require('child_process');
const path = require('path');
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js');
const { startMariadb } = require('./mariadb-server.js');
const { MysqlClient } = require('./mysql-client.js');

const PORT = 3306;
const OUT = path.join(__dirname, '../test/fixtures/mysql.pcap');

/** Throws unless `r` is of `type` (the script records what it means to record). */
function expectType(r, type, what) {
  if (r.type !== type) throw new Error(`${what}: expected ${type}, got ${JSON.stringify(r)}`);
  return r;
}

/** Classic EOF packets: DDL, inserts, selects, errors, a multi-statement, prepared statements. */
async function classicSession(host) {
  const c = await MysqlClient.connect({ host, port: PORT });
  expectType(await c.query('CREATE DATABASE shop'), 'ok', 'create database');
  expectType(await c.initDb('shop'), 'ok', 'init db');
  expectType(
    await c.query(
      'CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, price DECIMAL(8,2), note TEXT)',
    ),
    'ok',
    'create table',
  );
  expectType(
    await c.query(
      "INSERT INTO items (name, price, note) VALUES ('apple', 1.20, NULL), ('pear', 2.50, 'ripe'), ('fig', 7.00, 'dry, \"sweet\"')",
    ),
    'ok',
    'insert',
  );
  expectType(await c.query("INSERT INTO items (name, price) VALUES ('plum', 3.10)"), 'ok', 'insert one');
  expectType(await c.query('SELECT * FROM items ORDER BY id'), 'rows', 'select');
  expectType(await c.query('SELECT id, name FROM items WHERE price > 100'), 'rows', 'empty select');
  expectType(await c.query('SELECT * FROM missing_table'), 'error', 'missing table');
  expectType(await c.query('SELEKT 1'), 'error', 'syntax error');
  expectType(await c.query("UPDATE items SET price = price + 1 WHERE name <> 'fig'"), 'ok', 'update');
  expectType(await c.ping(), 'ok', 'ping');
  expectType(await c.query('SELECT COUNT(*) AS n FROM items; SELECT 42 AS answer'), 'rows', 'multi');
  expectType(await c.query("SELECT REPEAT('x', 3000) AS big"), 'rows', 'long row');
  const sel = expectType(
    await c.prepare('SELECT id, name FROM items WHERE id >= ? AND name <> ? ORDER BY id'),
    'prepared',
    'prepare select',
  );
  expectType(await c.execute(sel, [2, 'fig']), 'rows', 'execute select');
  expectType(await c.execute(sel, [1, 'none']), 'rows', 'execute select again');
  const ins = expectType(
    await c.prepare('INSERT INTO items (name, price) VALUES (?, 9.99)'),
    'prepared',
    'prepare insert',
  );
  expectType(await c.execute(ins, ['kiwi']), 'ok', 'execute insert');
  c.closeStatement(sel);
  c.closeStatement(ins);
  expectType(await c.prepare('SELECT * FROM nowhere WHERE id = ?'), 'error', 'prepare error');
  expectType(await c.query('DELETE FROM items WHERE id > 4'), 'ok', 'delete');
  await c.quit();
}

/** CLIENT_DEPRECATE_EOF: result sets end with an OK packet, prepared metadata without EOF. */
async function deprecateEofSession(host) {
  const c = await MysqlClient.connect({ host, port: PORT, db: 'shop', deprecateEof: true });
  if (!c.deprecateEof) throw new Error('the server did not accept CLIENT_DEPRECATE_EOF');
  expectType(await c.query('SELECT name, price FROM items ORDER BY id'), 'rows', 'select');
  const st = expectType(await c.prepare('SELECT name FROM items WHERE id = ?'), 'prepared', 'prepare');
  expectType(await c.execute(st, [3]), 'rows', 'execute');
  expectType(await c.query('SHOW TABLES'), 'rows', 'show tables');
  expectType(await c.query('DROP TABLE nothing_here'), 'error', 'drop missing');
  await c.quit();
}

/** The client asks for TLS: the analyzer notes it and skips the rest of the connection. */
async function tlsSession(host) {
  const c = await MysqlClient.connect({ host, port: PORT, ssl: true });
  expectType(await c.query('SELECT 1'), 'rows', 'select over TLS');
  await c.quit();
}

/** Debian's command-line client, as users run it. */
function cliSession(host) {
  execFileSync(
    'mariadb',
    [
      '--no-defaults',
      '--protocol=tcp',
      '--skip-ssl',
      '-h',
      host,
      '-P',
      String(PORT),
      '-u',
      'cli',
      'shop',
      '-e',
      "SELECT name FROM items ORDER BY id LIMIT 2; INSERT INTO items (name) VALUES ('lime'); SELECT nope FROM items",
    ],
    { stdio: 'ignore' },
  );
}

async function main() {
  const host = await freeLoopbackAddress(PORT);
  const server = await startMariadb({ host, port: PORT });
  const capture = await startTcpdump(OUT, host, PORT);
  try {
    await classicSession(host);
    await deprecateEofSession(host);
    await tlsSession(host);
    try {
      cliSession(host);
    } catch {
      // The last statement fails on purpose: the client exits non-zero.
    }
  } finally {
    await capture.stop();
    await server.stop();
  }
  console.log(`recorded ${path.relative(process.cwd(), OUT)} (server ${host}:${PORT})`);
}

main().catch((err) => {
  console.error(`record-captures: ${err.message}`);
  process.exit(1);
});
