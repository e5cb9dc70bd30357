// The capture process of live capture: opens the device with cap and streams its packets to the
// beat on stdout. It runs apart from the beat because the native binding aborts the whole process
// (an assertion in its poll callback) when the device goes away; here that only ends this process,
// and the beat drains what it has, reports, and exits non-zero.
// Records: 'R' u32 length, JSON ({ linkName } or { error }); 'P' f64 time (ms), u32 length,
// u8 truncated, then the packet's bytes.
import { loadCap } from './cap-loader';

/** What the beat passes on the command line (JSON). */
export interface CaptureChildOptions {
  device: string;
  filter: string;
  snaplen: number;
  bufferSizeMb: number;
}

/** Output bytes queued for the beat beyond which packets are dropped (and counted) rather than kept. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

function record(type: string, json: object): Buffer {
  const body = Buffer.from(JSON.stringify(json));
  const out = Buffer.allocUnsafe(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeUInt32LE(body.length, 1);
  body.copy(out, 5);
  return out;
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
    out.write(record('R', { linkName }));
  } catch (err) {
    out.write(record('R', { error: err instanceof Error ? err.message : String(err) }), () =>
      process.exit(1),
    );
    return;
  }
  const origin = performance.timeOrigin;
  handle.on('packet', (nbytes: number, truncated: boolean) => {
    if (out.writableLength > MAX_QUEUED_BYTES) return;
    const rec = Buffer.allocUnsafe(14 + nbytes);
    rec.write('P', 0, 'latin1');
    // Whole microseconds, as a pcap reader computes them (see LiveSource).
    const usecs = Math.round((origin + performance.now()) * 1000);
    const sec = Math.floor(usecs / 1e6);
    rec.writeDoubleLE(sec * 1000 + (usecs - sec * 1e6) / 1000, 1);
    rec.writeUInt32LE(nbytes, 9);
    rec.writeUInt8(truncated ? 1 : 0, 13);
    buffer.copy(rec, 14, 0, nbytes);
    out.write(rec);
  });
  process.on('SIGTERM', () => {
    handle.close();
    out.end(() => process.exit(0));
  });
}

main();
