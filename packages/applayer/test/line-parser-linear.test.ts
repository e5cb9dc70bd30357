// A 100 KB line arriving one byte per segment: LineParser's search work stays linear in the bytes
// (it was quadratic: 18.8 s of CPU for echo).
import { streamScanWork } from '@wirebeat/streambuf';
import { LineParser } from '@wirebeat/applayer';

const N = 100_000;
const tuple = {
  ipVersion: 4 as const,
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 7,
  connectionId: 'c',
};

describe('LineParser: one-byte segments', () => {
  it('a 100 KB line costs linear search work and is one message', () => {
    const parser = new LineParser(tuple, 0, { maxMessageSize: 1 << 20, decode: (text) => ({ text }) });
    const line = Buffer.alloc(N + 1, 0x78);
    line[N] = 0x0a;
    const messages: Array<{ text: string; size: number }> = [];
    const segment = new Uint8Array(1);
    const before = streamScanWork();
    for (let i = 0; i < line.length; i++) {
      segment[0] = line[i];
      parser.parse(segment, i, (m) => messages.push(m));
      segment[0] = 0; // the segment is borrowed: a parser keeping it without a copy would see this
    }
    expect(streamScanWork() - before).toBeLessThan(16 * line.length);
    expect(messages).toHaveLength(1);
    expect(messages[0].size).toBe(N + 1);
    expect(messages[0].text).toBe('x'.repeat(N));
  });
});
