#!/usr/bin/env node
// A local single-node Elasticsearch for development, tests and benchmarks.
//
//   node scripts/es.js start [--port 9200] [--transport-port N] [--queue-size N] [--processors N]
//                            [--keep-data] [--secure]
//   node scripts/es.js cluster --ports 9206,9207,9208 [--transport-ports 9306,9307,9308]
//   node scripts/es.js stop [--port 9200]
//   node scripts/es.js status [--port 9200]
//
// It downloads the integ-test-zip distribution from Maven Central into a cache folder once
// (`.cache/elasticsearch/` under the repository, or $WIREBEAT_CACHE/elasticsearch), checks it
// against the `.sha512` file Maven Central publishes next to it (downloads again once on a
// mismatch, then refuses), unpacks it and runs it bound to 127.0.0.1 with security off and a
// 512 MB heap. Elasticsearch refuses to run as
// root, so when we are root it runs as the system user `wirebeat-es` (created if missing).
// Each port is its own instance with its state (data, logs, config, pid file) in
// $TMPDIR/wirebeat-es-<port>, so a second instance with a tiny write queue can run next to the first.
// --queue-size/--processors set thread_pool.write.queue_size and node.processors (overload tests);
// --secure turns on HTTPS with a throw-away CA and a file-realm user (TLS/auth tests);
// --keep-data restarts on the existing data (outage tests); otherwise start begins empty.
// The default port is $ES_PORT, else 9200.
// Also usable as a module: start(), stop(), status(), secureAccess(), verifySha512(), ES_VERSION.
'use strict';

const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const http = require('http');
const os = require('os');
const path = require('path');

/** The Elasticsearch version we run: integ-test-zip of 8.19.21 resolves on Maven Central and runs on Java 17. */
const ES_VERSION = '8.19.21';
const ZIP_URL =
  'https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/' +
  `${ES_VERSION}/elasticsearch-${ES_VERSION}.zip`;
const ES_USER = 'wirebeat-es';
const SECURE_USER = 'wirebeat';
const SECURE_PASSWORD = 'wirebeat-secret';
const DEFAULT_PORT = Number(process.env.ES_PORT || 9200);
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

/** A failure with a one-line message meant for the user (no stack trace). */
class EsScriptError extends Error {}

function cacheDir() {
  const base = process.env.WIREBEAT_CACHE || path.join(__dirname, '..', '.cache');
  return path.join(base, 'elasticsearch');
}

/** Where one instance keeps its data, logs, config copy and pid file. */
function stateDir(port) {
  return path.join(os.tmpdir(), `wirebeat-es-${port}`);
}

function pidFile(port) {
  return path.join(stateDir(port), 'es.pid');
}

