#!/usr/bin/env node
// Re-records test/fixtures/memcache.pcap: Debian's memcached on a random loopback address, port
// 11211 for TCP and UDP, driven by clients written here byte by byte (text over TCP, binary over
// TCP, text and binary over UDP with the 8-byte frame header), captured with tcpdump. Run as root:
// `node packages/protocol-memcache/scripts/record-captures.js`, then
// `UPDATE_GOLDEN=1 npx jest --selectProjects @wirebeat/protocol-memcache` and review the diff.
const { spawn } = require('child_process');
const dgram = require('dgram');
const net = require('net');
const path = require('path');
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js');

const PORT = 11211;
const OUT = path.join(__dirname, '../test/fixtures/memcache.pcap');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts memcached on TCP and UDP `host`:PORT; resolves once it accepts connections. */
async function startMemcached(host) {
  const args = ['-l', host, '-p', String(PORT), '-U', String(PORT), '-m', '16', '-c', '64', '-t', '1'];
  if (process.getuid && process.getuid() === 0) args.push('-u', 'nobody');
  const child = spawn('memcached', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`memcached exited: ${err.trim()}`);
    const up = await new Promise((resolve) => {
      const s = net.connect(PORT, host, () => s.end(() => resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return child;
    await sleep(50);
  }
  throw new Error(`memcached did not start: ${err.trim()}`);
}

/** A TCP client that writes raw bytes and gives the server time to answer. */
async function tcpClient(host) {
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

/** A binary-protocol request: header, extras, key and value. */
function bin(opcode, { key = '', extras = Buffer.alloc(0), value = '', opaque = 0, cas = 0n } = {}) {
  const k = Buffer.from(key);
  const v = Buffer.from(value);
  const h = Buffer.alloc(24);
  h[0] = 0x80;
  h[1] = opcode;
  h.writeUInt16BE(k.length, 2);
  h[4] = extras.length;
  h.writeUInt32BE(extras.length + k.length + v.length, 8);
  h.writeUInt32BE(opaque, 12);
  h.writeBigUInt64BE(cas, 16);
  return Buffer.concat([h, extras, k, v]);
}

/** Extras of a binary store command: flags and exptime. */
function storeExtras(flags, exptime) {
  const e = Buffer.alloc(8);
  e.writeUInt32BE(flags, 0);
  e.writeUInt32BE(exptime, 4);
  return e;
}

/** Extras of a binary incr/decr: delta, initial value, exptime. */
function counterExtras(delta, initial, exptime = 0) {
  const e = Buffer.alloc(20);
  e.writeBigUInt64BE(BigInt(delta), 0);
  e.writeBigUInt64BE(BigInt(initial), 8);
  e.writeUInt32BE(exptime, 16);
  return e;
}

/** A UDP client: each request gets the frame header (request id, seq 0 of 1). */
async function udpClient(host) {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  sock.on('message', () => undefined);
  return {
    send: async (id, payload, waitMs = 40) => {
      const h = Buffer.alloc(8);
      h.writeUInt16BE(id, 0);
      h.writeUInt16BE(0, 2);
      h.writeUInt16BE(1, 4);
      await new Promise((r) => sock.send(Buffer.concat([h, Buffer.from(payload)]), PORT, host, r));
      await sleep(waitMs);
    },
    close: () => new Promise((r) => sock.close(r)),
  };
}

async function textSession(host) {
  const a = await tcpClient(host);
  await a.send('version\r\n');
  await a.send('set greeting 5 0 5\r\nhello\r\n');
  await a.send('get greeting\r\n');
  await a.send('get missing\r\n');
  await a.send('set k2 0 0 2\r\nv2\r\n');
  await a.send('get greeting missing k2\r\n'); // multi-get: two VALUEs, one miss, one END
  await a.send('gets greeting\r\n');
  await a.send('add greeting 0 0 1\r\nx\r\n'); // NOT_STORED
  await a.send('append greeting 0 0 6\r\n world\r\n');
  await a.send('cas greeting 0 0 3 1\r\nbad\r\n'); // EXISTS (stale cas)
  await a.send('set counter 0 0 1\r\n7\r\n');
  await a.send('incr counter 5\r\n');
  await a.send('decr counter 2\r\n');
  await a.send('incr greeting 1\r\n'); // CLIENT_ERROR
  await a.send('touch greeting 300\r\n');
  await a.send('delete k2\r\n');
  await a.send('delete k2\r\n'); // NOT_FOUND
  await a.send('set quiet 0 0 3 noreply\r\nabc\r\n'); // no reply at all
  await a.send('get quiet\r\n');
  await a.send('bogus command\r\n'); // ERROR
  await a.send(`set big 0 0 5000\r\n${'b'.repeat(5000)}\r\n`);
  await a.send('get big\r\n');
  await a.send('verbosity 1\r\n');
  await a.send('stats settings\r\n');
  await a.send('flush_all\r\n');
  await a.send('quit\r\n');
  await a.close();
}

async function binarySession(host) {
  const b = await tcpClient(host);
  await b.send(bin(0x0b, { opaque: 0x10 })); // Version
  await b.send(
    bin(0x01, { key: 'bk', value: 'binary value', extras: storeExtras(3, 0), opaque: 0xdeadbeef }),
  );
  await b.send(bin(0x00, { key: 'bk', opaque: 7 })); // Get hit
  await b.send(bin(0x0c, { key: 'bk', opaque: 3 })); // GetK hit
  await b.send(bin(0x00, { key: 'nokey', opaque: 0x11 })); // Get miss: Key not found
  // Quiet gets, misses then hits, closed by a No-op: the misses get no reply at all.
  await b.send(
    Buffer.concat([
      bin(0x09, { key: 'nokey', opaque: 0x21 }), // GetQ miss
      bin(0x09, { key: 'bk', opaque: 0x22 }), // GetQ hit
      bin(0x0d, { key: 'nokey2', opaque: 0x23 }), // GetKQ miss
      bin(0x0d, { key: 'bk', opaque: 0x24 }), // GetKQ hit
      bin(0x0a, { opaque: 0x25 }), // No-op
    ]),
  );
  await b.send(
    Buffer.concat([
      bin(0x11, { key: 'sq', value: 'quiet set', extras: storeExtras(0, 0), opaque: 0x31 }), // SetQ
      bin(0x02, { key: 'bk', value: 'x', extras: storeExtras(0, 0), opaque: 0x32 }), // Add: Key exists
    ]),
  );
  await b.send(bin(0x05, { key: 'bc', extras: counterExtras(1, 40), opaque: 0x41 })); // Incr: initial
  await b.send(bin(0x05, { key: 'bc', extras: counterExtras(2, 0), opaque: 0x42 }));
  await b.send(bin(0x06, { key: 'bc', extras: counterExtras(10, 0), opaque: 0x43 }));
  await b.send(bin(0x05, { key: 'bk', extras: counterExtras(1, 0), opaque: 0x44 })); // non-numeric
  await b.send(bin(0x1c, { key: 'bk', extras: storeExtras(300, 0).subarray(0, 4), opaque: 0x45 })); // Touch
  await b.send(bin(0x04, { key: 'bk', opaque: 0x46 })); // Delete
  await b.send(bin(0x04, { key: 'bk', opaque: 0x47 })); // Delete miss
  await b.send(bin(0x10, { key: 'settings', opaque: 0x50 })); // Stat settings: many replies, one listing
  await b.send(bin(0x01, { key: 'bbig', value: 'B'.repeat(3000), extras: storeExtras(0, 0), opaque: 0x51 }));
  await b.send(bin(0x00, { key: 'bbig', opaque: 0x52 }));
  await b.send(bin(0x07, { opaque: 0x60 })); // Quit
  await b.close();
}

async function udpSession(host) {
  const u = await udpClient(host);
  await u.send(1, 'set ukey 0 0 4\r\nudpv\r\n');
  await u.send(2, 'get ukey\r\n');
  await u.send(3, 'get ukey nothing greeting\r\n');
  await u.send(4, `set ubig 0 0 3000\r\n${'u'.repeat(3000)}\r\n`);
  await u.send(5, 'get ubig\r\n'); // a reply of 3 datagrams
  await u.send(6, bin(0x00, { key: 'ukey', opaque: 0x99 })); // binary over UDP
  await u.send(7, 'get missing\r\n');
  await u.close();
}

async function main() {
  const host = await freeLoopbackAddress(PORT);
  const server = await startMemcached(host);
  const capture = await startTcpdump(OUT, host, PORT, { transport: 'any' });
  try {
    await textSession(host);
    await binarySession(host);
    await udpSession(host);
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
