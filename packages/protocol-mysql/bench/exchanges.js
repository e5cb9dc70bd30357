// The MySQL exchanges of the synthetic benchmark capture (port 3306; the connections begin after
// the login, as a capture started on a busy server does): per connection of 10 exchanges, a
// SELECT of 3 rows, INSERTs with affected rows and insert ids, an error, a PREPARE and two EXECUTEs
// with binary rows, a PING; classic EOF packets. 200,000 transactions in all.
const { ensureExchangeCapture } = require('../../../scripts/synthetic-capture.js');

/** One packet (Latin-1 text): 3-byte length, sequence id, payload. */
function packet(seq, payload) {
  const n = payload.length;
  return String.fromCharCode(n & 255, (n >> 8) & 255, n >> 16, seq) + payload;
}
const lenstr = (s) => String.fromCharCode(s.length) + s;
const u32 = (n) => String.fromCharCode(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24);
const column = (seq, name, type) =>
  packet(
    seq,
    lenstr('def') +
      lenstr('shop') +
      lenstr('items') +
      lenstr('items') +
      lenstr(name) +
      lenstr(name) +
      '\x0c\x2d\x00\xff\x00\x00\x00' +
      String.fromCharCode(type) +
      '\x00\x00\x00\x00\x00',
  );
const EOF = (seq) => packet(seq, '\xfe\x00\x00\x02\x00');
const OK = (seq, affected, insertId) =>
  packet(seq, '\x00' + String.fromCharCode(affected, insertId) + '\x02\x00\x00\x00');

/** Request and response of exchange k of connection c. */
function mysqlExchange(c, k) {
  const name = `item-${c}-${k}`;
  switch (k) {
    case 0:
    case 5:
      return [
        packet(0, `\x03SELECT id, name FROM items WHERE owner = ${c} LIMIT 3`),
        packet(1, '\x02') +
          column(2, 'id', 0x03) +
          column(3, 'name', 0xfd) +
          EOF(4) +
          packet(5, lenstr(String(c)) + lenstr(name)) +
          packet(6, lenstr('2') + lenstr('pear')) +
          packet(7, lenstr('3') + '\xfb') +
          EOF(8),
      ];
    case 1:
    case 6:
      return [packet(0, `\x03INSERT INTO items (owner, name) VALUES (${c}, '${name}')`), OK(1, 1, k + 1)];
    case 2:
      return [
        packet(0, `\x03SELECT * FROM missing_${c}`),
        packet(1, `\xff\x7a\x04#42S02Table 'shop.missing_${c}' doesn't exist`),
      ];
    case 3:
      return [
        packet(0, '\x16SELECT name, id FROM items WHERE id > ?'),
        packet(1, '\x00' + u32(1) + '\x02\x00\x01\x00\x00\x00\x00') +
          column(2, '?', 0xfd) +
          EOF(3) +
          column(4, 'name', 0xfd) +
          column(5, 'id', 0x03) +
          EOF(6),
      ];
    case 4:
    case 7:
      return [
        packet(0, '\x17' + u32(1) + '\x00' + u32(1) + '\x00\x01\x08\x00' + u32(k) + u32(0)),
        packet(1, '\x02') +
          column(2, 'name', 0xfd) +
          column(3, 'id', 0x03) +
          EOF(4) +
          packet(5, '\x00\x00' + lenstr(name) + u32(k + 1)) +
          EOF(6),
      ];
    case 8:
      return [packet(0, '\x0e'), OK(1, 0, 0)];
    default:
      return [packet(0, `\x03UPDATE items SET name = '${name}' WHERE owner = ${c}`), OK(1, 2, 0)];
  }
}

/** The synthetic MySQL capture (generated on first use). */
function ensureMysqlCapture() {
  return ensureExchangeCapture('mysql-v1', {
    port: 3306,
    exchange: (c, k) => mysqlExchange(c, k).map((s) => Buffer.from(s, 'latin1')),
  });
}

module.exports = { ensureMysqlCapture, mysqlExchange };
