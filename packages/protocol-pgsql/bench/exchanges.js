// The PostgreSQL exchanges of the synthetic benchmark capture (port 5432): each connection starts
// with a startup message and its answer, then simple queries (a SELECT of a few rows, an INSERT,
// an UPDATE, an error) and extended-protocol pipelines (Parse/Bind/Describe/Execute/Sync), 200,000
// transactions in all (20,000 connections x 10).
const { ensureExchangeCapture } = require('../../../scripts/synthetic-capture.js');

const { msg, z, i16, i32 } = require('../scripts/pg-wire.js');

const ready = msg('Z', Buffer.from('I'));
const complete = (tag) => msg('C', z(tag));
const rowDescription = (...names) =>
  msg(
    'T',
    i16(names.length),
    ...names.flatMap((n) => [z(n), i32(0), i16(0), i32(25), i16(-1), i32(-1), i16(0)]),
  );
const dataRow = (...cols) =>
  msg('D', i16(cols.length), ...cols.flatMap((c) => [i32(Buffer.byteLength(c)), Buffer.from(c)]));

function startup(c) {
  const body = Buffer.concat([
    i32(196608),
    z('user'),
    z(`app${c % 7}`),
    z('database'),
    z('shop'),
    Buffer.from([0]),
  ]);
  const request = Buffer.concat([i32(body.length + 4), body]);
  const response = Buffer.concat([
    msg('R', i32(0)),
    msg('S', z('server_version'), z('15.18')),
    msg('S', z('client_encoding'), z('UTF8')),
    msg('K', i32(c), i32(c * 7)),
    ready,
  ]);
  return [request, response];
}

/** Request and response of exchange k of connection c. */
function pgsqlExchange(c, k) {
  if (k === 0) return startup(c);
  const id = c * 10 + k;
  switch (k % 5) {
    case 1: {
      const rows = [];
      for (let r = 0; r < 1 + (c % 4); r++)
        rows.push(dataRow(String(id + r), `name-${id}-${r}`, 'x'.repeat((c + r) % 30)));
      return [
        msg('Q', z(`SELECT id, name, note FROM items WHERE owner = ${c} ORDER BY id`)),
        Buffer.concat([
          rowDescription('id', 'name', 'note'),
          ...rows,
          complete(`SELECT ${rows.length}`),
          ready,
        ]),
      ];
    }
    case 2:
      return [
        msg('Q', z(`INSERT INTO items (owner, name) VALUES (${c}, 'item-${id}')`)),
        Buffer.concat([complete('INSERT 0 1'), ready]),
      ];
    case 3:
      return [
        Buffer.concat([
          msg('P', z(''), z('SELECT name FROM items WHERE id = $1'), i16(0)),
          msg('B', z(''), z(''), i16(0), i16(1), i32(String(id).length), Buffer.from(String(id)), i16(0)),
          msg('D', Buffer.from('P'), z('')),
          msg('E', z(''), i32(0)),
          msg('S'),
        ]),
        Buffer.concat([
          msg('1'),
          msg('2'),
          rowDescription('name'),
          dataRow(`item-${id}`),
          complete('SELECT 1'),
          ready,
        ]),
      ];
    case 4:
      return [
        msg('Q', z(`UPDATE items SET seen = now() WHERE owner = ${c}`)),
        Buffer.concat([complete(`UPDATE ${c % 9}`), ready]),
      ];
    default:
      return [
        msg('Q', z(`SELECT * FROM missing_${k}`)),
        Buffer.concat([
          msg(
            'E',
            Buffer.from('S'),
            z('ERROR'),
            Buffer.from('C'),
            z('42P01'),
            Buffer.from('M'),
            z(`relation "missing_${k}" does not exist`),
            Buffer.from([0]),
          ),
          ready,
        ]),
      ];
  }
}

/** The synthetic pgsql capture (generated on first use). */
function ensurePgsqlCapture() {
  return ensureExchangeCapture('pgsql-v1', { port: 5432, exchange: pgsqlExchange });
}

module.exports = { ensurePgsqlCapture, pgsqlExchange };
