// The memcache exchanges of the synthetic benchmark capture (port 11211): even connections speak
// the text protocol (set, get hit, multi-get, get miss, incr, delete), odd ones the binary protocol
// (Set, Get, GetK, Get miss, Increment, Delete), 200,000 transactions in all.
const { ensureExchangeCapture } = require('../../../scripts/synthetic-capture.js');

/** A binary message (magic 0x80 request, 0x81 response) as Latin-1 text. */
function bin(magic, opcode, { key = '', extras = '', value = '', opaque = 0, status = 0 } = {}) {
  const h = Buffer.alloc(24);
  h[0] = magic;
  h[1] = opcode;
  h.writeUInt16BE(key.length, 2);
  h[4] = extras.length;
  h.writeUInt16BE(status, 6);
  h.writeUInt32BE(extras.length + key.length + value.length, 8);
  h.writeUInt32BE(opaque, 12);
  return h.toString('latin1') + extras + key + value;
}
const STORE_EXTRAS = '\0\0\0\x05\0\0\0\0';
const u64 = (n) =>
  '\0\0\0\0' + Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString('latin1');

function textExchange(c, k) {
  const key = `user:${c}:${k % 3}`;
  const value = `value-${c}-${k}-` + 'v'.repeat((c + k) % 40);
  switch (k % 6) {
    case 0:
      return [`set ${key} 5 0 ${value.length}\r\n${value}\r\n`, 'STORED\r\n'];
    case 1:
      return [`get ${key}\r\n`, `VALUE ${key} 5 ${value.length}\r\n${value}\r\nEND\r\n`];
    case 2:
      return [
        `get ${key} other:${c} third:${c}\r\n`,
        `VALUE ${key} 5 ${value.length}\r\n${value}\r\nEND\r\n`,
      ];
    case 3:
      return [`get missing:${c}\r\n`, 'END\r\n'];
    case 4:
      return [`incr counter:${c} 1\r\n`, `${k}\r\n`];
    default:
      return [`delete ${key}\r\n`, 'DELETED\r\n'];
  }
}

function binaryExchange(c, k) {
  const key = `user:${c}:${k % 3}`;
  const value = `value-${c}-${k}-` + 'v'.repeat((c + k) % 40);
  const opaque = k * 7 + 1;
  switch (k % 6) {
    case 0:
      return [bin(0x80, 0x01, { key, extras: STORE_EXTRAS, value, opaque }), bin(0x81, 0x01, { opaque })];
    case 1:
      return [bin(0x80, 0x00, { key, opaque }), bin(0x81, 0x00, { extras: '\0\0\0\x05', value, opaque })];
    case 2:
      return [
        bin(0x80, 0x0c, { key, opaque }),
        bin(0x81, 0x0c, { extras: '\0\0\0\x05', key, value, opaque }),
      ];
    case 3:
      return [
        bin(0x80, 0x00, { key: `missing:${c}`, opaque }),
        bin(0x81, 0x00, { value: 'Not found', opaque, status: 1 }),
      ];
    case 4:
      return [
        bin(0x80, 0x05, { key: `counter:${c}`, extras: u64(1) + u64(0) + '\0\0\0\0', opaque }),
        bin(0x81, 0x05, { value: u64(k), opaque }),
      ];
    default:
      return [bin(0x80, 0x04, { key, opaque }), bin(0x81, 0x04, { opaque })];
  }
}

/**
 * Request and response of exchange k of connection c. Binary ones are given as bytes: the frame
 * builder encodes strings as UTF-8, which would turn the 0x80 magic into two bytes.
 */
function memcacheExchange(c, k) {
  if (c % 2 === 0) return textExchange(c, k);
  return binaryExchange(c, k).map((s) => Buffer.from(s, 'latin1'));
}

/** The synthetic memcache capture (generated on first use). */
function ensureMemcacheCapture() {
  return ensureExchangeCapture('memcache-v2', { port: 11211, exchange: memcacheExchange });
}

module.exports = { ensureMemcacheCapture, memcacheExchange };
