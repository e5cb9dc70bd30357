// Peak memory of the built netbeat (default config) on the hostile captures of issue 24: each is
// generated once into the temp dir, replayed with `netbeat -I FILE -t` while its stdout is read
// (and its events counted), and the peak RSS (VmHWM of /proc/<pid>/status) printed against the
// 512 MB target, with what the memory budget evicted (the `memory` metrics at exit); it exits
// non-zero when a capture is over. MEMORY_BENCH=name1,name2 runs some only; MEMORY_SCALE=0.1
// shrinks every capture.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '../../..');
const BIN = process.env.NETBEAT_BIN || path.join(ROOT, 'examples/netbeat/bin/netbeat.js');
const CONFIG = path.join(ROOT, 'examples/netbeat/netbeat.yml');
const SCALE = Number(process.env.MEMORY_SCALE || 1);
const TARGET_MB = 512;
const { PcapWriter, LinkType, TcpFlags, buildTcpFrame } = require(
  path.join(ROOT, 'packages/tcp-reassembly/dist'),
);

/** Writes packets of TCP connections: `conn(c)` gives the client's payloads and the server's. */
class CaptureWriter {
  constructor(file) {
    this.writer = PcapWriter.create(file, LinkType.ETHERNET, 65535);
    this.ts = Date.UTC(2026, 0, 1);
  }
  /** A connection from client number c to `port`: its handshake. Returns a sender of payloads. */
  open(c, port) {
    const client = `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`;
    const cport = 1024 + (c % 64000);
    const seq = [1001, 5001];
    const put = (fromClient, flags, payload) => {
      const data = buildTcpFrame({
        src: fromClient ? client : '10.0.0.1',
        dst: fromClient ? '10.0.0.1' : client,
        srcPort: fromClient ? cport : port,
        dstPort: fromClient ? port : cport,
        seq: fromClient ? seq[0] - (flags & TcpFlags.SYN ? 1 : 0) : seq[1] - (flags & TcpFlags.SYN ? 1 : 0),
        ack: flags & TcpFlags.ACK ? (fromClient ? seq[1] : seq[0]) : 0,
        flags,
        payload,
      });
      if (payload) seq[fromClient ? 0 : 1] += payload.length;
      this.writer.write({ ts: this.ts, linktype: LinkType.ETHERNET, data, origLen: data.length });
    };
    put(true, TcpFlags.SYN);
    put(false, TcpFlags.SYN | TcpFlags.ACK);
    put(true, TcpFlags.ACK);
    return (fromClient, payload) => put(fromClient, TcpFlags.ACK | TcpFlags.PSH, payload);
  }
  /** Packet time moves on by ms. */
  tick(ms) {
    this.ts += ms;
  }
  close() {
    this.writer.close();
  }
}

const n = (x) => Math.max(1, Math.round(x * SCALE));

