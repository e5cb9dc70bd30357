// Starts Debian's MariaDB server for the capture recording and the live test: an empty data
// directory in a temp dir (with --skip-grant-tables the server needs no system tables, so
// mariadb-install-db and its ten seconds are not needed), the socket there too, the given loopback
// address and port, a throw-away self-signed certificate so that clients may upgrade to TLS, and the
// unprivileged `mysql` user when run as root (mariadbd refuses to run as root).
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Whether `host`:`port` accepts a TCP connection now. */
function accepts(host, port) {
  return new Promise((resolve) => {
    const s = net.connect(port, host, () => s.end(() => resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A free TCP port on `host`, picked by the system. */
function freePort(host) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts mariadbd on `host`:`port` (a free port when none is given); resolves with the port and
 * `stop()` once it accepts connections.
 */
async function startMariadb({ host, port: wanted }) {
  const port = wanted ?? (await freePort(host));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-mariadb-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-keyout',
    path.join(dir, 'key.pem'),
    '-out',
    path.join(dir, 'cert.pem'),
  ]);
  const args = [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${path.join(dir, 'mysqld.sock')}`,
    `--pid-file=${path.join(dir, 'mysqld.pid')}`,
    `--log-error=${path.join(dir, 'error.log')}`,
    `--port=${port}`,
    `--bind-address=${host}`,
    '--skip-grant-tables',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=8M',
    `--ssl-cert=${path.join(dir, 'cert.pem')}`,
    `--ssl-key=${path.join(dir, 'key.pem')}`,
  ];
  if (process.getuid && process.getuid() === 0) {
    execFileSync('chown', ['-R', 'mysql:mysql', dir]);
    args.push('--user=mysql');
  }
  const child = spawn('mariadbd', args, { stdio: 'ignore' });
  const failed = new Promise((_, reject) =>
    child.once('error', (e) =>
      reject(
        new Error(`mariadbd could not be started (bash scripts/install-deps.sh installs it): ${e.message}`),
      ),
    ),
  );
  const log = () => {
    try {
      return fs.readFileSync(path.join(dir, 'error.log'), 'utf8').trim().split('\n').slice(-3).join(' | ');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    if (await Promise.race([failed, accepts(host, port)])) return { port, stop, dir };
    if (child.exitCode !== null) {
      const why = log();
      await stop();
      throw new Error(`mariadbd exited with ${child.exitCode}: ${why}`);
    }
    await sleep(25);
  }
  const why = log();
  await stop();
  throw new Error(`mariadbd did not accept connections: ${why}`);
}

module.exports = { startMariadb };
