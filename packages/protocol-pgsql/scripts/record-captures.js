#!/usr/bin/env node
// Re-records test/fixtures/pgsql.pcap: Debian's PostgreSQL 15 on a random loopback address, port
// 5432, driven by psql (simple queries, COPY in and out, SCRAM authentication, a failed login)
// and by the wire client of pg-wire.js (extended-protocol pipelines, an empty query, a cancel
// request, an SSLRequest refused and, once ssl is switched on, one accepted), captured with
// tcpdump. Run as root: `node packages/protocol-pgsql/scripts/record-captures.js`, then
// `UPDATE_GOLDEN=1 npx jest --selectProjects @wirebeat/protocol-pgsql` and review the diff.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const tls = require('tls');
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js');
const { startPostgres, psql } = require('./pg-server.js');
const { connect, fe, results } = require('./pg-wire.js');

const PORT = 5432;
const OUT = path.join(__dirname, '../test/fixtures/pgsql.pcap');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const USER = { user: 'postgres', database: 'postgres', application_name: 'wirebeat-wire' };

/** psql's statements, each sent as a Query of its own; COPY data follows its COPY. */
const SCRIPT = `CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int);
INSERT INTO items (name, qty) VALUES ('apple', 3), ('pear', 5), ('plum', NULL);
SELECT id, name, qty FROM items ORDER BY id;
UPDATE items SET qty = coalesce(qty, 0) + 1;
DELETE FROM items WHERE name = 'pear';
SELECT * FROM no_such_table;
DO $$ BEGIN RAISE NOTICE 'items: %', (SELECT count(*) FROM items); END $$;
BEGIN;
INSERT INTO items (name, qty) VALUES ('fig; with a semicolon', 1);
COMMIT;
COPY items (name, qty) FROM STDIN;
kiwi\t7
lime\t\\N
\\.
COPY (SELECT name, qty FROM items ORDER BY id) TO STDOUT;
CREATE ROLE alice LOGIN PASSWORD 'wonderland';
`;

async function check(p, what) {
  const r = await p;
  if (r.code !== 0 && what !== 'expected failure') throw new Error(`psql ${what}: ${r.err.trim()}`);
  return r;
}

async function psqlSessions(host) {
  await check(psql(host, PORT, ['-f', '-', '-v', 'ON_ERROR_STOP=0'], { input: SCRIPT }), 'script');
  await sleep(50);
  // Several statements in one Query; the error skips the third.
  await check(psql(host, PORT, ['-c', 'SELECT 1 AS one; SELECT 1/0; SELECT 3 AS three']), 'expected failure');
  await sleep(50);
  await check(psql(host, PORT, ['-c', "SELECT 'a;b' AS s, $$x;y$$ AS d; -- c;\nSELECT 2 AS two"]), 'split');
  await sleep(50);
  await check(
    psql(host, PORT, ['-c', 'SELECT current_user'], { user: 'alice', password: 'wonderland' }),
    'scram',
  );
  await sleep(50);
  await check(psql(host, PORT, ['-c', 'SELECT 1'], { user: 'alice', password: 'wrong' }), 'expected failure');
  await sleep(50);
}

async function wireSession(host) {
  const c = await connect(host, PORT);
  await c.start(USER);
  const log = [];
  const run = async (...msgs) => log.push(results(await (c.send(...msgs), c.untilReady())));
  // Unnamed statement, one Execute.
  await run(
    fe.parse('', 'SELECT $1::int + 1 AS n'),
    fe.bind('', '', ['41']),
    fe.describe('P', ''),
    fe.execute(''),
    fe.sync(),
  );
  // A named statement prepared alone, then three Executes before one Sync.
  await run(
    fe.parse('ins', 'INSERT INTO items (name, qty) VALUES ($1, $2)'),
    fe.describe('S', 'ins'),
    fe.sync(),
  );
  await run(
    fe.bind('', 'ins', ['cherry', '9']),
    fe.execute(''),
    fe.bind('', 'ins', ['grape', null]),
    fe.execute(''),
    fe.bind('', 'ins', ['melon', '2']),
    fe.execute(''),
    fe.sync(),
  );
  // A pipeline whose second statement fails: the third is skipped.
  await run(
    fe.parse('', 'UPDATE items SET qty = 0 WHERE qty IS NULL'),
    fe.bind('', '', []),
    fe.execute(''),
    fe.parse('', 'SELECT * FROM missing_table'),
    fe.bind('', '', []),
    fe.execute(''),
    fe.parse('', 'SELECT 1'),
    fe.bind('', '', []),
    fe.execute(''),
    fe.sync(),
  );
  // A portal read two rows at a time.
  await run(
    fe.parse('', 'SELECT g FROM generate_series(1, 5) g'),
    fe.bind('', '', []),
    fe.describe('P', ''),
    fe.execute('', 2),
    fe.execute('', 2),
    fe.execute('', 0),
    fe.sync(),
  );
  // The named statement again, then closed.
  await run(fe.bind('p1', 'ins', ['lemon', '4']), fe.execute('p1'), fe.close('S', 'ins'), fe.sync());
  // An empty query.
  await run(fe.query(''));
  await c.end();
  return log;
}

