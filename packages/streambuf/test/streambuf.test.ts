import { WirebeatError } from '@wirebeat/core';
import fc from 'fast-check';
import {
  InvalidSnapshotError,
  StreamBuf,
  StreamParseError,
  StreamTooLargeError,
  decodeLatin1,
  decodeUtf8,
} from '@wirebeat/streambuf';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : decodeLatin1(b);

/** Feeds `input` split at the given offsets, one chunk per write. */
function fed(input: Uint8Array, cuts: number[] = []): StreamBuf {
  const buf = new StreamBuf();
  let prev = 0;
  for (const cut of [...cuts, input.length]) {
    buf.write(input.subarray(prev, cut));
    prev = cut;
  }
  return buf;
}

type Reader = (b: StreamBuf) => unknown;

/** Asserts a reader returns undefined for every strict prefix fed byte by byte, then `expected`. */
function expectNeedMoreUntilComplete(input: Uint8Array, read: Reader, expected: unknown): void {
  const buf = new StreamBuf();
  for (let i = 0; i < input.length - 1; i++) {
    buf.write(input.subarray(i, i + 1));
    const snap = buf.snapshot();
    expect(read(buf)).toBeUndefined();
    expect(buf.snapshot()).toBe(snap);
    expect(buf.failed).toBe(false);
  }
  buf.write(input.subarray(input.length - 1));
  expect(read(buf)).toEqual(expected);
  // and with every two-chunk split
  for (let cut = 0; cut <= input.length; cut++) {
    expect(read(fed(input, [cut]))).toEqual(expected);
  }
}