function log(msg) {
  process.stderr.write(`es: ${msg}\n`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new EsScriptError(`${cmd} failed: ${r.error.message}`);
  if (r.status !== 0)
    throw new EsScriptError(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || '').trim()}`);
  return r.stdout;
}

/** JAVA_HOME for Elasticsearch: $ES_JAVA_HOME, $JAVA_HOME, or the home of `java` on PATH. */
function findJavaHome() {
  for (const v of [process.env.ES_JAVA_HOME, process.env.JAVA_HOME]) {
    if (v && fs.existsSync(path.join(v, 'bin', 'java'))) return v;
  }
  const which = spawnSync('/bin/sh', ['-c', 'command -v java'], { encoding: 'utf8' });
  const java = (which.stdout || '').trim();
  if (!java) throw new EsScriptError('no Java found: install a JDK 17+ or set JAVA_HOME');
  return path.dirname(path.dirname(fs.realpathSync(java)));
}

/** GET `url` (http or https, following redirects); resolves with the 200 response. */
function get(url, redirects = 5) {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? https : http).get(url, (res) => {
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && redirects > 0) {
        res.resume();
        resolve(get(new URL(res.headers.location, url).toString(), redirects - 1));
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        reject(new EsScriptError(`download failed: HTTP ${res.statusCode} for ${url}`));
        return;
      }
      resolve(res);
    });
    req.on('error', (e) => reject(new EsScriptError(`download failed: ${e.message} (${url})`)));
  });
}

async function download(url, dest) {
  const res = await get(url);
  await new Promise((resolve, reject) => {
    const out = fs.createWriteStream(dest);
    res.pipe(out);
    out.on('finish', () => out.close(() => resolve()));
    out.on('error', (e) => reject(new EsScriptError(`download failed: ${e.message}`)));
    res.on('error', (e) => reject(new EsScriptError(`download failed: ${e.message}`)));
  });
}

async function fetchText(url) {
  const res = await get(url);
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk;
  return text;
}

/** The hex digest of a `.sha512` file (Maven Central's: the digest, optionally followed by a file name). */
function parseSha512File(text) {
  const m = /^\s*([0-9a-fA-F]{128})(\s|$)/.exec(text);
  if (!m) throw new EsScriptError(`not a SHA-512 digest file: ${JSON.stringify(text.slice(0, 80))}`);
  return m[1].toLowerCase();
}

/** SHA-512 of a file, as lowercase hex. */
async function sha512Of(file) {
  const hash = crypto.createHash('sha512');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** Resolves when `file` has the SHA-512 `expectedHex`; rejects with both digests otherwise. */
async function verifySha512(file, expectedHex, name = path.basename(file)) {
  const actual = await sha512Of(file);
  if (actual !== String(expectedHex).toLowerCase()) {
    throw new EsScriptError(`SHA-512 mismatch for ${name}: expected ${expectedHex}, got ${actual}`);
  }
}

/**
 * Downloads `url` to `dest` and checks it against the digest published at `url`.sha512 (a file
 * already at `dest` is checked first and kept when it matches). A mismatch is downloaded again once,
 * then refused: the bad file is deleted and the error names both digests.
 */
async function downloadVerified(url, dest, attempts = 2) {
  const expected = parseSha512File(await fetchText(`${url}.sha512`));
  if (fs.existsSync(dest)) {
    try {
      await verifySha512(dest, expected);
      return;
    } catch (e) {
      log(`${e.message}: downloading it again`);
      fs.rmSync(dest, { force: true });
    }
  }
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    log(`downloading ${url}`);
    const part = `${dest}.${process.pid}.part`;
    try {
      await download(url, part);
      await verifySha512(part, expected, path.basename(dest));
      fs.renameSync(part, dest);
      return;
    } catch (e) {
      fs.rmSync(part, { force: true });
      lastError = e;
      if (!String(e.message).startsWith('SHA-512 mismatch')) throw e;
      log(e.message);
    }
  }
  throw new EsScriptError(`refusing ${url}: ${lastError.message} (after ${attempts} downloads)`);
}

/** Downloads (verified against Maven Central's SHA-512) and unpacks the distribution once; returns its home. */
async function ensureDistribution() {
  const dir = cacheDir();
  const home = path.join(dir, `elasticsearch-${ES_VERSION}`);
  if (fs.existsSync(path.join(home, 'bin', 'elasticsearch'))) return home;
  fs.mkdirSync(dir, { recursive: true });
  const zip = path.join(dir, `elasticsearch-${ES_VERSION}.zip`);
  await downloadVerified(ZIP_URL, zip);
  const tmp = path.join(dir, `unpack-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  const r = spawnSync('unzip', ['-q', zip, '-d', tmp], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new EsScriptError(
      `cannot unpack ${zip}: ${r.error ? r.error.message : r.stderr.trim()} (is unzip installed?)`,
    );
  }
  const inner = path.join(tmp, `elasticsearch-${ES_VERSION}`);
  if (!fs.existsSync(home)) fs.renameSync(inner, home);
  fs.rmSync(tmp, { recursive: true, force: true });
  return home;
}

