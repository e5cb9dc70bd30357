#!/usr/bin/env node
// Re-records test/fixtures/redis.pcap: Debian's redis-server on a random loopback address, port
// 6379, driven by RESP2 and RESP3 (HELLO 3) clients written here byte by byte, captured with
// tcpdump. Run as root: `node packages/protocol-redis/scripts/record-captures.js`, then
// `UPDATE_GOLDEN=1 npx jest --selectProjects @wirebeat/protocol-redis` and review the diff.
const { spawn } = require('child_process');
const net = require('net');
const path = require('path');
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js');

const PORT = 6379;
const OUT = path.join(__dirname, '../test/fixtures/redis.pcap');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts redis-server without persistence; resolves once it accepts connections. */
function startRedis(host) {
  return new Promise((resolve, reject) => {
    const args = ['--port', String(PORT), '--bind', host, '--save', '', '--appendonly', 'no'];
    args.push('--enable-debug-command', 'yes', '--protected-mode', 'no');
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', reject);
  });
}

/** A command as a RESP array of bulk strings. */
function resp(...args) {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

/** A client connection that writes raw bytes and gives the server time to answer. */
async function client(host) {
  const sock = net.connect(PORT, host);
  await new Promise((r, j) => sock.once('connect', r).once('error', j));
  const closed = new Promise((r) => sock.once('close', r));
  sock.resume();
  return {
    send: async (bytes, waitMs = 30) => {
      sock.write(bytes);
      await sleep(waitMs);
    },
    close: async () => {
      sock.end();
      await closed;
    },
  };
}

async function main() {
  const host = await freeLoopbackAddress(PORT);
  const server = await startRedis(host);
  const capture = await startTcpdump(OUT, host, PORT);
  try {
    // RESP2: replies of every RESP2 type, errors, inline commands, pipelining, MULTI/EXEC.
    const a = await client(host);
    await a.send('PING\r\n');
    await a.send(resp('SET', 'greeting', 'hello'));
    await a.send(resp('GET', 'greeting'));
    await a.send(resp('GET', 'missing'));
    await a.send(resp('INCR', 'counter'));
    await a.send(resp('INCR', 'greeting'));
    await a.send(resp('NOSUCHCMD', 'x'));
    await a.send(resp('RPUSH', 'list', 'a', 'b', 'c'));
    await a.send(resp('LRANGE', 'list', '0', '-1'));
    await a.send(
      resp('MGET', 'greeting', 'missing', 'counter') + resp('EXISTS', 'greeting') + resp('DEL', 'counter'),
    );
    await a.send(resp('MULTI'));
    await a.send(resp('SET', 'k1', 'v1'));
    await a.send(resp('INCR', 'k1'));
    await a.send(resp('EXEC'));
    await a.send(resp('HSET', 'h', 'f1', 'v1', 'f2', 'v2'));
    await a.send(resp('HGETALL', 'h'));
    await a.send(resp('SET', 'big', 'x'.repeat(5000)));
    await a.send(resp('GET', 'big'));
    await a.send(resp('AUTH', 'not-the-password'));
    await a.send(resp('SADD', 's', 'one', 'two'));
    await a.send(resp('ZADD', 'z', '1.5', 'm'));

    // RESP3: map, set, double, boolean, big number, verbatim, attribute, null, pushes.
    const b = await client(host);
    await b.send(resp('HELLO', '3'));
    await b.send(resp('HGETALL', 'h'));
    await b.send(resp('SMEMBERS', 's'));
    await b.send(resp('ZSCORE', 'z', 'm'));
    for (const type of ['true', 'false', 'bignum', 'verbatim', 'attrib', 'null', 'double', 'push']) {
      await b.send(resp('DEBUG', 'PROTOCOL', type));
    }
    await b.send(resp('CLIENT', 'TRACKING', 'ON'));
    await b.send(resp('GET', 'greeting'));
    await a.send(resp('SET', 'greeting', 'changed')); // invalidates b's cached key: a push on b
    await b.send(resp('GET', 'missing'));

    // RESP2 pub/sub: confirmations per channel, published messages, PING, UNSUBSCRIBE of all.
    const c = await client(host);
    await c.send(resp('SUBSCRIBE', 'news', 'sport'));
    await a.send(resp('PUBLISH', 'news', 'first story'));
    await a.send(resp('PUBLISH', 'sport', 'match result'));
    await c.send(resp('PING'));
    await c.send(resp('UNSUBSCRIBE'));
    await c.send(resp('GET', 'greeting'));

    // RESP3 pub/sub: confirmations and messages are pushes; plain commands still get replies.
    const d = await client(host);
    await d.send(resp('HELLO', '3'));
    await d.send(resp('SUBSCRIBE', 'news'));
    await a.send(resp('PUBLISH', 'news', 'second story'));
    await d.send(resp('GET', 'greeting'));

    for (const conn of [a, b, c, d]) await conn.send(resp('QUIT'));
    for (const conn of [a, b, c, d]) await conn.close();
  } finally {
    await capture.stop();
    server.kill('SIGTERM');
  }
  console.log(`recorded ${path.relative(process.cwd(), OUT)} (server ${host}:${PORT})`);
}

main().catch((err) => {
  console.error(`record-captures: ${err.message}`);
  process.exit(1);
});
