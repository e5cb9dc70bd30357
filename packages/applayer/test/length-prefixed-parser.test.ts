// LengthPrefixedParser on bytes framed by this test (Node's Buffer integer writers), for several
// framings: header size, length offset and width, byte order, length counting the header or not.
import { LengthFramingError, LengthPrefixedParser, lengthFramingOption, type LengthFraming } from '../src';
import type { TcpTuple } from '../src';

const tuple: TcpTuple = {
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 7000,
  connectionId: 'c',
};

const FRAMINGS: Record<string, LengthFraming> = {
  '4-byte big-endian body length': {
    headerSize: 4,
    lengthOffset: 0,
    lengthSize: 4,
    byteOrder: 'big',
    lengthIncludesHeader: false,
  },
  '2-byte little-endian at offset 2 counting the header, 6-byte header': {
    headerSize: 6,
    lengthOffset: 2,
    lengthSize: 2,
    byteOrder: 'little',
    lengthIncludesHeader: true,
  },
  '3-byte big-endian at offset 1 of a 5-byte header': {
    headerSize: 5,
    lengthOffset: 1,
    lengthSize: 3,
    byteOrder: 'big',
    lengthIncludesHeader: false,
  },
  '1-byte length': {
    headerSize: 1,
    lengthOffset: 0,
    lengthSize: 1,
    byteOrder: 'big',
    lengthIncludesHeader: false,
  },
};

/** A message framed by hand: header bytes 0xee except the length field, then the body. */
function frame(framing: LengthFraming, body: string): Buffer {
  const bytes = Buffer.from(body);
  const header = Buffer.alloc(framing.headerSize, 0xee);
  const length = bytes.length + (framing.lengthIncludesHeader ? framing.headerSize : 0);
  if (framing.byteOrder === 'big') header.writeUIntBE(length, framing.lengthOffset, framing.lengthSize);
  else header.writeUIntLE(length, framing.lengthOffset, framing.lengthSize);
  return Buffer.concat([header, bytes]);
}

function parser(framing: LengthFraming, maxMessageSize = 1024) {
  const messages: Array<{ body: string; header: number; ts: number; size: number; isRequest: boolean }> = [];
  const p = new LengthPrefixedParser(tuple, 0, {
    maxMessageSize,
    framing,
    decode: (header, body) => ({ body: Buffer.from(body).toString(), header: header.length }),
  });
  const feed = (payload: Uint8Array, ts = 1) => p.parse(payload, ts, (m) => messages.push(m));
  return { p, messages, feed };
}

describe.each(Object.entries(FRAMINGS))('LengthPrefixedParser, %s', (_, framing) => {
  const bodies = ['hello', '', 'a longer body that arrives in pieces'];
  const stream = Buffer.concat(bodies.map((b) => frame(framing, b)));

  it('splits whole messages of one segment; size counts the header', () => {
    const { messages, feed } = parser(framing);
    expect(feed(stream)).toBe(true);
    expect(messages.map((m) => [m.body, m.header, m.size, m.isRequest])).toEqual(
      bodies.map((b) => [b, framing.headerSize, framing.headerSize + b.length, true]),
    );
  });

  it('gives the same messages whatever the segments, with each message first segment time', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const { messages, feed, p } = parser(framing);
      expect(feed(stream.subarray(0, cut), 10)).toBe(true);
      expect(feed(stream.subarray(cut), 20)).toBe(true);
      expect(messages.map((m) => m.body)).toEqual(bodies);
      expect(messages[0].ts).toBe(10);
      expect(messages[2].ts).toBe(cut > stream.length - frame(framing, bodies[2]).length ? 10 : 20);
      expect(p.partialBytes()).toBe(0);
    }
  });

  it('stops the direction at a length beyond maxMessageSize', () => {
    const { messages, feed } = parser(framing, 10);
    expect(feed(frame(framing, 'x'.repeat(11)))).toBe(false);
    expect(feed(frame(framing, 'ok'))).toBe(false);
    expect(messages).toEqual([]);
  });
});

describe('LengthPrefixedParser framing checks', () => {
  it('stops at a length counting the header that is shorter than the header', () => {
    const framing = FRAMINGS['2-byte little-endian at offset 2 counting the header, 6-byte header'];
    const { feed } = parser(framing);
    expect(feed(Buffer.from([0, 0, 3, 0, 0, 0]))).toBe(false);
  });

  it('refuses a framing whose length field does not fit in the header', () => {
    const framing: LengthFraming = { ...FRAMINGS['1-byte length'], lengthOffset: 1 };
    expect(() => parser(framing)).toThrow(LengthFramingError);
    expect(() => parser(framing)).toThrow(
      'header size 1: the length field (offset 1, 1 bytes) must fit in it',
    );
  });

  it('reads the framing option from config keys, defaults from the protocol', () => {
    const option = lengthFramingOption(FRAMINGS['4-byte big-endian body length']);
    expect(option.parse(undefined)).toEqual(FRAMINGS['4-byte big-endian body length']);
    expect(
      option.parse({
        header_size: 6,
        length_offset: 2,
        length_size: 2,
        byte_order: 'little',
        length_includes_header: true,
      }),
    ).toEqual(FRAMINGS['2-byte little-endian at offset 2 counting the header, 6-byte header']);
    expect(option.safeParse({ length_size: 5 }).error?.issues[0].message).toBe('expected 1, 2, 3 or 4');
    expect(option.safeParse({ byte_order: 'middle' }).error?.issues[0].message).toBe(
      'expected big or little',
    );
    expect(option.safeParse({ length_offset: 2 }).error?.issues[0].message).toBe(
      'header size 4: the length field (offset 2, 4 bytes) must fit in it',
    );
    expect(option.safeParse({ size: 2 }).success).toBe(false);
  });
});