describe('StreamBuf readers', () => {
  const be = bytes('\x81\x02\x03\x04\x05\x06\x07\x08');
  const cases: Array<[string, Reader, unknown]> = [
    ['readUint8', (b) => b.readUint8(), 0x81],
    ['readInt8', (b) => b.readInt8(), -127],
    ['readUint16BE', (b) => b.readUint16BE(), 0x8102],
    ['readUint16LE', (b) => b.readUint16LE(), 0x0281],
    ['readInt16BE', (b) => b.readInt16BE(), 0x8102 - 0x10000],
    ['readInt16LE', (b) => b.readInt16LE(), 0x0281],
    ['readUint32BE', (b) => b.readUint32BE(), 0x81020304],
    ['readUint32LE', (b) => b.readUint32LE(), 0x04030281],
    ['readInt32BE', (b) => b.readInt32BE(), 0x81020304 | 0],
    ['readInt32LE', (b) => b.readInt32LE(), 0x04030281],
    ['readBigUint64BE', (b) => b.readBigUint64BE(), 0x8102030405060708n],
    ['readBigUint64LE', (b) => b.readBigUint64LE(), 0x0807060504030281n],
    ['readBigInt64BE', (b) => b.readBigInt64BE(), 0x8102030405060708n - (1n << 64n)],
    ['readBigInt64LE', (b) => b.readBigInt64LE(), 0x0807060504030281n],
  ];
  it.each(cases)('%s decodes like Node Buffer and needs all its bytes', (_name, read, expected) => {
    const width = { readUint8: 1, readInt8: 1 }[_name] ?? Number(/(\d+)/.exec(_name)![1]) / 8;
    expectNeedMoreUntilComplete(be.subarray(0, width), read, expected);
  });

  it('agrees with Buffer on random integers at random chunk splits', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (raw, cut) => {
          const ref = Buffer.from(raw);
          const b = fed(raw, [cut]);
          const s = b.snapshot();
          expect(b.readBigInt64LE()).toBe(ref.readBigInt64LE(0));
          b.restore(s);
          expect(b.readInt32BE()).toBe(ref.readInt32BE(0));
          expect(b.readUint32LE()).toBe(ref.readUInt32LE(4));
          b.restore(s);
          expect(b.readInt16LE()).toBe(ref.readInt16LE(0));
          expect(b.readUint16BE()).toBe(ref.readUInt16BE(2));
        },
      ),
    );
  });

  it('collect(n) returns exactly n bytes once available', () => {
    expectNeedMoreUntilComplete(bytes('hello world'), (b) => text(b.collect(11)), 'hello world');
  });

  it('collectUntil includes the delimiter and waits for it', () => {
    expectNeedMoreUntilComplete(bytes('abc\n'), (b) => text(b.collectUntil(10)), 'abc\n');
    expectNeedMoreUntilComplete(bytes('abc\r\n'), (b) => text(b.collectUntil('\r\n')), 'abc\r\n');
    expectNeedMoreUntilComplete(bytes('xy--'), (b) => text(b.collectUntil(bytes('--'))), 'xy--');
  });

  it('collectUntil finds a multi-byte delimiter split across chunks and skips false starts', () => {
    const b = fed(bytes('a\rb\r\r\nrest'), [2, 4, 5]);
    expect(text(b.collectUntil('\r\n'))).toBe('a\rb\r\r\n');
    expect(b.available).toBe(4);
  });

  it('collectWhile stops before the first byte failing the predicate', () => {
    const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
    expectNeedMoreUntilComplete(bytes('12345x'), (b) => text(b.collectWhile(isDigit)), '12345');
    const b = fed(bytes('99;'));
    expect(text(b.collectWhile(isDigit))).toBe('99');
    expect(b.peekByte(0)).toBe(0x3b);
    expect(text(b.collectWhile(isDigit))).toBe('');
  });

  it('returns plain Uint8Arrays, empty ones and ones joined across chunks too', () => {
    // The parsers reading these see one kind of byte array (see tcp-reassembly's frames).
    const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
    // Plain input (as tcp-reassembly hands payloads over): views of it and copies are plain too.
    const b = fed(new Uint8Array(bytes('12ab\r\ncd\r\nrest')), [1, 3, 5, 9]);
    const got = [
      b.collect(0),
      b.collectWhile(isDigit),
      b.collectWhile(isDigit),
      b.peek(4),
      b.collectLineCrlf(),
      b.collectUntil('\r\n'),
      b.collect(2),
    ];
    expect(got.map(text)).toEqual(['', '12', '', 'ab\r\n', 'ab', 'cd\r\n', 're']);
    expect(got.map((g) => g?.constructor)).toEqual(Array(got.length).fill(Uint8Array));
  });

  it('indexOf and peek look ahead without consuming', () => {
    const b = fed(bytes('key: value\r\n'), [3, 7]);
    expect(b.indexOf(':')).toBe(3);
    expect(b.indexOf('\r\n')).toBe(10);
    expect(b.indexOf('e', 2)).toBe(9);
    expect(b.indexOf('z')).toBe(-1);
    expect(text(b.peek(5))).toBe('key: ');
    expect(b.peekByte(4)).toBe(0x20);
    expect(b.peekByte(12)).toBeUndefined();
    expect(b.peek(13)).toBeUndefined();
    expect(b.available).toBe(12);
  });

  it('ASCII helpers read CRLF lines and decimal numbers', () => {
    expectNeedMoreUntilComplete(bytes('GET / HTTP/1.1\r\n'), (b) => b.readLineCrlf(), 'GET / HTTP/1.1');
    expectNeedMoreUntilComplete(bytes('1234;'), (b) => b.readDecimal(), 1234);
    expectNeedMoreUntilComplete(bytes('-42\r'), (b) => b.readDecimal(), -42);
    const b = fed(bytes('abc'));
    expect(b.readAscii(2)).toBe('ab');
    expect(b.readAscii(2)).toBeUndefined();
  });

  it('a decimal without digits sets a sticky StreamParseError that reset() clears', () => {
    const b = fed(bytes('x1\n'));
    expect(b.readDecimal()).toBeUndefined();
    expect(b.error).toBeInstanceOf(StreamParseError);
    expect(b.error!.message).toBe('expected a decimal number');
    expect(b.collectUntil(10)).toBeUndefined();
    expect(b.write(bytes('more'))).toBe(false);
    b.reset();
    expect(b.failed).toBe(false);
    expect(text(b.collectUntil(10))).toBe('x1\n');
  });

  it('a decimal beyond 2^53 is an error, not a wrong number', () => {
    const b = fed(bytes('99999999999999999999 '));
    expect(b.readDecimal()).toBeUndefined();
    expect(b.error).toBeInstanceOf(StreamParseError);
  });

  it('skip consumes without returning', () => {
    const b = fed(bytes('abcdef'), [2]);
    expect(b.skip(7)).toBe(false);
    expect(b.skip(3)).toBe(true);
    expect(text(b.collect(3))).toBe('def');
  });

  it('decodes UTF-8 and Latin-1 views', () => {
    expect(decodeUtf8(Buffer.from('héllo'))).toBe('héllo');
    expect(decodeLatin1(new Uint8Array([0x41, 0xe9]))).toBe('Aé');
  });
});