/** Creates the unprivileged user when we are root; returns the `runuser` prefix (empty otherwise). */
function asUserPrefix() {
  if (!isRoot()) return [];
  if (spawnSync('id', ['-u', ES_USER]).status !== 0) {
    log(`creating system user ${ES_USER}`);
    run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ES_USER]);
  }
  return ['runuser', '-u', ES_USER, '--'];
}

function readPid(port) {
  try {
    const pid = Number(fs.readFileSync(pidFile(port), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function isSecure(port) {
  return fs.existsSync(path.join(stateDir(port), 'secure'));
}

/** Base URL of our instance on `port` (https for a --secure one). */
function baseUrl(port) {
  return `${isSecure(port) ? 'https' : 'http'}://127.0.0.1:${port}`;
}

function getJson(url, timeoutMs = 5000) {
  const port = Number(new URL(url).port);
  const secure = url.startsWith('https:');
  const opts = { timeout: timeoutMs };
  if (secure) {
    opts.ca = fs.readFileSync(path.join(stateDir(port), 'config', 'certs', 'ca.crt'));
    opts.auth = `${SECURE_USER}:${SECURE_PASSWORD}`;
  }
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).get(url, opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, body: JSON.parse(body) });
        } catch {
          resolve({ status: res.statusCode, body });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 25) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function logTails(port) {
  const dir = stateDir(port);
  return [tail(path.join(dir, 'startup.log')), tail(path.join(dir, 'logs', `wirebeat-${port}.log`))]
    .filter(Boolean)
    .join('\n');
}

/**
 * For `--secure`: a CA and a certificate for 127.0.0.1/localhost (openssl), HTTPS on, and the file
 * realm user `wirebeat` / `wirebeat-secret` (superuser). The CA is left in <state>/config/certs/ca.crt.
 */
function setUpSecurity(home, dir, prefix) {
  const certs = path.join(dir, 'config', 'certs');
  fs.mkdirSync(certs, { recursive: true });
  const ssl = (args) => run('openssl', args, { cwd: certs });
  ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=wirebeat test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  ssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'node.key',
    '-out',
    'node.csr',
  ]);
  fs.writeFileSync(path.join(certs, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl([
    'x509',
    '-req',
    '-in',
    'node.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'node.crt',
  ]);
  if (prefix.length) run('chown', ['-R', `${ES_USER}:${ES_USER}`, dir]);
  const [cmd, ...args] = [...prefix, path.join(home, 'bin', 'elasticsearch-users')];
  run(cmd, [...args, 'useradd', SECURE_USER, '-p', SECURE_PASSWORD, '-r', 'superuser'], {
    env: {
      PATH: process.env.PATH,
      ES_JAVA_HOME: findJavaHome(),
      ES_PATH_CONF: path.join(dir, 'config'),
      HOME: dir,
    },
  });
  fs.writeFileSync(path.join(dir, 'secure'), '');
}

/** Reports whether our instance on `port` is running and healthy. */
async function status({ port = DEFAULT_PORT } = {}) {
  const pid = readPid(port);
  const url = baseUrl(port);
  if (!pid || !alive(pid)) return { running: false, url, pid: undefined };
  try {
    // integ-test-zip has no `GET /` handler (the rest-root module is absent): ask the nodes API.
    const r = await getJson(`${url}/_nodes/_local?filter_path=nodes.*.version`);
    const nodes = r.body && r.body.nodes ? Object.values(r.body.nodes) : [];
    return { running: r.status === 200, url, pid, version: nodes.length ? nodes[0].version : undefined };
  } catch {
    return { running: false, url, pid };
  }
}

/**
 * JVM options of a test node: the JIT's first tier only. A node then starts on about half the CPU
 * (measured: 7.4 s instead of 15 s of CPU for one start, idle machine), which matters when test
 * suites start 14 nodes on 2 cores; benchmarks pass their own options (the full JIT).
 */
const TEST_JIT = '-XX:TieredStopAtLevel=1';

/**
 * Starts the instance on `port` unless it already runs; resolves when the cluster is yellow.
 * `started` says whether this call started it (so the caller knows whether to stop it).
 */
async function start({
  port = DEFAULT_PORT,
  transportPort = port + 100,
  queueSize,
  processors,
  keepData = false,
  secure = false,
  cluster,
  javaOpts = process.env.WIREBEAT_ES_JAVA_OPTS || `-Xms512m -Xmx512m ${TEST_JIT}`,
} = {}) {
  const current = await status({ port });
  if (current.running) {
    if (!cluster) await waitHealthy(port, current.pid);
    return { url: current.url, pid: current.pid, started: false };
  }
  const javaHome = findJavaHome();
  const home = await ensureDistribution();
  const prefix = asUserPrefix();
  const dir = stateDir(port);
  const stalePid = readPid(port);
  if (stalePid && alive(stalePid)) {
    throw new EsScriptError(
      `process ${stalePid} from ${pidFile(port)} is running but does not answer on port ${port}`,
    );
  }
  if (!keepData) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  fs.rmSync(path.join(dir, 'config'), { recursive: true, force: true });
  fs.cpSync(path.join(home, 'config'), path.join(dir, 'config'), { recursive: true });
  fs.rmSync(pidFile(port), { force: true });
  if (keepData && isSecure(port)) secure = true;
  if (secure) setUpSecurity(home, dir, prefix);
  if (prefix.length) {
    run('chown', ['-R', `${ES_USER}:${ES_USER}`, home]);
    run('chown', ['-R', `${ES_USER}:${ES_USER}`, dir]);
    // The user must be able to traverse to the cache folder and the state folder.
    run('chmod', ['755', dir]);
  }
  const settings = {
    'cluster.name': `wirebeat-${port}`,
    'node.name': `wirebeat-${port}`,
    'network.host': '127.0.0.1',
    'http.port': String(port),
    'transport.port': String(transportPort),
    'xpack.security.enabled': 'false',
    'path.data': path.join(dir, 'data'),
    'path.logs': path.join(dir, 'logs'),
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
    'action.auto_create_index': 'true',
  };
  if (cluster) {
    // One cluster of several nodes: each finds the others on their transport ports, and the first
    // election may only count the named nodes (a node started alone never forms a cluster of its own).
    Object.assign(settings, {
      'cluster.name': cluster.name,
      'discovery.seed_hosts': cluster.transportPorts.map((p) => `127.0.0.1:${p}`).join(','),
      'cluster.initial_master_nodes': cluster.ports.map((p) => `wirebeat-${p}`).join(','),
    });
  } else settings['discovery.type'] = 'single-node';
  if (secure) {
    Object.assign(settings, {
      'xpack.security.enabled': 'true',
      'xpack.security.http.ssl.enabled': 'true',
      'xpack.security.http.ssl.certificate': 'certs/node.crt',
      'xpack.security.http.ssl.key': 'certs/node.key',
      'xpack.security.http.ssl.certificate_authorities': 'certs/ca.crt',
      'xpack.security.transport.ssl.enabled': 'false',
    });
  }
  if (queueSize !== undefined) settings['thread_pool.write.queue_size'] = String(queueSize);
  if (processors !== undefined) settings['node.processors'] = String(processors);
  const args = [
    ...prefix,
    path.join(home, 'bin', 'elasticsearch'),
    '-d',
    '-p',
    pidFile(port),
    ...Object.entries(settings).map(([k, v]) => `-E${k}=${v}`),
  ];
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    ES_JAVA_HOME: javaHome,
    ES_PATH_CONF: path.join(dir, 'config'),
    ES_TMPDIR: path.join(dir, 'tmp'),
    ES_JAVA_OPTS: javaOpts,
    // The launcher JVM (options, plugin sync, then waits for the server) lives a few seconds: the
    // JIT's first tier is enough, and cuts its CPU from about 2.8 s to 1.8 s per start.
    CLI_JAVA_OPTS: '-Xms32m -Xmx64m -XX:TieredStopAtLevel=1',
  };
  log(`starting Elasticsearch ${ES_VERSION} on 127.0.0.1:${port} (state in ${dir})`);
  const out = fs.openSync(path.join(dir, 'startup.log'), 'a');
  const [cmd, ...rest] = args;
  // `elasticsearch -d` returns once the node has started; awaited (not spawnSync) so that the nodes
  // of a cluster start side by side.
  const r = await runUntilExit(cmd, rest, { env, stdio: ['ignore', out, out] }, START_TIMEOUT_MS);
  fs.closeSync(out);
  if (r.error || r.status !== 0) {
    throw new EsScriptError(
      `Elasticsearch did not start (${r.error ? r.error.message : `exit ${r.status}`}); log tail:\n${logTails(port)}`,
    );
  }
  const pid = readPid(port);
  if (!pid)
    throw new EsScriptError(`Elasticsearch did not write ${pidFile(port)}; log tail:\n${logTails(port)}`);
  // A cluster node waits for its peers: startCluster() checks the health once all are up.
  if (!cluster) await waitHealthy(port, pid);
  return { url: baseUrl(port), pid, started: true };
}

/**
 * Starts (or joins, for a node restarted with keepData) a cluster of nodes on `ports`, transport
 * on `transportPorts`; resolves when the cluster has every node and is at least yellow.
 * A node already running is kept.
 */
async function startCluster({
  ports,
  transportPorts = ports.map((p) => p + 100),
  keepData = false,
  javaOpts = `-Xms256m -Xmx256m ${TEST_JIT}`,
}) {
  const cluster = { name: `wirebeat-cluster-${ports[0]}`, ports, transportPorts };
  // One download for all the nodes (each start would otherwise race for the same file).
  await ensureDistribution();
  const results = await Promise.all(
    ports.map((port, i) => start({ port, transportPort: transportPorts[i], keepData, cluster, javaOpts })),
  );
  const started = results.map((r) => r.started);
  await waitClusterHealthy(ports, ports.length);
  return { urls: ports.map(baseUrl), started: started.some(Boolean) };
}

/** Resolves when the node on one of `ports` reports `nodes` nodes and a yellow (or green) cluster. */
async function waitClusterHealthy(ports, nodes) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    for (const port of ports) {
      const pid = readPid(port);
      if (!pid || !alive(pid)) continue;
      try {
        const r = await getJson(
          `${baseUrl(port)}/_cluster/health?wait_for_status=yellow&wait_for_nodes=${nodes}&timeout=5s`,
          10_000,
        );
        if (r.status === 200) return;
        last = `HTTP ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`;
      } catch (e) {
        last = e.message;
      }
    }
    await sleep(500);
  }
  throw new EsScriptError(
    `cluster on ${ports.join(', ')} not healthy after ${START_TIMEOUT_MS / 1000}s (${last}); log tail:\n${logTails(ports[0])}`,
  );
}

