// A message arriving one byte per segment is searched in time linear in its length: the work
// counter (bytes examined plus chunks stepped over) grows with the bytes, not with their square.
import { StreamBuf, streamScanWork } from '@wirebeat/streambuf';

const N = 100_000;
/** Most search steps per input byte allowed: a bisection over the few gathered chunks, and the bytes. */
const STEPS_PER_BYTE = 16;

/** Feeds `n` filler bytes then `end`, one byte per borrowed segment, polling `poll` after each. */
function oneByteSegments(buf: StreamBuf, end: string, poll: () => unknown): unknown {
  const input = Buffer.concat([Buffer.alloc(N, 0x61), Buffer.from(end, 'latin1')]);
  let out: unknown;
  const segment = new Uint8Array(1);
  for (let i = 0; i < input.length; i++) {
    segment[0] = input[i];
    buf.borrow(segment);
    out = poll();
    buf.settle();
  }
  return out;
}

describe('StreamBuf: one-byte segments cost linear work', () => {
  it('collectUntil a byte', () => {
    const buf = new StreamBuf();
    const before = streamScanWork();
    const line = oneByteSegments(buf, '\n', () => buf.collectUntil(0x0a)) as Uint8Array;
    expect(line.length).toBe(N + 1);
    expect(line[N - 1]).toBe(0x61);
    expect(streamScanWork() - before).toBeLessThan(STEPS_PER_BYTE * N);
  });

  it('collectUntil CRLF', () => {
    const buf = new StreamBuf();
    const before = streamScanWork();
    const line = oneByteSegments(buf, '\r\n', () => buf.collectUntil('\r\n')) as Uint8Array;
    expect(line.length).toBe(N + 2);
    expect(streamScanWork() - before).toBeLessThan(STEPS_PER_BYTE * N);
  });

  it('collectWhile', () => {
    const buf = new StreamBuf();
    const isA = (b: number) => b === 0x61;
    const before = streamScanWork();
    const run = oneByteSegments(buf, 'b', () => buf.collectWhile(isA)) as Uint8Array;
    expect(run.length).toBe(N);
    expect(streamScanWork() - before).toBeLessThan(STEPS_PER_BYTE * N);
  });

  it('the copies of small segments are gathered into few chunks (views stay valid)', () => {
    const buf = new StreamBuf();
    const seen: Uint8Array[] = [];
    const segment = new Uint8Array(1);
    for (let i = 0; i < 1000; i++) {
      segment[0] = 0x30 + (i % 10);
      buf.borrow(segment);
      if (i % 100 === 99) {
        seen.push(buf.collect(100)!);
        buf.reset();
      }
      buf.settle();
    }
    // Every view handed out still holds its own bytes after later segments were gathered.
    for (const view of seen) expect(Buffer.from(view).toString()).toBe('0123456789'.repeat(10));
  });
});
