#!/usr/bin/env node
// Re-records test/fixtures/tls.pcap: node:tls servers (OpenSSL 3 inside Node) on a random loopback
// address, on four of Packetbeat's default TLS ports, and node:tls clients, captured with tcpdump:
// TLS 1.2 and 1.3 full handshakes with SNI and ALPN, resumption by ticket, by session id and by
// TLS 1.3 PSK, a client certificate, TLS 1.0 without SNI, and two handshakes that end in a fatal
// alert (a version the server refuses, a certificate Debian's openssl s_client refuses). Run as root:
// `node packages/protocol-tls/scripts/record-captures.js`, then
// `UPDATE_GOLDEN=1 npx jest --selectProjects @wirebeat/protocol-tls` and review the diff.
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const tls = require('tls');
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js');
const { makeCerts } = require('./make-certs.js');

const OUT = path.join(__dirname, '../test/fixtures/tls.pcap');
/** Full and ticket resumption (443), session-id resumption (8443), client certificate (9243), TLS 1.3 only (995). */
const PORTS = { main: 443, sessionId: 8443, mutual: 9243, only13: 995 };
/** OpenSSL 3 refuses TLS 1.0 at its default security level. */
const OLD_CIPHERS = 'DEFAULT:@SECLEVEL=0';

/** A server on host:port answering "pong\n" to each line; resolves once it listens. */
function startServer(host, port, options) {
  const server = tls.createServer(options, (sock) => {
    sock.on('data', () => sock.write('pong\n'));
    sock.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

/**
 * One client connection: handshake, "ping" and its "pong", then close. Resolves with the session
 * to resume from (after TLS 1.3's tickets arrive), or with the error of a failed handshake.
 */
function connect(host, port, options) {
  return new Promise((resolve) => {
    let session;
    const sock = tls.connect({ host, port, ...options });
    sock.on('session', (s) => (session = s));
    sock.once('secureConnect', () => sock.write('ping\n'));
    sock.once('data', () => {
      // TLS 1.3 tickets come after the handshake: the pong is sent after them by the server.
      setTimeout(() => sock.end(), 50);
    });
    let protocol;
    sock.once('secureConnect', () => (protocol = sock.getProtocol()));
    sock.once('close', () => resolve({ session, protocol }));
    sock.once('error', (err) => resolve({ error: err.code || err.message }));
  });
}

/** Debian's openssl s_client with `args`, stdin closed; resolves with its exit status as an error. */
function sClient(host, port, args) {
  return new Promise((resolve) => {
    const child = spawn('openssl', ['s_client', '-connect', `${host}:${port}`, ...args], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.once('error', (err) => resolve({ error: `openssl s_client: ${err.message}` }));
    child.once('exit', (code) => resolve({ error: `openssl s_client exited with ${code}` }));
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-tls-'));
  const certs = makeCerts(dir);
  const read = (f) => fs.readFileSync(f);
  const ca = read(certs.ca);
  // The server sends its certificate and the CA: a chain of two.
  const cert = Buffer.concat([read(certs.serverCert), ca]);
  const key = read(certs.serverKey);
  const host = await freeLoopbackAddress(PORTS.main);
  const cache = new Map();
  const servers = [
    await startServer(host, PORTS.main, {
      cert,
      key,
      ALPNProtocols: ['h2', 'http/1.1'],
      minVersion: 'TLSv1',
      ciphers: OLD_CIPHERS,
    }),
    await startServer(host, PORTS.sessionId, {
      cert,
      key,
      // No tickets: resumption by the session id the server caches.
      secureOptions: crypto.constants.SSL_OP_NO_TICKET,
      sessionIdContext: 'wirebeat',
    }),
    await startServer(host, PORTS.mutual, { cert, key, requestCert: true, ca: [ca] }),
    await startServer(host, PORTS.only13, { cert, key, minVersion: 'TLSv1.3' }),
  ];
  servers[1].on('newSession', (id, data, done) => {
    cache.set(id.toString('hex'), data);
    done();
  });
  servers[1].on('resumeSession', (id, done) => done(null, cache.get(id.toString('hex')) ?? null));
  const capture = await startTcpdump(OUT, host, Object.values(PORTS));
  const trusted = { ca: [ca], servername: 'www.example.test' };
  const results = [];
  try {
    const v12 = { ...trusted, maxVersion: 'TLSv1.2', minVersion: 'TLSv1.2' };
    const v13 = { ...trusted, minVersion: 'TLSv1.3' };
    const full12 = await connect(host, PORTS.main, { ...v12, ALPNProtocols: ['h2', 'http/1.1'] });
    results.push(full12);
    results.push(await connect(host, PORTS.main, { ...v12, session: full12.session }));
    const full13 = await connect(host, PORTS.main, { ...v13, ALPNProtocols: ['http/1.1'] });
    results.push(full13);
    results.push(await connect(host, PORTS.main, { ...v13, session: full13.session }));
    const byId = await connect(host, PORTS.sessionId, v12);
    results.push(byId);
    results.push(await connect(host, PORTS.sessionId, { ...v12, session: byId.session }));
    results.push(
      await connect(host, PORTS.mutual, { ...v12, cert: read(certs.clientCert), key: read(certs.clientKey) }),
    );
    // The server wants TLS 1.3 only: it answers a TLS 1.2 hello with a protocol_version alert.
    results.push(await connect(host, PORTS.only13, v12));
    // openssl s_client does not trust the server's CA: it sends a fatal alert after the server's
    // flight (node:tls would finish the handshake and check the certificate afterwards).
    results.push(
      await sClient(host, PORTS.main, ['-servername', 'www.example.test', '-tls1_2', '-verify_return_error']),
    );
    // TLS 1.0, no SNI (a bare address), the old security level.
    results.push(
      await connect(host, PORTS.main, {
        ca: [ca],
        maxVersion: 'TLSv1',
        minVersion: 'TLSv1',
        ciphers: OLD_CIPHERS,
        checkServerIdentity: () => undefined,
      }),
    );
  } finally {
    await capture.stop();
    for (const s of servers) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const r of results) console.log(r.error ? `  failed: ${r.error}` : `  ok: ${r.protocol}`);
  console.log(`recorded ${path.relative(process.cwd(), OUT)} (servers on ${host})`);
}

main().catch((err) => {
  console.error(`record-captures: ${err.message}`);
  process.exit(1);
});