describe('StreamBuf message bookkeeping', () => {
  it('bufferConsumed counts the current message until reset() drops it', () => {
    const b = fed(bytes('>hi\n<hi\n'));
    b.collectUntil(10);
    expect(b.bufferConsumed).toBe(4);
    expect(b.length).toBe(8);
    b.reset();
    expect(b.bufferConsumed).toBe(0);
    expect(b.length).toBe(4);
    b.collect(2);
    expect(b.bufferConsumed).toBe(2);
  });

  it('snapshot/restore backtracks within a message, across chunks', () => {
    const b = fed(bytes('\x00\x05hello'), [1, 4]);
    const s = b.snapshot();
    expect(b.readUint16BE()).toBe(5);
    expect(b.collect(6)).toBeUndefined();
    b.restore(s);
    expect(b.bufferConsumed).toBe(0);
    expect(b.readUint16BE()).toBe(5);
    expect(text(b.collect(5))).toBe('hello');
  });

  it('restore refuses positions dropped by reset()', () => {
    const b = fed(bytes('abcd'));
    const s = b.snapshot();
    b.collect(2);
    b.reset();
    expect(() => b.restore(s)).toThrow(InvalidSnapshotError);
  });

  it('clear() drops everything including a sticky error', () => {
    const b = fed(bytes('partial'));
    b.fail(new StreamParseError('bad', 0));
    b.clear();
    expect(b.failed).toBe(false);
    expect(b.available).toBe(0);
    b.write(bytes('ok\n'));
    expect(text(b.collectUntil(10))).toBe('ok\n');
  });

  it('refuses to grow beyond maxSize with a typed, sticky StreamTooLargeError', () => {
    const b = new StreamBuf({ maxSize: 10 });
    expect(b.write(bytes('12345678'))).toBe(true);
    expect(b.write(bytes('abc'))).toBe(false);
    expect(b.error).toBeInstanceOf(StreamTooLargeError);
    expect((b.error as StreamTooLargeError).limit).toBe(10);
    expect(b.error).toBeInstanceOf(WirebeatError);
    expect((b.error as StreamTooLargeError).code).toBe('ERR_STREAM_TOO_LARGE');
    expect(b.error!.message).toBe('stream buffer too large: 11 bytes exceeds the limit of 10 bytes');
    b.clear();
    expect(b.write(bytes('abc'))).toBe(true);
  });

  it('borrowed segments count against maxSize only for what settle() must keep', () => {
    const b = new StreamBuf({ maxSize: 8 });
    expect(b.borrow(bytes('>1234\n>5678\n>ab'))).toBe(true);
    expect(text(b.collectUntil(10))).toBe('>1234\n');
    b.reset();
    expect(text(b.collectUntil(10))).toBe('>5678\n');
    b.reset();
    b.settle(); // keeps '>ab'
    expect(b.failed).toBe(false);
    b.borrow(bytes('cdefgh'));
    expect(b.collectUntil(10)).toBeUndefined();
    b.settle(); // would keep 9 bytes
    expect(b.error).toBeInstanceOf(StreamTooLargeError);
  });

  it('consumed and reset bytes do not count against maxSize', () => {
    const b = new StreamBuf({ maxSize: 8 });
    for (let i = 0; i < 100; i++) {
      expect(b.write(bytes('1234567\n'))).toBe(true);
      expect(b.collectUntil(10)).toBeDefined();
      b.reset();
    }
  });
});

