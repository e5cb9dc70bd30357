// The Redis exchanges of the synthetic benchmark capture: SET, GET, INCR, HGETALL, LRANGE and
// an error reply now and then, 200,000 transactions in all (port 6379).
const { ensureExchangeCapture } = require('../../../scripts/synthetic-capture.js');

const cmd = (...args) =>
  `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
const bulk = (s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;

/** Command and reply of exchange k of connection c. */
function redisExchange(c, k) {
  const key = `user:${c}:${k % 3}`;
  const value = `value-${c}-${k}-` + 'v'.repeat((c + k) % 40);
  switch (k % 6) {
    case 0:
      return [cmd('SET', key, value), '+OK\r\n'];
    case 1:
      return [cmd('GET', key), bulk(value)];
    case 2:
      return [cmd('INCR', `counter:${c}`), `:${k}\r\n`];
    case 3:
      return [
        cmd('HGETALL', `hash:${c}`),
        '*4\r\n' + bulk('name') + bulk(`n${c}`) + bulk('age') + bulk(String(c % 90)),
      ];
    case 4:
      return [cmd('LRANGE', `list:${c}`, '0', '2'), '*3\r\n' + bulk('a') + bulk('b') + bulk('c')];
    default:
      return [cmd('INCR', key), '-ERR value is not an integer or out of range\r\n'];
  }
}

/** The synthetic Redis capture (generated on first use). */
function ensureRedisCapture() {
  return ensureExchangeCapture('redis-v1', { port: 6379, exchange: redisExchange });
}

module.exports = { ensureRedisCapture, redisExchange };
