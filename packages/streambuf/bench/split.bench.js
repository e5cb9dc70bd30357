// Splits 100 MB of 64-byte lines delivered as 1460-byte segments, the way a line parser uses
// StreamBuf: borrow the segment, collect every complete line, settle (copy only the partial tail).
// Each segment is first copied into one reused buffer, as reassembly payload views die after the call.
const { StreamBuf } = require('../dist/index.js');

const TOTAL = 100 * 1024 * 1024;
const LINE = 64;
const SEGMENT = 1460;
const TARGET_MBPS = 500;

const data = Buffer.alloc(TOTAL);
for (let off = 0; off < TOTAL; off += LINE) {
  data.fill(0x61 + ((off / LINE) % 26), off, off + LINE - 1);
  data[off + LINE - 1] = 0x0a;
}
const segment = Buffer.alloc(SEGMENT);

function run(mode) {
  const buf = new StreamBuf();
  let lines = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (let off = 0; off < TOTAL; off += SEGMENT) {
    const n = Math.min(SEGMENT, TOTAL - off);
    data.copy(segment, 0, off, off + n);
    const view = segment.subarray(0, n);
    if (mode === 'borrow') buf.borrow(view);
    else buf.write(view);
    let line;
    while ((line = buf.collectUntil(0x0a)) !== undefined) {
      bytes += line.length;
      lines++;
      buf.reset();
    }
    if (mode === 'borrow') buf.settle();
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (lines !== TOTAL / LINE || bytes !== TOTAL)
    throw new Error(`split wrong: ${lines} lines, ${bytes} bytes`);
  return secs;
}

for (const mode of ['borrow', 'write']) {
  run(mode); // warm-up
  const secs = Math.min(run(mode), run(mode));
  const mbps = TOTAL / 1024 / 1024 / secs;
  console.log(
    `streambuf split (${mode} + collectUntil): ${mbps.toFixed(0)} MB/s, ` +
      `${(TOTAL / LINE / secs / 1e6).toFixed(2)} M lines/s (target >= ${TARGET_MBPS} MB/s)`,
  );
}
