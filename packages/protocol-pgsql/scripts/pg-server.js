// Starts Debian's PostgreSQL 15 for the recording script and the live test: initdb in a temporary
// directory (as the `postgres` user when run as root: the server refuses root), trust
// authentication, the socket in that directory, listening on `host`:`port` only.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const MISSING = 'PostgreSQL 15 is needed (bash scripts/install-deps.sh installs the postgresql package)';

/** Runs a PostgreSQL program as the unprivileged user when we are root. */
function command(program, args) {
  const exe = path.join(BIN, program);
  if (!fs.existsSync(exe)) throw new Error(`${MISSING}: ${exe} not found`);
  const root = process.getuid && process.getuid() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

/**
 * Creates a cluster in a new temporary directory and starts it on `host`:`port`; resolves once it
 * accepts connections, with `stop()` (fast shutdown, directory removed) and its directory.
 * `hba` lines go before the trust line (e.g. a scram-sha-256 user); `settings` are -c options.
 */
async function startPostgres(host, port, { hba = [], settings = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid && process.getuid() === 0) spawnSync('chown', ['postgres:postgres', dir]);
  const [exe, args] = command('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
    '--locale=C',
  ]);
  const init = spawnSync(exe, args, { encoding: 'utf8' });
  if (init.status !== 0)
    throw new Error(`initdb failed: ${(init.stderr || init.error || '').toString().trim()}`);
  const hbaFile = path.join(data, 'pg_hba.conf');
  fs.writeFileSync(hbaFile, [...hba, 'local all all trust', 'host all all 127.0.0.0/8 trust', ''].join('\n'));
  const opts = {
    fsync: 'off',
    full_page_writes: 'off',
    synchronous_commit: 'off',
    shared_buffers: '16MB',
    max_connections: '20',
    ...settings,
  };
  const flags = Object.entries(opts).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const [pexe, pargs] = command('postgres', [
    '-D',
    data,
    '-k',
    dir,
    '-h',
    host,
    '-p',
    String(port),
    ...flags,
  ]);
  const child = spawn(pexe, pargs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 400; i++) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${log.trim()}`);
    const up = await new Promise((resolve) => {
      const s = net.connect(port, host, () => s.end(() => resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up && /ready to accept connections/.test(log)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    data,
    /** Server log so far. */
    log: () => log,
    /** Fast shutdown, then the directory is removed. */
    stop: async () => {
      // runuser does not pass signals on: the postmaster's own pid is in postmaster.pid.
      if (child.exitCode === null) {
        let pid = child.pid;
        try {
          pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || pid;
        } catch {
          // not written yet: the child itself
        }
        process.kill(pid, 'SIGINT');
      }
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs psql against `host`:`port` with `args` and `input` on stdin; resolves with its output. */
function psql(host, port, args, { input = '', user = 'postgres', password } = {}) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PGSSLMODE: 'disable', PGGSSENCMODE: 'disable', PGCONNECT_TIMEOUT: '10' };
    if (password !== undefined) env.PGPASSWORD = password;
    const child = spawn(
      path.join(BIN, 'psql'),
      ['-h', host, '-p', String(port), '-U', user, '-d', 'postgres', '-X', '-q', ...args],
      { env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', (e) => reject(new Error(`${MISSING}: ${e.message}`)));
    child.once('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

module.exports = { startPostgres, psql };
