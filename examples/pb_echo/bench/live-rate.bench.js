// Live capture at a fixed rate: the echo server (examples/echo-server) on a free loopback port, the
// built pb_echo capturing `-i lo` at its DEFAULT capture settings, and a client (its own process,
// so that its CPU does not mix with the bench's) sending LIVE_RATE echo transactions per second
// (default 30,000) for LIVE_SECONDS (default 60) over LIVE_CONNECTIONS connections (default 10):
// every millisecond tick it writes, on each connection, the requests that are due, pipelined in one
// write. Then the beat is stopped with SIGINT (it drains) and the bench prints what was sent, the
// rate achieved, the events the beat published (lines of its stdout), the capture loss it saw
// (capture_missed_bytes, gaps), its CPU (capture process included) and the machine's load.
// Target (issue 20): no capture loss at 30,000 transactions/s for 60 s with the default settings.
// LIVE_WORKERS=1,2 runs the beat once per value of pb_echo.workers (default 1, the default setting).
// On a shared machine the figures depend on what else runs: every line carries the load.
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');

const ROOT = path.resolve(__dirname, '../../..');
const BEAT = path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js');
const SERVER = path.join(ROOT, 'examples/echo-server/dist/server-main.js');
const RATE = Number(process.env.LIVE_RATE || 30_000);
const SECONDS = Number(process.env.LIVE_SECONDS || 60);
const CONNECTIONS = Number(process.env.LIVE_CONNECTIONS || 10);
const WORKERS = (process.env.LIVE_WORKERS || '1').split(',').map((w) => w.trim());
// More beat arguments, for comparisons (`LIVE_BEAT_ARGS='-E pb_echo.interfaces.capture_nice=0'`).
const BEAT_ARGS = (process.env.LIVE_BEAT_ARGS || '').split(/\s+/).filter(Boolean);
const TICKS_PER_S = 100; // clock ticks of /proc/<pid>/stat (USER_HZ: 100 on Linux)
const REQUEST = Buffer.from('>0123456789abc\n'); // 15 bytes; the server answers '<0123456789abc\n'

/** The client (its own process): paces pipelined requests per 1 ms tick, counts the replies. */
async function client(port, rate, seconds, connections) {
  const socks = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise((resolve, reject) => {
          const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  // Requests of one write come from one prebuilt block: no per-request work on the client.
  const block = Buffer.alloc(REQUEST.length * 4096);
  for (let i = 0; i < 4096; i++) REQUEST.copy(block, i * REQUEST.length);
  let received = 0;
  for (const s of socks) {
    s.setNoDelay(true);
    s.on('data', (d) => {
      let at = -1;
      while ((at = d.indexOf(10, at + 1)) !== -1) received++;
    });
  }
  const total = Math.round(rate * seconds);
  let sent = 0;
  let maxLagMs = 0;
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let lastTick = t0;
  await new Promise((done) => {
    const tick = () => {
      const now = performance.now();
      maxLagMs = Math.max(maxLagMs, now - lastTick);
      lastTick = now;
      const due = Math.min(total, Math.floor(((now - t0) / 1000) * rate));
      let n = due - sent;
      // Spread over the connections, starting where the previous tick stopped.
      while (n > 0) {
        const per = Math.max(1, Math.ceil(n / connections));
        const k = Math.min(per, n, 4096);
        socks[next].write(block.subarray(0, k * REQUEST.length));
        next = (next + 1) % connections;
        sent += k;
        n -= k;
      }
      if (sent >= total) return done();
      setTimeout(tick, 1);
    };
    tick();
  });
  const sendSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const deadline = Date.now() + 20_000;
  while (received < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const s of socks) s.end();
  const summary = {
    sent,
    received,
    sendSeconds: +sendSeconds.toFixed(2),
    achievedRate: Math.round(sent / sendSeconds),
    clientCpuPercent: +(((cpu.user + cpu.system) / 1e4 / sendSeconds) * 1).toFixed(1),
    maxTickLagMs: +maxLagMs.toFixed(1),
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
  process.exit(0);
}

/** user+system CPU seconds of a process, or NaN once it is gone. */
function cpuSeconds(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** The process and its direct children (the beat's capture process). */
function processTree(pid) {
  try {
    const kids = fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return [pid, ...kids];
  } catch {
    return [pid];
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat), for its CPU use over a window. */
function machineJiffies() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Starts the echo server on a free port; resolves with { child, port }. */
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      const m = /listening on [^\s]+:(\d+)/.exec(err);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`echo-server exited with ${code}: ${err}`)));
  });
}

