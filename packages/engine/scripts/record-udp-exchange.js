#!/usr/bin/env node
// Records test/fixtures/udp-exchange.pcap: a small request/response exchange over UDP on loopback,
// made with node's dgram and captured with tcpdump. Requests are `<id> <text>`; the server answers
// `<id> <TEXT>`, the odd ids late, so that replies come out of order; `<id> drop` gets no answer.
// Two client sockets make two flows. Run as root (tcpdump): node packages/engine/scripts/record-udp-exchange.js
const dgram = require('dgram');
const path = require('path');
const { spawn } = require('child_process');
const { freeLoopbackAddress } = require('../../../scripts/loopback-capture.js');

const PORT = 7053;
const OUT = path.resolve(__dirname, '../test/fixtures/udp-exchange.pcap');

/** Starts tcpdump for UDP to and from `host`:PORT; resolves with a stop function once it listens. */
function startTcpdump(host) {
  return new Promise((resolve, reject) => {
    const args = [
      '-i',
      'lo',
      '--immediate-mode',
      '-U',
      '-s',
      '0',
      '-w',
      OUT,
      `host ${host} and udp port ${PORT}`,
    ];
    const child = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      if (/listening on/.test(err))
        resolve(
          () =>
            new Promise((done) => setTimeout(() => (child.once('exit', done), child.kill('SIGINT')), 300)),
        );
    });
    child.once('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${err.trim()}`)));
  });
}

function bound(socket, host, port) {
  return new Promise((resolve) => socket.bind(port, host, resolve));
}

async function main() {
  const host = await freeLoopbackAddress(PORT);
  const stop = await startTcpdump(host);
  const server = dgram.createSocket('udp4');
  server.on('message', (msg, from) => {
    const [id, text] = msg.toString('latin1').split(' ');
    if (text === 'drop') return;
    const reply = Buffer.from(`${id} ${text.toUpperCase()}`, 'latin1');
    setTimeout(() => server.send(reply, from.port, from.address), Number(id) % 2 === 1 ? 40 : 0);
  });
  await bound(server, host, PORT);
  const clients = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
  await Promise.all(clients.map((c) => bound(c, host, 0)));
  let answers = 0;
  const done = new Promise((resolve) =>
    clients.forEach((c) =>
      c.on('message', () => {
        if (++answers === 5) resolve();
      }),
    ),
  );
  const send = (c, text) =>
    new Promise((resolve) => c.send(Buffer.from(text, 'latin1'), PORT, host, resolve));
  await send(clients[0], '1 alpha');
  await send(clients[0], '2 beta');
  await send(clients[0], '3 gamma');
  await send(clients[0], '4 drop');
  await send(clients[1], '1 delta');
  await send(clients[1], '2 epsilon');
  await done;
  await new Promise((r) => setTimeout(r, 100));
  clients.forEach((c) => c.close());
  server.close();
  await stop();
  console.log(`wrote ${OUT}`);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
