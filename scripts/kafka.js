#!/usr/bin/env node
// A local Apache Kafka (KRaft, combined broker+controller nodes) for tests and benchmarks.
//
//   node scripts/kafka.js start [--name N] [--nodes 1|3] [--secure] [--full-jit]
//   node scripts/kafka.js stop [--name N]
//   node scripts/kafka.js status [--name N]
//   node scripts/kafka.js size|read --brokers host:port,... --topic T   (message count | every message)
//
// The broker and its dependencies come from Maven Central, resolved by Maven (`mvn`, Debian's
// `maven` package: scripts/install-deps.sh) with strict checksums (Maven checks each file against
// the .sha1 Central publishes) into `.cache/kafka/` under the repository, or $WIREBEAT_CACHE/kafka,
// once. Each node listens on 127.0.0.1 on free ports; a cluster of three formats its storage with
// the three controllers as static voters, so topics can be replicated three times. When we are root
// the nodes run as the system user `wirebeat-kafka` (created if missing).
// A named instance keeps its state (data, logs, config, cluster.json) in $TMPDIR/wirebeat-kafka-<name>.
//
// --secure adds secured listeners to every node next to PLAINTEXT (which brokers and controllers
// use between themselves): SSL, MTLS (client certificate required), NOSAN (a certificate without
// subjectAltName, for verification-mode tests), SASL_SSL and SASL_PLAINTEXT with PLAIN,
// SCRAM-SHA-256 and SCRAM-SHA-512 users; a CA made at start with openssl signs the certificates
// (see scripts/kafka-security.js). cluster.json's `security` says which port is which listener
// (`listeners.<NAME>`: bootstrap host:port list), where the CA and the client certificate are, and
// the users with their passwords.
//
// Test nodes run the JIT's first tier only (-XX:TieredStopAtLevel=1: a broker starts on less CPU);
// --full-jit (start({ fullJit: true })) keeps the full JIT, for benchmarks.
// Also usable as a module: start(), stop(), status(), killNode(), startNode(), KAFKA_VERSION.
'use strict';

const { spawn, spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const security = require('./kafka-security');

/** Kafka 4.1 runs its broker on Java 17 (Debian 12's default JRE); 4.x speaks KRaft only. */
const KAFKA_VERSION = '4.1.1';
/** The Log4j 2 that kafka_2.13 ${KAFKA_VERSION} depends on, for its SLF4J binding. */
const LOG4J_VERSION = '2.24.3';
const KAFKA_USER = 'wirebeat-kafka';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** A failure with a one-line message meant for the user. */
class KafkaScriptError extends Error {}

function log(msg) {
  process.stderr.write(`kafka: ${msg}\n`);
}

function cacheDir() {
  const base = process.env.WIREBEAT_CACHE || path.join(__dirname, '..', '.cache');
  return path.join(base, 'kafka');
}

/** State folder of a named instance. */
function stateDir(name) {
  return path.join(os.tmpdir(), `wirebeat-kafka-${name}`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new KafkaScriptError(`${cmd} failed: ${r.error.message}`);
  if (r.status !== 0) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-15).join('\n');
    throw new KafkaScriptError(`${cmd} ${args.slice(0, 4).join(' ')} ... exited ${r.status}:\n${out}`);
  }
  return r.stdout;
}

