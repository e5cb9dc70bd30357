#!/usr/bin/env node
// Re-records test/fixtures/dns.pcap: Debian's unbound serving the local zone of unbound-zone.js on
// a random loopback address, port 53, queried over UDP and TCP by dig (bind9-dnsutils) and by
// clients written here (two queries with one id, three queries in one TCP segment), captured with
// tcpdump. Run as root: `node packages/protocol-dns/scripts/record-captures.js`, then
// `UPDATE_GOLDEN=1 npx jest --selectProjects @wirebeat/protocol-dns` and review the diff.
const { spawn, execFile } = require('child_process');
const dgram = require('dgram');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js');
const { unboundConfig } = require('./unbound-zone.js');

const PORT = 53;
const OUT = path.join(__dirname, '../test/fixtures/dns.pcap');

/** Starts unbound in the foreground; resolves once it serves. */
function startUnbound(host) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-unbound-'));
  const conf = path.join(dir, 'unbound.conf');
  fs.writeFileSync(conf, unboundConfig(host, PORT, dir));
  return new Promise((resolve, reject) => {
    const child = spawn('unbound', ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`unbound did not start: ${out}`)), 10_000);
    const onData = (d) => {
      out += d;
      if (/start of service/.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
  });
}

/** Runs dig against the server; resolves with its output. */
function dig(host, ...args) {
  return new Promise((resolve, reject) => {
    execFile('dig', [`@${host}`, '-p', String(PORT), '+time=3', '+tries=1', ...args], (err, stdout) =>
      err ? reject(new Error(`dig ${args.join(' ')}: ${err.message}`)) : resolve(stdout),
    );
  });
}

/** A query message (RD set, no EDNS). */
function query(id, name, type) {
  const labels = name.split('.').filter(Boolean);
  const qname = Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, qname, Buffer.from([type >> 8, type & 0xff, 0, 1])]);
}

/**
 * Two queries with the same id from one UDP socket: the first one is forwarded to a dead server,
 * so the second one's answer comes first.
 */
async function sameIdOverUdp(host) {
  const sock = dgram.createSocket('udp4');
  // Bound first, so that both datagrams leave before the first answer comes back.
  await new Promise((r) => sock.bind(0, r));
  const answers = new Promise((resolve) => {
    let n = 0;
    sock.on('message', () => ++n === 2 && resolve());
  });
  sock.send(query(0x4242, 'y.broken.example', 1), PORT, host);
  sock.send(query(0x4242, 'wirebeat.test', 15), PORT, host);
  await answers;
  sock.close();
}

/** Three length-prefixed queries in one TCP write; waits for the three answers. */
async function pipelinedOverTcp(host) {
  const sock = net.connect(PORT, host);
  await new Promise((r, j) => sock.once('connect', r).once('error', j));
  const framed = [
    query(1, 'www.wirebeat.test', 28),
    query(2, 'missing.wirebeat.test', 1),
    query(3, 'wirebeat.test', 16),
  ].map((q) => Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]));
  sock.write(Buffer.concat(framed));
  let got = Buffer.alloc(0);
  await new Promise((resolve) => {
    sock.on('data', (d) => {
      got = Buffer.concat([got, d]);
      let at = 0;
      let n = 0;
      while (at + 2 <= got.length) {
        at += 2 + got.readUInt16BE(at);
        if (at <= got.length) n++;
      }
      if (n === 3) resolve();
    });
  });
  sock.end();
  await new Promise((r) => sock.once('close', r));
}

async function main() {
  const host = await freeLoopbackAddress(PORT);
  const server = await startUnbound(host);
  const capture = await startTcpdump(OUT, host, PORT, { transport: 'any' });
  try {
    // UDP with EDNS (dig's default, a cookie included): one query per record type.
    await dig(host, 'www.wirebeat.test', 'A');
    await dig(host, '+nsid', 'www.wirebeat.test', 'AAAA');
    await dig(host, 'alias.wirebeat.test', 'A');
    for (const type of ['MX', 'NS', 'SOA', 'TXT', 'CAA', 'DS', 'DNSKEY', 'NSEC', 'HTTPS'])
      await dig(host, 'wirebeat.test', type);
    await dig(host, '_sip._udp.wirebeat.test', 'SRV');
    await dig(host, '+dnssec', 'www.wirebeat.test', 'RRSIG');
    await dig(host, 'svc.wirebeat.test', 'SVCB');
    await dig(host, '-x', '192.0.2.10');
    // Errors: NXDOMAIN (with the zone's SOA as authority), REFUSED, SERVFAIL.
    await dig(host, 'missing.wirebeat.test', 'A');
    await dig(host, 'x.refused.test', 'A');
    await dig(host, 'x.broken.example', 'A');
    // Without EDNS the TXT answer does not fit in 512 bytes: TC over UDP, then dig asks over TCP.
    await dig(host, '+noedns', 'big.wirebeat.test', 'TXT');
    // TCP: one query per connection, and several on one kept-open connection.
    await dig(host, '+tcp', 'www.wirebeat.test', 'A');
    await dig(host, '+tcp', '+keepopen', 'wirebeat.test', 'MX', 'wirebeat.test', 'SOA');
    await sameIdOverUdp(host);
    await pipelinedOverTcp(host);
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
