// End of input with 300,000 open echo connections, each with a request still waiting for its
// response: pb_echo -I replays the capture while a reader consumes its stdout at a limited rate
// (an output slower than the flush). Prints the peak RSS of the beat (target: under 512 MB), the
// events received and the time. PB_ECHO_BIN replays with another build (to compare).
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '../../..');
const BIN = process.env.PB_ECHO_BIN || path.join(ROOT, 'examples/pb_echo/bin/pb_echo.js');
const CONNECTIONS = Number(process.env.OPEN_CONNECTIONS || 300_000);
/** Bytes per second the reader takes from the beat's stdout. */
const READ_RATE = Number(process.env.READ_RATE || 20 * 1024 * 1024);

/** The capture: handshake and one request per connection, no response; cached in the temp dir. */
function ensureCapture() {
  const file = path.join(os.tmpdir(), `wirebeat-open-echo-${CONNECTIONS}.pcap`);
  if (fs.existsSync(file)) return file;
  const { PcapWriter, LinkType, TcpFlags, buildTcpFrame } = require(
    path.join(ROOT, 'packages/tcp-reassembly/dist'),
  );
  const writer = PcapWriter.create(file + '.tmp', LinkType.ETHERNET, 65535);
  const t0 = Date.UTC(2026, 0, 1);
  for (let c = 0; c < CONNECTIONS; c++) {
    const client = `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`;
    const port = 1024 + (c % 64000);
    const ts = t0 + Math.floor(c / 10);
    const put = (fromClient, seq, ack, flags, payload) => {
      const data = buildTcpFrame({
        src: fromClient ? client : '10.0.0.1',
        dst: fromClient ? '10.0.0.1' : client,
        srcPort: fromClient ? port : 3030,
        dstPort: fromClient ? 3030 : port,
        seq,
        ack,
        flags,
        payload,
      });
      writer.write({ ts, linktype: LinkType.ETHERNET, data, origLen: data.length });
    };
    put(true, 1000, 0, TcpFlags.SYN);
    put(false, 5000, 1001, TcpFlags.SYN | TcpFlags.ACK);
    put(true, 1001, 5001, TcpFlags.ACK);
    put(true, 1001, 5001, TcpFlags.ACK | TcpFlags.PSH, `hello from connection ${c}, waiting\n`);
  }
  writer.close();
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

async function main() {
  const capture = ensureCapture();
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, '-I', capture], { stdio: ['ignore', 'pipe', 'ignore'] });
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, peakRssKb(child.pid))), 100);
  let lines = 0;
  child.stdout.pause();
  // A slow reader: READ_RATE bytes per second, in 10 ms steps.
  const reader = setInterval(() => {
    let budget = READ_RATE / 100;
    let chunk;
    while (budget > 0 && (chunk = child.stdout.read()) !== null) {
      budget -= chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
  }, 10);
  const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(poll);
  let chunk;
  while ((chunk = child.stdout.read()) !== null)
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  clearInterval(reader);
  console.log(
    `pb_echo -I (${CONNECTIONS} open connections, reader at ${(READ_RATE / 1048576).toFixed(0)} MB/s): ` +
      `peak RSS ${(peak / 1024).toFixed(0)} MB (target < 512), ${lines} events, exit ${code}, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
