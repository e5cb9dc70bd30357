// Records loopback traffic of one test fixture with tcpdump: a random 127.x.y.z address keeps the
// capture free of other programs' traffic while the servers keep their protocols' default ports.
// Used by the fixture recording scripts of protocol packages (packages/*/scripts/record-*.js).
const { spawn } = require('child_process');
const net = require('net');

/** A random loopback address other than 127.0.0.1 whose `port` is free. */
async function freeLoopbackAddress(port) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const a = 20 + Math.floor(Math.random() * 200);
    const b = 1 + Math.floor(Math.random() * 250);
    const c = 1 + Math.floor(Math.random() * 250);
    const host = `127.${a}.${b}.${c}`;
    const free = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, host, () => srv.close(() => resolve(true)));
    });
    if (free) return host;
  }
  throw new Error(`no free loopback address with port ${port}`);
}

/**
 * Starts tcpdump on lo for `host` and `port` (TCP only, or every transport with
 * `transport: 'any'`), writing `file`; resolves once it listens. `port` may be a list: a capture
 * of servers on several default ports (TLS's 443, 8443 ...) on one address.
 */
function startTcpdump(file, host, port, { transport = 'tcp' } = {}) {
  const ports = Array.isArray(port) ? `(${port.map((p) => `port ${p}`).join(' or ')})` : `port ${port}`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'tcpdump',
      [
        '-i',
        'lo',
        '--immediate-mode',
        '-U',
        '-B',
        '16384',
        '-s',
        '0',
        '-w',
        file,
        transport === 'any' ? `host ${host} and ${ports}` : `host ${host} and tcp and ${ports}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${err}`)), 10_000);
    child.stderr.on('data', (d) => {
      err += d;
      if (/listening on/.test(err)) {
        clearTimeout(timer);
        resolve({
          /** Stops the capture (after the last packets are flushed) and waits for tcpdump to exit. */
          stop: () =>
            new Promise((done) => {
              setTimeout(() => {
                child.once('exit', () => {
                  const dropped = /(\d+) packets? dropped by kernel/.exec(err);
                  if (dropped && dropped[1] !== '0') console.error(`tcpdump: ${dropped[0]}: record again`);
                  done(err);
                });
                child.kill('SIGINT');
              }, 300);
            }),
        });
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!/listening on/.test(err)) reject(new Error(`tcpdump exited with ${code}: ${err.trim()}`));
    });
  });
}

module.exports = { freeLoopbackAddress, startTcpdump };