const ERROR = Buffer.from('"status":"Error"');

/** Occurrences of `what` in `buf`. */
function count(buf, what) {
  let n = 0;
  for (let at = buf.indexOf(what); at !== -1; at = buf.indexOf(what, at + what.length)) n++;
  return n;
}

/** Starts pb_echo on lo; resolves once it logged "started", with its output collected. */
function startBeat(port, workers) {
  const args = ['-i', 'lo', '-e', '-E', `pb_echo.protocols=[{type: echo, ports: [${port}]}]`];
  if (workers !== '1') args.push('-E', `pb_echo.workers=${workers}`);
  args.push(...BEAT_ARGS);
  const child = spawn(BEAT, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { lines: 0, errors: 0, stderr: '', exit: undefined };
  // Events are counted by their newlines, Error events by their status (a pattern cut between two
  // chunks is found in the previous chunk's tail joined to the next one's head).
  let tail = Buffer.alloc(0);
  child.stdout.on('data', (d) => {
    let at = -1;
    while ((at = d.indexOf(10, at + 1)) !== -1) out.lines++;
    out.errors += count(Buffer.concat([tail, d.subarray(0, ERROR.length - 1)]), ERROR);
    out.errors += count(d, ERROR);
    tail = Buffer.from(d.subarray(Math.max(0, d.length - (ERROR.length - 1))));
  });
  const exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  const started = new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d) => {
      out.stderr += d;
      if (out.stderr.includes('"msg":"started"')) resolve();
    });
    exited.then((code) => reject(new Error(`pb_echo exited with ${code}: ${out.stderr.slice(-1000)}`)));
  });
  return { child, out, started, exited };
}