describe('StreamBuf copying', () => {
  it('write() copies: later changes to the caller buffer do not leak in', () => {
    const src = bytes('abc\n');
    const b = new StreamBuf();
    b.write(src);
    src[0] = 0x7a;
    expect(text(b.collectUntil(10))).toBe('abc\n');
  });

  it('append() does not copy: a message inside one chunk is returned as a view', () => {
    const src = bytes('abc\ndef');
    const b = new StreamBuf();
    b.append(src);
    const msg = b.collectUntil(10)!;
    expect(msg.buffer).toBe(src.buffer);
  });

  it('borrow() + settle(): whole messages are views, the partial tail survives reuse of the input', () => {
    const seg = Buffer.alloc(8);
    const b = new StreamBuf();
    seg.write('one\ntw', 'latin1');
    b.borrow(seg.subarray(0, 6));
    const one = b.collectUntil(10)!;
    expect(one.buffer).toBe(seg.buffer); // no copy for the complete message
    expect(text(one)).toBe('one\n');
    b.reset();
    expect(b.collectUntil(10)).toBeUndefined();
    b.settle();
    seg.fill(0x58); // the caller reuses its buffer
    seg.write('o\n', 'latin1');
    b.borrow(seg.subarray(0, 2));
    expect(text(b.collectUntil(10))).toBe('two\n');
    b.settle();
  });

  it('settle() keeps the bytes of the current message for restore()', () => {
    const seg = bytes('\x00\x09abc');
    const b = new StreamBuf();
    b.borrow(seg);
    const s = b.snapshot();
    expect(b.readUint16BE()).toBe(9);
    expect(b.collect(9)).toBeUndefined();
    b.settle();
    seg.fill(0);
    b.restore(s);
    expect(b.readUint16BE()).toBe(9);
    expect(b.bufferConsumed).toBe(2);
  });

  it('a long message polled after every small segment is scanned linearly, not quadratically', () => {
    const b = new StreamBuf({ maxSize: 64 * 1024 * 1024 });
    const seg = Buffer.alloc(100, 0x61);
    let calls = 0;
    let scanned = 0;
    // Count how many bytes the chunks' indexOf is asked to scan: written chunks are copied into
    // plain Uint8Arrays (TypedArray's indexOf), a Buffer has its own.
    type Searcher = { indexOf(this: Uint8Array, v: number, from?: number): number };
    const count = (proto: Searcher) => {
      const original = proto.indexOf;
      return jest.spyOn(proto, 'indexOf').mockImplementation(function (this: Uint8Array, v, from) {
        scanned += this.length - Number(from ?? 0);
        calls++;
        return original.call(this, v, from);
      });
    };
    const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as Searcher;
    const spies = [count(typedArrayProto), count(Buffer.prototype as unknown as Searcher)];
    try {
      for (let i = 0; i < 2000; i++) {
        b.write(seg);
        expect(b.collectUntil(10)).toBeUndefined();
      }
      b.write(bytes('\n'));
      expect(b.collectUntil(10)!.length).toBe(200_001);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(calls).toBeGreaterThan(0);
    expect(scanned).toBeLessThan(3 * 200_001); // quadratic would be ~200 million
  });
});

describe('StreamBuf property: split anywhere, same messages', () => {
  const messages = fc.array(fc.stringMatching(/^[^\n]{0,20}$/), { minLength: 1, maxLength: 12 });

  function splitLines(input: Uint8Array, cuts: number[], mode: 'write' | 'borrow'): string[] {
    const b = new StreamBuf();
    const out: string[] = [];
    let prev = 0;
    for (const cut of [...cuts, input.length]) {
      const seg = Buffer.from(input.subarray(prev, cut)); // a fresh copy the test then destroys
      prev = cut;
      if (mode === 'borrow') b.borrow(seg);
      else b.write(seg);
      let line: Uint8Array | undefined;
      while ((line = b.collectUntil(10)) !== undefined) {
        out.push(decodeUtf8(line));
        expect(b.bufferConsumed).toBe(line.length);
        b.reset();
      }
      if (mode === 'borrow') b.settle();
      seg.fill(0);
    }
    return out;
  }

  it('at every single boundary', () => {
    const input = Buffer.from('>hello\n<hello\n!oops\n\n>a longer message with spaces\n');
    const expected = splitLines(input, [], 'write');
    expect(expected).toHaveLength(5);
    for (let cut = 0; cut <= input.length; cut++) {
      expect(splitLines(input, [cut], 'write')).toEqual(expected);
      expect(splitLines(input, [cut], 'borrow')).toEqual(expected);
    }
  });

  it('at random boundaries', () => {
    fc.assert(
      fc.property(messages, fc.array(fc.nat(), { maxLength: 10 }), fc.boolean(), (msgs, rawCuts, borrow) => {
        const input = Buffer.from(msgs.map((m) => m + '\n').join(''));
        const cuts = [...new Set(rawCuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        expect(splitLines(input, cuts, borrow ? 'borrow' : 'write')).toEqual(msgs.map((m) => m + '\n'));
      }),
    );
  });
});
