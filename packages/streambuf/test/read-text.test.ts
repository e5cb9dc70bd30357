// readLineLatin1 and readUtf8 decode bytes where they lie when they are in one chunk: whatever the
// segmentation, they return what collecting the bytes and decoding them returns.
import { StreamBuf, decodeLatin1, decodeUtf8 } from '@wirebeat/streambuf';

const LF = 0x0a;
const CR = 0x0d;

/** Lines as collectUntil(LF) and decoding give them, without LF and a CR before it. */
function referenceLines(input: Uint8Array): string[] {
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const nl = input.indexOf(LF, pos);
    if (nl < 0) return out;
    const end = nl > pos && input[nl - 1] === CR ? nl - 1 : nl;
    out.push(decodeLatin1(input.subarray(pos, end)));
    pos = nl + 1;
  }
}

/** Feeds `input` cut at `cuts` as borrowed segments, reading lines after each; the lines and bytes consumed. */
function readLines(input: Uint8Array, cuts: number[]): { lines: string[]; consumed: number } {
  const buf = new StreamBuf();
  const lines: string[] = [];
  let consumed = 0;
  let from = 0;
  for (const to of [...cuts, input.length]) {
    buf.borrow(input.subarray(from, to));
    for (;;) {
      const line = buf.readLineLatin1();
      if (line === undefined) break;
      consumed += buf.bufferConsumed;
      lines.push(line);
      buf.reset();
    }
    buf.settle();
    from = to;
  }
  return { lines, consumed };
}

describe('StreamBuf.readLineLatin1', () => {
  const text = 'GET / HTTP/1.1\r\nHost: h\xe9\r\n\r\nbare\n\n\rx\r\r\ntail';
  const input = Buffer.from(text, 'latin1');
  const expected = referenceLines(input);
  const lastLf = input.lastIndexOf(LF) + 1;

  it('gives the lines of one whole segment, CR before LF removed, and their bytes', () => {
    expect(expected).toEqual(['GET / HTTP/1.1', 'Host: h\xe9', '', 'bare', '', '\rx\r']);
    expect(readLines(input, [])).toEqual({ lines: expected, consumed: lastLf });
  });

  it('gives the same lines however the input is cut (every single and double cut)', () => {
    for (let a = 1; a < input.length; a++) {
      expect(readLines(input, [a])).toEqual({ lines: expected, consumed: lastLf });
      for (let b = a + 1; b < input.length; b += 3)
        expect(readLines(input, [a, b])).toEqual({ lines: expected, consumed: lastLf });
    }
  });

  it('returns undefined until the LF arrives, then the whole line', () => {
    const buf = new StreamBuf();
    buf.append(Buffer.from('abc\r'));
    expect(buf.readLineLatin1()).toBeUndefined();
    buf.append(Buffer.from('\n'));
    expect(buf.readLineLatin1()).toBe('abc');
    expect(buf.bufferConsumed).toBe(5);
  });
});

describe('StreamBuf.readLineLatin1 after a search that found nothing', () => {
  it("gives the next segment's lines, in one chunk or across two, with their bytes", () => {
    const buf = new StreamBuf();
    buf.borrow(Buffer.from('a\r\n'));
    expect(buf.readLineLatin1()).toBe('a');
    buf.reset();
    // Nothing left: this search is remembered, and the next read resumes it.
    expect(buf.readLineLatin1()).toBeUndefined();
    buf.settle();
    buf.borrow(Buffer.from('\nbc\r\nd\r'));
    const read = () => {
      const line = buf.readLineLatin1();
      const bytes = buf.bufferConsumed;
      buf.reset();
      return [line, bytes];
    };
    expect(read()).toEqual(['', 1]);
    expect(read()).toEqual(['bc', 4]);
    expect(read()).toEqual([undefined, 0]);
    buf.settle();
    buf.borrow(Buffer.from('\n'));
    expect(read()).toEqual(['d', 3]);
  });
});

describe('StreamBuf.readUtf8', () => {
  const input = Buffer.from('a€😀é\ufffdz', 'utf8');

  it('decodes n bytes as UTF-8 wherever the segments are cut', () => {
    for (let cut = 0; cut <= input.length; cut++) {
      for (let n = 0; n <= input.length; n++) {
        const buf = new StreamBuf();
        buf.append(input.subarray(0, cut));
        buf.append(input.subarray(cut));
        expect(buf.readUtf8(n)).toBe(decodeUtf8(input.subarray(0, n)));
        expect(buf.bufferConsumed).toBe(n);
        expect(buf.readAscii(input.length - n)).toBe(decodeLatin1(input.subarray(n)));
      }
    }
  });

  it('returns undefined while fewer bytes are buffered', () => {
    const buf = new StreamBuf();
    buf.append(input.subarray(0, 3));
    expect(buf.readUtf8(4)).toBeUndefined();
    expect(buf.bufferConsumed).toBe(0);
  });
});