/** Kills one node at once (SIGKILL: a crash) and waits for it to exit; its data is kept. */
async function killNode({ port }) {
  const pid = readPid(port);
  if (!pid || !alive(pid)) return { killed: false };
  process.kill(pid, 'SIGKILL');
  while (alive(pid)) await sleep(100);
  return { killed: true, pid };
}

/** Runs a command to its exit (killed after `timeoutMs`); resolves with { status } or { error }. */
function runUntilExit(cmd, args, opts, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, opts);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error });
    });
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      resolve(signal ? { error: new Error(`killed by ${signal}`) } : { status });
    });
  });
}

async function waitHealthy(port, pid) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (!alive(pid))
      throw new EsScriptError(`Elasticsearch exited while starting; log tail:\n${logTails(port)}`);
    try {
      const r = await getJson(`${baseUrl(port)}/_cluster/health?wait_for_status=yellow&timeout=5s`, 10_000);
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(500);
  }
  throw new EsScriptError(
    `Elasticsearch not healthy after ${START_TIMEOUT_MS / 1000}s (${last}); log tail:\n${logTails(port)}`,
  );
}

/** Stops our instance on `port` (SIGTERM, then SIGKILL after a minute) and waits for it to exit. */
async function stop({ port = DEFAULT_PORT } = {}) {
  const pid = readPid(port);
  if (!pid || !alive(pid)) {
    fs.rmSync(pidFile(port), { force: true });
    return { stopped: false };
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) {
    log(`pid ${pid} did not stop in ${STOP_TIMEOUT_MS / 1000}s, killing it`);
    process.kill(pid, 'SIGKILL');
    while (alive(pid)) await sleep(100);
  }
  fs.rmSync(pidFile(port), { force: true });
  return { stopped: true, pid };
}