/** run() without blocking, so that several JVMs (one per node) start side by side. */
function runAsync(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', (e) => reject(new KafkaScriptError(`${cmd} failed: ${e.message}`)));
    child.on('close', (status) => {
      if (status === 0) return resolve(out);
      const tail = out.trim().split('\n').slice(-15).join('\n');
      reject(new KafkaScriptError(`${cmd} ${args.slice(0, 4).join(' ')} ... exited ${status}:\n${tail}`));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The POM whose runtime dependencies are the broker's class path. */
function brokerPom() {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>wirebeat</groupId><artifactId>kafka-broker</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>${KAFKA_VERSION}</version></dependency>
    <!-- The broker logs through SLF4J 1.7; the distribution binds it to Log4j 2 with this jar. -->
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId>
      <version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;
}

/** Takes a lock folder (mkdir is atomic), waiting while another process holds it. */
async function withLock(dir, fn) {
  const lock = path.join(dir, '.lock');
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let holder = 0;
      try {
        holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        /* being created */
      }
      if (holder && !alive(holder)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new KafkaScriptError(`${lock} held too long`);
      else await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Resolves the broker's jars from Maven Central once (checksums checked by Maven); returns the libs folder. */
async function ensureDistribution() {
  const dir = cacheDir();
  const libs = path.join(dir, `kafka-${KAFKA_VERSION}`, 'libs');
  const done = path.join(dir, `kafka-${KAFKA_VERSION}`, 'complete-1');
  if (fs.existsSync(done)) return libs;
  fs.mkdirSync(dir, { recursive: true });
  return withLock(dir, async () => {
    if (fs.existsSync(done)) return libs;
    const which = spawnSync('/bin/sh', ['-c', 'command -v mvn'], { encoding: 'utf8' });
    if (!(which.stdout || '').trim())
      throw new KafkaScriptError('mvn not found: run scripts/install-deps.sh (Debian package maven)');
    const work = path.join(dir, `resolve-${process.pid}`);
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, 'pom.xml'), brokerPom());
    log(`resolving Apache Kafka ${KAFKA_VERSION} and its dependencies from Maven Central`);
    fs.rmSync(libs, { recursive: true, force: true });
    run(
      'mvn',
      [
        '-B',
        '-q',
        '--strict-checksums',
        `-Dmaven.repo.local=${path.join(dir, 'm2')}`,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${libs}`,
      ],
      { cwd: work },
    );
    fs.rmSync(work, { recursive: true, force: true });
    if (!fs.readdirSync(libs).some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`)))
      throw new KafkaScriptError(`kafka_2.13-${KAFKA_VERSION}.jar missing from ${libs}`);
    fs.writeFileSync(done, '');
    return libs;
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Creates the unprivileged user when we are root; returns the `runuser` prefix (empty otherwise). */
function asUserPrefix() {
  if (!isRoot()) return [];
  if (spawnSync('id', ['-u', KAFKA_USER]).status !== 0) {
    log(`creating system user ${KAFKA_USER}`);
    run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', KAFKA_USER]);
  }
  return ['runuser', '-u', KAFKA_USER, '--'];
}

/** `n` distinct ports nobody listens on now (the OS picks them; all held open until each is known). */
async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      srv.unref();
      servers.push(srv);
      await new Promise((resolve, reject) => {
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((srv) => srv.address().port);
  } finally {
    await Promise.all(servers.map((srv) => new Promise((resolve) => srv.close(() => resolve()))));
  }
}

/** KRaft cluster ids are 16 random bytes in URL-safe base64 without padding. */
function clusterId() {
  return crypto.randomBytes(16).toString('base64url');
}

function readState(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir(name), 'cluster.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function writeState(name, state) {
  fs.writeFileSync(path.join(stateDir(name), 'cluster.json'), JSON.stringify(state, null, 2));
}

function nodeDir(name, id) {
  return path.join(stateDir(name), `node-${id}`);
}

function tlsDir(name) {
  return path.join(stateDir(name), 'tls');
}

function serverProperties(name, node, nodes) {
  const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
  const rf = Math.min(3, nodes.length);
  const secured = Object.entries(node.listeners || {});
  const advertised = [['PLAINTEXT', node.port], ...secured].map(([l, p]) => `${l}://127.0.0.1:${p}`);
  const protocols = secured.map(([l]) => `${l}:${security.SECURE_LISTENERS[l]}`);
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${voters}`,
    `listeners=${[...advertised, `CONTROLLER://127.0.0.1:${node.controllerPort}`].join(',')}`,
    `advertised.listeners=${advertised.join(',')}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=${['PLAINTEXT:PLAINTEXT', 'CONTROLLER:PLAINTEXT', ...protocols].join(',')}`,
    ...(secured.length ? security.listenerProperties(tlsDir(name)) : []),
    `log.dirs=${path.join(nodeDir(name, node.id), 'data')}`,
    `num.partitions=${nodes.length}`,
    `default.replication.factor=${rf}`,
    `offsets.topic.replication.factor=${rf}`,
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${Math.min(2, rf)}`,
    `min.insync.replicas=${Math.min(2, rf)}`,
    'auto.create.topics.enable=true',
    'group.initial.rebalance.delay.ms=0',
    // Small segments and quick leader moves keep the tests short.
    'log.segment.bytes=16777216',
    'controller.quorum.election.timeout.ms=1000',
    'controller.quorum.fetch.timeout.ms=2000',
    'broker.session.timeout.ms=6000',
    'broker.heartbeat.interval.ms=500',
    '',
  ].join('\n');
}

const LOG4J2 = `rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = INFO
`;

/**
 * JVM options. Test nodes run the JIT's first tier only: C2 compiling the start-up code costs CPU a
 * short-lived test broker never earns back (see docs/kafka.md for the figures); benchmarks keep it.
 */
function javaArgs(name, libs, fullJit = false) {
  const heap = process.env.WIREBEAT_KAFKA_HEAP || '-Xms128m -Xmx256m';
  return [
    ...heap.split(/\s+/).filter(Boolean),
    '-XX:+UseSerialGC',
    ...(fullJit ? [] : ['-XX:TieredStopAtLevel=1']),
    `-Dlog4j2.configurationFile=${path.join(stateDir(name), 'log4j2.properties')}`,
    '-cp',
    `${libs}/*`,
  ];
}

/** Launches one node detached; its pid goes into the state. */
function launch(name, libs, node, fullJit) {
  const dir = nodeDir(name, node.id);
  const out = fs.openSync(path.join(dir, 'server.log'), 'a');
  const cmd = [
    ...asUserPrefix(),
    'java',
    ...javaArgs(name, libs, fullJit),
    'kafka.Kafka',
    path.join(dir, 'server.properties'),
  ];
  const child = spawn(cmd[0], cmd.slice(1), {
    detached: true,
    stdio: ['ignore', out, out],
    env: { PATH: process.env.PATH, HOME: dir },
  });
  fs.closeSync(out);
  child.unref();
  // runuser keeps the java process as its child: killing runuser's group reaches java too.
  return child.pid;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Resolves when the node's log says the server started (a restart appends a new line). */
async function waitStarted(name, node, pid, since) {
  const file = path.join(nodeDir(name, node.id), 'server.log');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!alive(pid)) throw new KafkaScriptError(`Kafka node ${node.id} exited; log tail:\n${tail(file)}`);
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8').slice(since);
    } catch {
      /* not yet written */
    }
    if (/Kafka Server started/.test(text)) return;
    await sleep(200);
  }
  throw new KafkaScriptError(
    `Kafka node ${node.id} not started after ${START_TIMEOUT_MS / 1000}s:\n${tail(file)}`,
  );
}

/** The `host:port` bootstrap list of an instance (its PLAINTEXT listener, or the one named). */
function bootstrap(state, listener = 'PLAINTEXT') {
  return state.nodes.map((n) => `127.0.0.1:${listener === 'PLAINTEXT' ? n.port : n.listeners[listener]}`);
}

/** What clients of a --secure instance need: listeners' bootstrap lists, CA, client certificate, users. */
function securityInfo(state, files) {
  const listeners = {};
  for (const l of Object.keys(security.SECURE_LISTENERS)) listeners[l] = bootstrap(state, l);
  return { listeners, ...files, users: security.USERS };
}

/**
 * Starts a named instance of `nodes` combined nodes (1 or 3) unless it runs; resolves once every
 * node has started. `started` says whether this call started it; `security` (with `secure`) says
 * where the secured listeners, the CA and the users are. `fullJit` is for benchmarks.
 */
async function start({ name = 'default', nodes = 1, secure = false, fullJit = false } = {}) {
  const current = readState(name);
  // A running instance is reused when it has the listeners asked for.
  if (current && !!current.security === secure && current.nodes.every((n) => n.pid && alive(n.pid))) {
    return { brokers: bootstrap(current), started: false, state: current, security: current.security };
  }
  if (current) await stop({ name });
  const libs = await ensureDistribution();
  const dir = stateDir(name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'log4j2.properties'), LOG4J2);
  const state = { name, clusterId: clusterId(), libs, fullJit, nodes: [] };
  const secured = secure ? Object.keys(security.SECURE_LISTENERS) : [];
  const ports = await freePorts(nodes * (2 + secured.length));
  for (let i = 1; i <= nodes; i++) {
    const node = { id: i, port: ports.shift(), controllerPort: ports.shift(), pid: 0 };
    if (secure) node.listeners = Object.fromEntries(secured.map((l) => [l, ports.shift()]));
    state.nodes.push(node);
  }
  if (secure) {
    const files = security.makeCertificates(tlsDir(name), (args) => run('openssl', args));
    state.security = securityInfo(state, files);
  }
  const prefix = asUserPrefix();
  for (const node of state.nodes) {
    const nd = nodeDir(name, node.id);
    fs.mkdirSync(nd, { recursive: true });
    fs.writeFileSync(path.join(nd, 'server.properties'), serverProperties(name, node, state.nodes));
  }
  if (prefix.length) {
    run('chown', ['-R', `${KAFKA_USER}:${KAFKA_USER}`, dir]);
    run('chmod', ['755', dir]);
  }
  // One JVM per node formats its storage; they run side by side (seconds each on a busy machine).
  await Promise.all(
    state.nodes.map((node) =>
      runAsync(prefix[0] || 'java', [
        ...prefix.slice(1),
        ...(prefix.length ? ['java'] : []),
        ...javaArgs(name, libs),
        'kafka.tools.StorageTool',
        'format',
        // `=`: an id may begin with '-'.
        `--cluster-id=${state.clusterId}`,
        ...(secure ? security.scramFormatArgs() : []),
        '-c',
        path.join(nodeDir(name, node.id), 'server.properties'),
      ]),
    ),
  );
  log(`starting Kafka ${KAFKA_VERSION}: ${nodes} node(s) on ${state.nodes.map((n) => n.port).join(', ')}`);
  for (const node of state.nodes) node.pid = launch(name, libs, node, fullJit);
  writeState(name, state);
  await Promise.all(state.nodes.map((n) => waitStarted(name, n, n.pid, 0)));
  return { brokers: bootstrap(state), started: true, state, security: state.security };
}

/** Kills one node at once (SIGKILL: a crash, not a clean shutdown) and waits for it to exit. */
async function killNode({ name = 'default', id, signal = 'SIGKILL' }) {
  const state = readState(name);
  const node = state && state.nodes.find((n) => n.id === id);
  if (!node) throw new KafkaScriptError(`no node ${id} in instance ${name}`);
  await terminate(node.pid, signal);
  node.pid = 0;
  writeState(name, state);
}

/** Starts a stopped node again on its data; resolves once it has started. */
async function startNode({ name = 'default', id }) {
  const state = readState(name);
  const node = state && state.nodes.find((n) => n.id === id);
  if (!node) throw new KafkaScriptError(`no node ${id} in instance ${name}`);
  if (node.pid && alive(node.pid)) return;
  const since = fs.statSync(path.join(nodeDir(name, id), 'server.log')).size;
  node.pid = launch(name, state.libs, node, state.fullJit);
  writeState(name, state);
  await waitStarted(name, node, node.pid, since);
}

async function terminate(pid, signal = 'SIGTERM') {
  if (!pid || !alive(pid)) return;
  try {
    process.kill(-pid, signal);
  } catch {
    process.kill(pid, signal);
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) {
    process.kill(-pid, 'SIGKILL');
    while (alive(pid)) await sleep(100);
  }
}

/** Stops every node of the instance and removes its state. */
async function stop({ name = 'default' } = {}) {
  const state = readState(name);
  if (!state) return { stopped: false };
  await Promise.all(state.nodes.map((n) => terminate(n.pid)));
  fs.rmSync(stateDir(name), { recursive: true, force: true });
  return { stopped: true };
}

/** Which nodes of the instance run. */
function status({ name = 'default' } = {}) {
  const state = readState(name);
  if (!state) return { running: false, nodes: [] };
  const nodes = state.nodes.map((n) => ({ id: n.id, port: n.port, running: !!n.pid && alive(n.pid) }));
  return { running: nodes.every((n) => n.running), brokers: bootstrap(state), nodes };
}

/** @platformatic/kafka (an ES module, required natively by Node 20.19+), from the publisher's dependencies. */
function kafkaClient() {
  const from = path.join(__dirname, '..', 'packages', 'publisher');
  return require(require.resolve('@platformatic/kafka', { paths: [from] }));
}

function reader(brokers) {
  const lib = kafkaClient();
  return new lib.Consumer({
    clientId: 'wirebeat-reader',
    groupId: `wirebeat-reader-${process.pid}-${crypto.randomBytes(4).toString('hex')}`,
    bootstrapBrokers: brokers,
    deserializers: lib.stringDeserializers,
    // close() waits for the fetch in flight: the default 5 s long poll made every read 5 s longer.
    maxWaitTime: 100,
  });
}

/** Messages in `topic` (sum of its partitions' end offsets); 0 while it does not exist. */
async function topicSize(brokers, topic) {
  const c = reader(brokers);
  try {
    const offsets = await c.listOffsets({ topics: [topic] });
    return (offsets.get(topic) || []).reduce((sum, o) => sum + Number(o), 0);
  } catch {
    return 0;
  } finally {
    await c.close().catch(() => undefined);
  }
}

/** Calls `onMessage(value)` for the first `count` messages of `topic`, from its start. */
async function readTopic(brokers, topic, count, onMessage) {
  const lib = kafkaClient();
  const c = reader(brokers);
  try {
    if (count === 0) return;
    const stream = await c.consume({
      topics: [topic],
      mode: lib.MessagesStreamModes.EARLIEST,
      autocommit: false,
    });
    let n = 0;
    for await (const m of stream) {
      onMessage(m.value);
      if (++n >= count) break;
    }
    await stream.close();
  } finally {
    await c.close().catch(() => undefined);
  }
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--name') opts.name = argv[++i];
    else if (a === '--brokers') opts.brokers = argv[++i].split(',');
    else if (a === '--topic') opts.topic = argv[++i];
    else if (a === '--secure') opts.secure = true;
    else if (a === '--full-jit') opts.fullJit = true;
    else if (a === '--nodes') {
      opts.nodes = Number(argv[++i]);
      if (![1, 3].includes(opts.nodes)) throw new KafkaScriptError('--nodes must be 1 or 3');
    } else throw new KafkaScriptError(`unknown option ${a}`);
  }
  return opts;
}

