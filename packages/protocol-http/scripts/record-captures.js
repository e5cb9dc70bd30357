#!/usr/bin/env node
// Re-records test/fixtures/http.pcap: a node:http server on a random loopback address, port 80,
// and clients exercising every case the analyzer handles, captured with tcpdump. Run as root
// (tcpdump, port 80): `node packages/protocol-http/scripts/record-captures.js`, then
// `UPDATE_GOLDEN=1 npx jest --selectProjects @wirebeat/protocol-http` and review the diff.
const http = require('http');
const net = require('net');
const path = require('path');
const { freeLoopbackAddress, startTcpdump } = require('../../../scripts/loopback-capture.js');

const PORT = 80;
const OUT = path.join(__dirname, '../test/fixtures/http.pcap');

function createServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      switch (url.pathname) {
        case '/hello':
          res.setHeader('Set-Cookie', 'session=secret-session; HttpOnly');
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end(req.method === 'HEAD' ? undefined : `hello ${url.searchParams.get('name') ?? 'world'}\n`);
          return;
        case '/empty':
          res.writeHead(204).end();
          return;
        case '/cached':
          res.writeHead(304, { ETag: '"v1"' }).end();
          return;
        case '/chunked':
          res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Checksum' });
          res.write('first chunk\n');
          setTimeout(() => {
            res.write('second chunk\n');
            res.addTrailers({ 'X-Checksum': 'abc123' });
            res.end();
          }, 20);
          return;
        case '/error':
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end('internal error\n');
          return;
        case '/large':
          res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 300_000 });
          res.end(Buffer.alloc(300_000, 0x61));
          return;
        case '/upload':
        case '/echo':
          res.writeHead(201, { 'Content-Type': 'text/plain' }).end(`got ${body.length} bytes\n`);
          return;
        case '/stream':
          // An HTTP/1.0 client and no Content-Length: the body ends when the server closes.
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.write('streamed part 1\n');
          setTimeout(() => res.end('streamed part 2\n'), 20);
          return;
        case '/hang':
          return; // never answered: the client gives up
        default:
          res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      }
    });
  });
  server.on('checkContinue', (req, res) => {
    res.writeContinue();
    server.emit('request', req, res);
  });
  return server;
}

/** One request through `agent`; resolves with the status code once the body is read. */
function request(host, agent, opts, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: PORT, agent, ...opts }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    if (opts.headers?.Expect === '100-continue') {
      req.on('continue', () => req.end(body));
      return;
    }
    if (Array.isArray(body)) {
      for (const part of body) req.write(part);
      req.end();
    } else req.end(body);
  });
}

/** Writes raw bytes on a new connection and resolves with everything read until the server closes. */
function raw(host, bytes, { closeAfterMs } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(PORT, host, () => sock.write(bytes));
    const got = [];
    sock.on('data', (d) => got.push(d));
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(got).toString('latin1')));
    if (closeAfterMs !== undefined) setTimeout(() => sock.end(), closeAfterMs);
  });
}

async function main() {
  const host = await freeLoopbackAddress(PORT);
  const server = createServer();
  await new Promise((r) => server.listen(PORT, host, r));
  const capture = await startTcpdump(OUT, host, PORT);
  const pause = () => new Promise((r) => setTimeout(r, 20));

  // One keep-alive connection, requests in turn.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const common = { 'User-Agent': 'wirebeat-fixture/1.0' };
  await request(host, agent, {
    path: '/hello?name=wirebeat&lang=en',
    headers: { ...common, Authorization: 'Bearer secret-token', Cookie: 'session=secret-session' },
  });
  await request(host, agent, { method: 'HEAD', path: '/hello', headers: common });
  await request(host, agent, { path: '/empty', headers: common });
  await request(host, agent, { path: '/cached', headers: { ...common, 'If-None-Match': '"v1"' } });
  await request(host, agent, { path: '/chunked', headers: common });
  await request(host, agent, { path: '/error', headers: common });
  await request(host, agent, { path: '/missing', headers: common });
  agent.destroy();
  await pause();

  // 100-continue, a chunked request body and a large response, each on its own connection.
  const once = () => new http.Agent({ keepAlive: false });
  await request(
    host,
    once(),
    { method: 'POST', path: '/upload', headers: { ...common, Expect: '100-continue', 'Content-Length': 11 } },
    'upload data',
  );
  await request(host, once(), { method: 'POST', path: '/echo', headers: common }, ['part one, ', 'part two']);
  await request(host, once(), { path: '/large', headers: common });
  await pause();

  // Pipelining: three requests in one write.
  await raw(
    host,
    `GET /hello?name=one HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
      `GET /missing HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
      `GET /hello?name=three HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
  );
  // HTTP/1.0, body delimited by the close.
  await raw(host, `GET /stream HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
  // A request never answered.
  await raw(host, `GET /hang HTTP/1.1\r\nHost: ${host}\r\n\r\n`, { closeAfterMs: 100 });

  await capture.stop();
  server.closeAllConnections();
  server.close();
  console.log(`recorded ${path.relative(process.cwd(), OUT)} (server ${host}:${PORT})`);
}

main().catch((err) => {
  console.error(`record-captures: ${err.message}`);
  process.exit(1);
});