function parseArgs(argv) {
  const opts = { port: DEFAULT_PORT };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) throw new EsScriptError(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--port') opts.port = num();
    else if (a === '--queue-size') opts.queueSize = num();
    else if (a === '--processors') opts.processors = num();
    else if (a === '--transport-port') opts.transportPort = num();
    else if (a === '--keep-data') opts.keepData = true;
    else if (a === '--ports' || a === '--transport-ports') {
      const list = String(argv[++i] || '')
        .split(',')
        .map(Number);
      if (!list.every((v) => Number.isInteger(v) && v > 0))
        throw new EsScriptError(`${a} needs port numbers`);
      opts[a === '--ports' ? 'ports' : 'transportPorts'] = list;
    } else if (a === '--secure') opts.secure = true;
    else throw new EsScriptError(`unknown option ${a}`);
  }
  return opts;
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const opts = parseArgs(rest);
  if (cmd === 'start') {
    const r = await start(opts);
    console.log(
      `${r.started ? 'started' : 'already running'}: ${r.url} (pid ${r.pid}, Elasticsearch ${ES_VERSION})`,
    );
  } else if (cmd === 'cluster') {
    if (!opts.ports) throw new EsScriptError('cluster needs --ports');
    const r = await startCluster(opts);
    console.log(`${r.started ? 'started' : 'already running'}: ${r.urls.join(' ')}`);
  } else if (cmd === 'stop') {
    const r = await stop(opts);
    console.log(r.stopped ? `stopped pid ${r.pid}` : `not running on port ${opts.port}`);
  } else if (cmd === 'status') {
    const r = await status(opts);
    console.log(
      r.running
        ? `running: ${r.url} (pid ${r.pid}, Elasticsearch ${r.version})`
        : `not running on port ${opts.port}`,
    );
    process.exitCode = r.running ? 0 : 1;
  } else {
    throw new EsScriptError(
      'usage: node scripts/es.js start|stop|status [--port N] | cluster --ports A,B,C [--transport-ports ...] [--transport-port N] [--queue-size N] [--processors N] [--keep-data] [--secure]',
    );
  }
}

/** Credentials and CA of a --secure instance (test fixtures, not secrets). */
function secureAccess(port = DEFAULT_PORT) {
  return {
    username: SECURE_USER,
    password: SECURE_PASSWORD,
    ca: path.join(stateDir(port), 'config', 'certs', 'ca.crt'),
  };
}

module.exports = {
  start,
  startCluster,
  waitClusterHealthy,
  killNode,
  stop,
  status,
  secureAccess,
  alive,
  ES_VERSION,
  EsScriptError,
  stateDir,
  parseSha512File,
  verifySha512,
  downloadVerified,
};

if (require.main === module) {
  main().catch((e) => {
    if (e instanceof EsScriptError) console.error(`es: ${e.message}`);
    else console.error(`es: unexpected error: ${e && e.message}`);
    process.exit(1);
  });
}