async function main() {
  const [cmd, ...rest] = process.argv.slice(2);
  const opts = parseArgs(rest);
  if (cmd === 'start') {
    const r = await start(opts);
    console.log(
      `${r.started ? 'started' : 'already running'}: ${r.brokers.join(',')} (Kafka ${KAFKA_VERSION})`,
    );
    if (r.security) {
      for (const [l, hosts] of Object.entries(r.security.listeners))
        console.log(`  ${l}: ${hosts.join(',')}`);
      console.log(`  CA: ${r.security.ca}`);
    }
  } else if (cmd === 'stop') {
    const r = await stop(opts);
    console.log(r.stopped ? 'stopped' : 'not running');
  } else if (cmd === 'status') {
    const r = status(opts);
    console.log(r.running ? `running: ${r.brokers.join(',')}` : 'not running');
    process.exitCode = r.running ? 0 : 1;
  } else if (cmd === 'size') {
    console.log(await topicSize(opts.brokers, opts.topic));
  } else if (cmd === 'read') {
    // Every message of the topic, one per line (values are single-line JSON events).
    const n = await topicSize(opts.brokers, opts.topic);
    const out = [];
    await readTopic(opts.brokers, opts.topic, n, (v) => out.push(v));
    process.stdout.write(out.map((v) => `${v}\n`).join(''));
  } else {
    throw new KafkaScriptError(
      'usage: node scripts/kafka.js start|stop|status [--name N] [--nodes 1|3] [--secure] [--full-jit] | size|read --brokers h:p,... --topic T',
    );
  }
}

module.exports = {
  start,
  stop,
  status,
  killNode,
  startNode,
  topicSize,
  readTopic,
  ensureDistribution,
  KAFKA_VERSION,
  KafkaScriptError,
};

if (require.main === module) {
  main().catch((e) => {
    if (e instanceof KafkaScriptError) console.error(`kafka: ${e.message}`);
    else console.error(`kafka: unexpected error: ${e && e.message}`);
    process.exit(1);
  });
}
