#!/usr/bin/env node
// Re-records the reference captures in pcaps/ with the real tcpdump (and dumpcap for pcapng) on
// loopback, from echo-server traffic on port 3030 (the echo protocol's default port, so that
// `pb_echo -I pcaps/<file> -t` needs no config). Needs root (or capture capabilities) and a build
// (`npx tsc -b examples/echo-server`). Usage: node examples/echo-server/scripts/record-pcaps.js [name...]
// After recording, regenerate the golden events and REVIEW them against tshark (see pcaps/README.md).
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { startEchoServer, runEchoClient } = require('../dist');

const root = path.resolve(__dirname, '../../..');
const pcaps = path.join(root, 'pcaps');
const PORT = 3030;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every capture: how it is taken and which traffic it holds. */
const CAPTURES = {
  // The main reference: several connections, error requests, a 100 KB message, pipelined bursts.
  'echo.pcap': { tool: 'tcpdump', args: ['-i', 'lo'], client: { connections: 3, count: 10, pauseMs: 2 } },
  // `-i any` on Linux: cooked capture v2 (LINKTYPE_LINUX_SLL2).
  'echo-any-sll2.pcap': {
    tool: 'tcpdump',
    args: ['-i', 'any'],
    client: { connections: 2, count: 4, bigMessageBytes: 0 },
  },
  // `-i any -y LINUX_SLL`: cooked capture v1 (LINKTYPE_LINUX_SLL).
  'echo-any-sll.pcap': {
    tool: 'tcpdump',
    args: ['-i', 'any', '-y', 'LINUX_SLL'],
    client: { connections: 2, count: 4, bigMessageBytes: 0 },
  },
  // IPv6 loopback (::1).
  'echo-ipv6.pcap': {
    tool: 'tcpdump',
    args: ['-i', 'lo'],
    host: '::1',
    client: { connections: 2, count: 5, bigMessageBytes: 20_000 },
  },
  // pcapng as written by dumpcap (section header, interface description, enhanced packet blocks).
  'echo-ng.pcapng': {
    tool: 'dumpcap',
    args: ['-i', 'lo'],
    client: { connections: 2, count: 5, bigMessageBytes: 0 },
  },
  // snaplen 128: the large message's segments are cut, so its bytes never fully reach the analyzer.
  'echo-snaplen.pcap': {
    tool: 'tcpdump',
    args: ['-i', 'lo', '-s', '128'],
    client: { connections: 1, count: 4, bigMessageBytes: 5000, burst: 3 },
  },
  // Capture started while the connections were already open: no handshake, first requests missing.
  'echo-midstream.pcap': {
    tool: 'tcpdump',
    args: ['-i', 'lo'],
    startCaptureAfterMs: 450,
    client: { connections: 2, count: 8, pauseMs: 100, bigMessageBytes: 0, burst: 3 },
  },
};

/** Derived files: made from a recorded capture without capturing again. */
const DERIVED = {
  // echo.pcap cut in the middle of a record about 60% in: readers must publish what precedes the cut.
  'echo-truncated.pcap': { from: 'echo.pcap', make: truncateInsideRecord },
  // echo.pcap from frame 16 on (editcap): each connection starts with a response whose request was
  // not captured, so the analyzer meets orphan responses first.
  'echo-orphan.pcap': { from: 'echo.pcap', make: (src) => editcapRange(src, '16-107') },
};

/** The frames of `range` (editcap syntax) of a capture, via the real editcap. */
function editcapRange(src, range) {
  const out = path.join(require('os').tmpdir(), `record-pcaps-${process.pid}.pcap`);
  const r = require('child_process').spawnSync('editcap', ['-r', src, out, range], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`editcap failed: ${r.stderr}`);
  const buf = fs.readFileSync(out);
  fs.unlinkSync(out);
  return buf;
}

/** Fails early and clearly when the capture port is in use (other traffic would end up in the capture). */
function ensurePortFree(port) {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', () => reject(new Error(`port ${port} is in use; stop whatever listens there and retry`)));
    s.listen(port, '::', () => s.close(() => resolve()));
  });
}

/** Starts the capture tool and resolves once it is actually capturing. */
function startCapture(spec, file) {
  const filter = `tcp port ${PORT}`;
  const args =
    spec.tool === 'dumpcap'
      ? [...spec.args, '-f', filter, '-w', file, '-q']
      : [...spec.args, '-U', '-w', file, filter];
  const child = spawn(spec.tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/listening on|Capturing on/i.test(stderr)) resolve({ child, stderr: () => stderr });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${spec.tool} exited with ${code}: ${stderr.trim()}`)));
  });
}

/** Stops the capture tool with SIGINT (it flushes its file) and waits for it. */
function stopCapture(cap) {
  return new Promise((resolve) => {
    cap.child.removeAllListeners('exit');
    cap.child.once('exit', () => resolve(cap.stderr()));
    cap.child.kill('SIGINT');
  });
}

async function record(name, spec) {
  const file = path.join(pcaps, name);
  const server = await startEchoServer({ port: PORT, host: spec.host ?? '127.0.0.1' });
  let cap;
  try {
    const opts = { port: PORT, host: spec.host ?? '127.0.0.1', ...spec.client };
    let result;
    if (spec.startCaptureAfterMs) {
      const running = runEchoClient(opts);
      await sleep(spec.startCaptureAfterMs);
      cap = await startCapture(spec, file);
      result = await running;
    } else {
      cap = await startCapture(spec, file);
      await sleep(200);
      result = await runEchoClient(opts);
    }
    // tcpdump's TPACKET_V3 ring hands packets over when a block retires (1 s timeout); SIGINT before
    // that loses them, and --immediate-mode loses packets on `-i any`: so wait past the timeout.
    await sleep(1500);
    const log = await stopCapture(cap);
    cap = undefined;
    const ports = result.connections.map((c) => c.localPort).join(',');
    console.log(
      `${name}: ${result.requests} requests (${result.errors} errors) on client ports ${ports}; ${log
        .trim()
        .split('\n')
        .filter((l) => /captured|received/.test(l))
        .join('; ')}`,
    );
  } finally {
    if (cap) await stopCapture(cap);
    await server.close();
  }
}

/** Copies a classic pcap up to the middle of the record that covers 60% of the file. */
function truncateInsideRecord(src) {
  const buf = fs.readFileSync(src);
  const le = buf.readUInt32LE(0) === 0xa1b2c3d4;
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  let off = 24;
  while (off + 16 <= buf.length) {
    const next = off + 16 + u32(off + 8);
    if (next > buf.length * 0.6) return buf.subarray(0, off + 16 + Math.floor(u32(off + 8) / 2));
    off = next;
  }
  throw new Error(`${src}: too short to truncate`);
}

async function main() {
  const wanted = process.argv.slice(2);
  const pick = (n) => wanted.length === 0 || wanted.includes(n);
  await ensurePortFree(PORT);
  for (const [name, spec] of Object.entries(CAPTURES)) if (pick(name)) await record(name, spec);
  for (const [name, d] of Object.entries(DERIVED)) {
    if (!pick(name) && !pick(d.from)) continue;
    fs.writeFileSync(path.join(pcaps, name), d.make(path.join(pcaps, d.from)));
    console.log(`${name}: derived from ${d.from}`);
  }
}

main().catch((err) => {
  console.error(`record-pcaps: ${err.message}`);
  process.exit(1);
});