/** Runs the client process; resolves with its summary. */
function runClient(port) {
  return new Promise((resolve, reject) => {
    const c = spawn(
      process.execPath,
      [
        path.join(__dirname, 'live-rate.bench.js'),
        'client',
        String(port),
        String(RATE),
        String(SECONDS),
        String(CONNECTIONS),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    c.stdout.setEncoding('utf8').on('data', (d) => (text += d));
    c.once('close', (code) => {
      if (code !== 0) return reject(new Error(`client exited with ${code}: ${text}`));
      resolve(JSON.parse(text.trim().split('\n').pop()));
    });
  });
}

/** One run of the beat at the configured rate. */
async function runOnce(port, workers) {
  const beat = startBeat(port, workers);
  await beat.started;
  const load0 = os.loadavg()[0];
  const m0 = machineJiffies();
  const pids = processTree(beat.child.pid);
  const cpu0 = pids.map(cpuSeconds);
  const t0 = performance.now();
  const sent = await runClient(port);
  const windowS = (performance.now() - t0) / 1000;
  const cpu1 = pids.map(cpuSeconds);
  const m1 = machineJiffies();
  const load1 = os.loadavg()[0];
  // The beat may be behind (its queue, the capture process's): stop once it published every
  // transaction, or once its output stopped growing for 2 s.
  let seen = -1;
  for (let quiet = 0; beat.out.lines < sent.sent && quiet < 2000; quiet += 100) {
    if (beat.out.lines !== seen) quiet = 0;
    seen = beat.out.lines;
    await new Promise((r) => setTimeout(r, 100));
  }
  beat.child.kill('SIGINT');
  // Exit code 4 says events were dropped: a result of this bench, not a failure of it.
  const code = await beat.exited;
  if (code !== 0 && code !== 4)
    throw new Error(`pb_echo exited with ${code}: ${beat.out.stderr.slice(-1000)}`);
  const warnings = [
    ...new Set(
      beat.out.stderr
        .split('\n')
        .filter((l) => l.startsWith('{"level":40') || l.startsWith('{"level":50'))
        .map((l) => JSON.parse(l).msg.slice(0, 160)),
    ),
  ];
  const line = beat.out.stderr.split('\n').find((l) => l.includes('"msg":"metrics at exit"'));
  if (!line) throw new Error(`no metrics at exit: ${beat.out.stderr.slice(-1000)}`);
  const m = JSON.parse(line).metrics;
  const events = beat.out.lines;
  // A transaction lost to a gap shows as Error events (request alone, response alone) or not at all.
  const complete = events - beat.out.errors;
  const cpuBeat = (cpu1[0] - cpu0[0]) / windowS;
  const cpuCapture = pids.length > 1 ? (cpu1[1] - cpu0[1]) / windowS : NaN;
  const row = {
    workers: Number(workers) || workers,
    rate: RATE,
    seconds: SECONDS,
    connections: CONNECTIONS,
    sent: sent.sent,
    replies: sent.received,
    achievedRate: sent.achievedRate,
    clientCpuPercent: sent.clientCpuPercent,
    clientMaxTickLagMs: sent.maxTickLagMs,
    events,
    errorEvents: beat.out.errors,
    lost: sent.sent - complete,
    lostPercent: +(((sent.sent - complete) / sent.sent) * 100).toFixed(3),
    framesPerS: Math.round(m.source.frames / windowS),
    captureMissedBytes: m.source.capture_missed_bytes,
    captureLossWarnings: m.source.capture_loss_warnings,
    reassemblyGaps: m.reassembly.gaps,
    echoGaps: m.protocols.echo.gaps,
    captureDroppedPackets: m.source.capture_dropped_packets,
    publisherDropped: m.publisher.dropped,
    beatExitCode: code,
    beatCpuPercent: +(cpuBeat * 100).toFixed(1),
    captureProcessCpuPercent: +(cpuCapture * 100).toFixed(1),
    machineBusyPercent: +(((m1.busy - m0.busy) / (m1.total - m0.total)) * 100).toFixed(1),
    load1m: `${load0.toFixed(2)}->${load1.toFixed(2)}`,
    cores: os.cpus().length,
    warnings,
  };
  return row;
}

async function main() {
  for (const f of [BEAT, SERVER, path.join(ROOT, 'examples/pb_echo/dist/main.js')]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npx tsc -b\` first`);
  }
  const server = await startServer();
  let failed = false;
  try {
    for (const workers of WORKERS) {
      const r = await runOnce(server.port, workers);
      console.log(JSON.stringify(r));
      const lossless =
        r.lost === 0 &&
        r.errorEvents === 0 &&
        !(r.captureMissedBytes > 0) &&
        !(r.captureDroppedPackets > 0) &&
        r.reassemblyGaps === 0 &&
        r.publisherDropped === 0;
      const rateOk = r.achievedRate >= RATE * 0.98;
      console.log(
        `workers ${r.workers}: ${r.sent} transactions in ${SECONDS} s at ${r.achievedRate}/s ` +
          `(asked ${RATE}/s, ${r.framesPerS} packets/s), ${r.events} events (${r.errorEvents} Error), ` +
          `lost ${r.lost} (${r.lostPercent}%), capture missed ${r.captureMissedBytes} bytes, ` +
          `dropped ${r.captureDroppedPackets ?? 'n/a'} packets, beat CPU ` +
          `${r.beatCpuPercent}% + capture ${r.captureProcessCpuPercent}%, machine ${r.machineBusyPercent}% ` +
          `busy of ${r.cores} cores, load ${r.load1m}`,
      );
      const target = RATE >= 30_000 && SECONDS >= 60;
      console.log(
        `workers ${r.workers}: ${lossless && rateOk ? 'no loss' : 'LOSS or rate not reached'} at ` +
          `${r.achievedRate}/s for ${SECONDS} s; target (no loss at 30000/s for 60 s): ` +
          `${!target ? 'not measured by this run' : lossless && rateOk ? 'MET' : 'NOT MET'}`,
      );
    }
  } catch (err) {
    console.error(`live-rate: ${err.message}`);
    failed = true;
  } finally {
    server.child.kill('SIGTERM');
  }
  if (failed) process.exit(1);
}

if (process.argv[2] === 'client') {
  const [port, rate, seconds, connections] = process.argv.slice(3).map(Number);
  client(port, rate, seconds, connections).catch((err) => {
    console.error(`live-rate client: ${err.message}`);
    process.exit(1);
  });
} else {
  main();
}
