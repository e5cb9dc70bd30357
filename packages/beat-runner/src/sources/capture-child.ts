// The capture process of live capture: opens the device with cap and streams its packets to the
// beat on stdout. It runs apart from the beat because the native binding aborts the whole process
// (an assertion in its poll callback) when the device goes away; here that only ends this process,
// and the beat drains what it has, reports, and exits non-zero.
// Records: 'R' u32 length, JSON ({ linkName } or { error }); 'P' f64 time (ms), u32 length,
// u8 truncated, then the packet's bytes; 'D' u32 packets dropped here since the last 'D' record.
//
// Why it is shaped this way: the kernel ring is small in packets (cap opens the device in
// immediate mode at snaplen 65535, so libpcap makes a TPACKET_V2 ring of 64 KiB slots, one per
// 128 KiB block: buffer_size_mb 64 maps 128 MiB and holds about 1000 packets, 45 ms at 22,000
// packets/s), so this process must empty it promptly even when the machine is busy. It does little per packet (the packet is copied into a shared
// chunk, one pipe write per event-loop turn instead of one per packet), and keeps what the beat
// has not read yet in its own memory, where a packet takes its size rather than a ring slot.
import os from 'os';
import { loadCap } from './cap-loader';

/** What the beat passes on the command line (JSON). */
export interface CaptureChildOptions {
  device: string;
  filter: string;
  snaplen: number;
  bufferSizeMb: number;
  /** Niceness to run at (lower is sooner); kept as is when the system refuses. */
  nice?: number;
}

/** Output bytes queued for the beat beyond which packets are dropped (and counted) rather than kept. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
/** Packet records are gathered in chunks of this size; each turn of the event loop writes its part. */
const CHUNK_BYTES = 1024 * 1024;
const P_HEADER = 14;

function record(type: string, json: object): Buffer {
  const body = Buffer.from(JSON.stringify(json));
  const out = Buffer.allocUnsafe(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeUInt32LE(body.length, 1);
  body.copy(out, 5);
  return out;
}

/** Sets this process's niceness where the system allows it. */
function setNice(nice: number | undefined): void {
  if (nice === undefined) return;
  try {
    os.setPriority(nice);
  } catch {
    // Not permitted (no CAP_SYS_NICE): the capture runs at the beat's priority.
  }
}

function main(): void {
  const opts = JSON.parse(process.argv[2] ?? '{}') as CaptureChildOptions;
  const out = process.stdout;
  // The beat went away: nothing to capture for.
  out.on('error', () => process.exit(0));
  process.stdin.on('end', () => process.exit(0)).resume();
  let handle;
  const buffer = Buffer.alloc(opts.snaplen);
  try {
    const { Cap } = loadCap();
    handle = new Cap();
    const linkName = handle.open(opts.device, opts.filter, opts.bufferSizeMb * 1024 * 1024, buffer);
    setNice(opts.nice);
    out.write(record('R', { linkName }));
  } catch (err) {
    out.write(record('R', { error: err instanceof Error ? err.message : String(err) }), () =>
      process.exit(1),
    );
    return;
  }
  const origin = performance.timeOrigin;
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let start = 0;
  let end = 0;
  let flushQueued = false;
  let dropped = 0;
  let closed = false;
  /** Writes what the chunk gathered since the last write (its bytes are not touched afterwards). */
  const flush = (): void => {
    flushQueued = false;
    if (closed) return;
    if (dropped > 0 && out.writableLength <= MAX_QUEUED_BYTES) {
      const d = Buffer.allocUnsafe(5);
      d.write('D', 0, 'latin1');
      d.writeUInt32LE(dropped, 1);
      dropped = 0;
      out.write(d);
    }
    if (end > start) out.write(chunk.subarray(start, end));
    start = end;
  };
  handle.on('packet', (nbytes: number, truncated: boolean) => {
    if (out.writableLength > MAX_QUEUED_BYTES) {
      dropped++;
      return;
    }
    if (end + P_HEADER + nbytes > chunk.length) {
      flush();
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, P_HEADER + nbytes));
      start = end = 0;
    }
    chunk[end] = 0x50; // 'P'
    // Whole microseconds, as a pcap reader computes them (see LiveSource).
    const usecs = Math.round((origin + performance.now()) * 1000);
    const sec = Math.floor(usecs / 1e6);
    chunk.writeDoubleLE(sec * 1000 + (usecs - sec * 1e6) / 1000, end + 1);
    chunk.writeUInt32LE(nbytes, end + 9);
    chunk[end + 13] = truncated ? 1 : 0;
    buffer.copy(chunk, end + P_HEADER, 0, nbytes);
    end += P_HEADER + nbytes;
    // cap hands over every packet the ring holds in one turn of the event loop: one write after it.
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  });
  process.on('SIGTERM', () => {
    handle.close();
    flush();
    closed = true;
    out.end(() => process.exit(0));
  });
}

main();