async function cancelSession(host) {
  const a = await connect(host, PORT);
  const start = await a.start(USER);
  const key = start.find((m) => m.type === 'K').body;
  a.send(fe.query('SELECT pg_sleep(10)'));
  await sleep(200);
  const b = await connect(host, PORT);
  const cancel = Buffer.alloc(16);
  cancel.writeInt32BE(16, 0);
  cancel.writeInt32BE(80877102, 4);
  key.copy(cancel, 8);
  b.send(cancel);
  const out = results(await a.untilReady());
  b.sock.end();
  await a.end();
  return out;
}

async function sslRefused(host) {
  const c = await connect(host, PORT);
  c.send(fe.sslRequest());
  const answer = await c.byte();
  await c.start(USER);
  c.send(fe.query('SELECT 42 AS answer'));
  await c.untilReady();
  await c.end();
  return answer;
}

async function sslAccepted(host) {
  const c = await connect(host, PORT);
  c.send(fe.sslRequest());
  const answer = await c.byte();
  if (answer !== 'S') return answer;
  c.sock.removeAllListeners('data');
  const s = tls.connect({ socket: c.sock, rejectUnauthorized: false });
  await new Promise((r, j) => s.once('secureConnect', r).once('error', j));
  let seen = '';
  const ready = (n) =>
    new Promise((resolve) => {
      const on = (d) => {
        seen += d.toString('latin1');
        if (seen.split('Z\0\0\0\x05').length > n) {
          s.off('data', on);
          resolve();
        }
      };
      s.on('data', on);
    });
  s.write(fe.startup(USER));
  await ready(1);
  s.write(fe.query('SELECT 7 AS secret'));
  await ready(2);
  s.end(fe.terminate());
  await new Promise((r) => s.once('close', r));
  return answer;
}

/** A self-signed certificate for the server (ssl is switched on for the last session only). */
function certificate(dir) {
  const crt = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  fs.chmodSync(key, 0o600);
  spawnSync('chown', ['postgres:postgres', crt, key]);
  return { crt, key };
}

async function main() {
  const host = await freeLoopbackAddress(PORT);
  const certDir = fs.mkdtempSync('/tmp/wirebeat-pgcert-');
  spawnSync('chown', ['postgres:postgres', certDir]);
  const { crt, key } = certificate(certDir);
  const server = await startPostgres(host, PORT, {
    hba: ['host all alice 127.0.0.0/8 scram-sha-256'],
    settings: { ssl_cert_file: crt, ssl_key_file: key, lc_messages: 'C' },
  });
  const capture = await startTcpdump(OUT, host, PORT);
  try {
    await psqlSessions(host);
    console.log('wire:', JSON.stringify(await wireSession(host)));
    console.log('cancel:', JSON.stringify(await cancelSession(host)));
    console.log('ssl off:', await sslRefused(host));
    await check(
      psql(host, PORT, ['-c', 'ALTER SYSTEM SET ssl = on', '-c', 'SELECT pg_reload_conf()']),
      'ssl on',
    );
    await sleep(500);
    const accepted = await sslAccepted(host);
    console.log('ssl on:', accepted);
    if (accepted !== 'S') console.error(server.log());
  } finally {
    await capture.stop();
    await server.stop();
    fs.rmSync(certDir, { recursive: true, force: true });
  }
  console.log(`recorded ${path.relative(process.cwd(), OUT)} (server ${host}:${PORT})`);
}

main().catch((err) => {
  console.error(`record-captures: ${err.message}`);
  process.exit(1);
});