/** The captures of issue 24: name -> generator writing it with a CaptureWriter. */
const CAPTURES = {
  // 300,000 echo connections, each with a request that never gets its response.
  'echo-open-300k': (w) => {
    for (let c = 0, N = n(300_000); c < N; c++) {
      if (c % 10 === 0) w.tick(1);
      w.open(c, 3030)(true, Buffer.from(`hello from connection ${c}, waiting\n`));
    }
  },
  // 1M HTTP connections, each holding the start of a request head (no blank line).
  'http-partial-1m': (w) => {
    for (let c = 0, N = n(1_000_000); c < N; c++) {
      if (c % 10 === 0) w.tick(1);
      w.open(c, 80)(true, Buffer.from(`GET /item/${c} HTTP/1.1\r\nHost: shop.example\r\n`));
    }
  },
  // 300 requests, open at once, whose heads are 1 MB of `a:b` lines, in 32 KiB segments.
  'http-head-lines-300': (w) => {
    const N = n(300);
    const sends = [];
    for (let c = 0; c < N; c++) sends.push(w.open(c, 80));
    const segment = Buffer.from('a:b\r\n'.repeat(6553));
    for (const send of sends) send(true, Buffer.from('GET / HTTP/1.1\r\n'));
    for (let k = 0; k < Math.ceil(1_000_000 / segment.length); k++) {
      w.tick(1);
      for (const send of sends) send(true, segment);
    }
    for (const send of sends) send(true, Buffer.from('\r\n'));
  },
  // A Redis reply opening arrays (`*1`) 150 MB deep, never closed, in 64 KiB segments.
  'redis-nested-150mb': (w) => {
    const send = w.open(0, 6379);
    send(true, Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'));
    const segment = Buffer.from('*1\r\n'.repeat(16 * 1024 - 16));
    for (let i = 0, N = Math.ceil((n(150) * 1048576) / segment.length); i < N; i++) {
      if (i % 64 === 0) w.tick(1);
      send(false, segment);
    }
  },
  // 2M pipelined Redis commands on one connection, no reply.
  'redis-pipelined-2m': (w) => {
    const send = w.open(0, 6379);
    const cmd = '*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n';
    const per = Math.floor(60000 / cmd.length);
    const segment = Buffer.from(cmd.repeat(per));
    for (let i = 0, N = Math.ceil(n(2_000_000) / per); i < N; i++) {
      if (i % 16 === 0) w.tick(1);
      send(true, segment);
    }
  },
  // 1M pipelined HTTP requests on one connection, no response.
  'http-pipelined-1m': (w) => {
    const send = w.open(0, 80);
    const req = 'GET /a HTTP/1.1\r\nHost: h\r\n\r\n';
    const per = Math.floor(60000 / req.length);
    const segment = Buffer.from(req.repeat(per));
    for (let i = 0, N = Math.ceil(n(1_000_000) / per); i < N; i++) {
      if (i % 16 === 0) w.tick(1);
      send(true, segment);
    }
  },
};

/** The capture `name`, generated on first use. */
function ensureCapture(name) {
  const file = path.join(os.tmpdir(), `wirebeat-memory-${name}-x${SCALE}.pcap`);
  if (fs.existsSync(file)) return file;
  const w = new CaptureWriter(file + '.tmp');
  CAPTURES[name](w);
  w.close();
  fs.renameSync(file + '.tmp', file);
  return file;
}

function peakRssKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Replays `file`; resolves with the peak RSS in MB, the events read and the exit code. */
function replay(file) {
  return new Promise((resolve, reject) => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-memory-data-'));
    const child = spawn(
      process.execPath,
      ['--max-semi-space-size=32', BIN, '-c', CONFIG, '-I', file, '-t', '--path.data', data],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let peak = 0;
    let events = 0;
    let stderr = '';
    let line = '';
    let memory;
    const poll = setInterval(() => (peak = Math.max(peak, peakRssKb(child.pid))), 50);
    child.stdout.on('data', (chunk) => {
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) events++;
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
      // The metrics line at exit says what the memory budget evicted.
      const lines = (line + d).split('\n');
      line = lines.pop();
      for (const l of lines) if (l.includes('metrics at exit')) memory = JSON.parse(l).metrics.memory;
    });
    child.on('error', reject);
    // VmHWM is read once more just before the process is reaped.
    child.on('exit', () => (peak = Math.max(peak, peakRssKb(child.pid))));
    child.on('close', (code) => {
      clearInterval(poll);
      fs.rmSync(data, { recursive: true, force: true });
      resolve({ peakMb: peak / 1024, events, code, stderr, memory });
    });
  });
}

async function main() {
  let over = 0;
  const only = process.env.MEMORY_BENCH ? process.env.MEMORY_BENCH.split(',') : Object.keys(CAPTURES);
  for (const name of only) {
    if (!CAPTURES[name]) throw new Error(`unknown capture ${name}; known: ${Object.keys(CAPTURES)}`);
    const t0 = Date.now();
    const file = ensureCapture(name);
    const t1 = Date.now();
    const r = await replay(file);
    const verdict = r.peakMb < TARGET_MB ? 'ok' : 'OVER';
    if (verdict === 'OVER') over++;
    const evicted = r.memory?.evicted_connections ?? '(no metrics at exit)';
    console.log(
      `${name}${SCALE !== 1 ? ` (scale ${SCALE})` : ''}: peak RSS ${r.peakMb.toFixed(0)} MB ` +
        `(target < ${TARGET_MB}: ${verdict}), ${r.events} events, ` +
        `${evicted} connections evicted, exit ${r.code}, ` +
        `${((Date.now() - t1) / 1000).toFixed(1)} s (capture ${((t1 - t0) / 1000).toFixed(1)} s), ` +
        `load ${os.loadavg()[0].toFixed(1)}`,
    );
    if (r.code !== 0) console.log(r.stderr.split('\n').slice(-5).join('\n'));
  }
  console.log(
    over === 0 ? `every capture under ${TARGET_MB} MB: PASS` : `${over} over ${TARGET_MB} MB: FAIL`,
  );
  if (over > 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
