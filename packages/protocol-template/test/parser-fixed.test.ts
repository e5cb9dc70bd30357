// The fixed-header parser on crafted input: header fields, failed responses, limits, gaps.
import type { TcpTuple } from '@wirebeat/applayer';
import { TemplateParser } from '../src/parser-fixed';
import type { TemplateMessage } from '../src/message';

const tuple: TcpTuple = {
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 7357,
  connectionId: 'c',
};

function framed(type: number, status: number, body: string): Uint8Array {
  const b = new TextEncoder().encode(body);
  const out = new Uint8Array(8 + b.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, type);
  view.setUint16(2, status);
  view.setUint32(4, b.length);
  out.set(b, 8);
  return out;
}

function parser(maxMessageBytes = 1024) {
  const messages: TemplateMessage[] = [];
  const p = new TemplateParser({ maxMessageBytes, keepContent: true });
  const feed = (ts: number, payload: Uint8Array, dir: 0 | 1 = 0) =>
    p.feed({ ts, payload }, tuple, dir, (m) => messages.push(m));
  return { p, messages, feed };
}

describe('fixed-header TemplateParser', () => {
  it('reads type, status and length from the header; size counts the header', () => {
    const { messages, feed } = parser();
    feed(1, framed(7, 0, 'get'));
    expect(messages).toEqual([
      expect.objectContaining({
        content: 'get',
        size: 11,
        bodyLength: 3,
        messageType: 7,
        statusCode: 0,
        failed: false,
      }),
    ]);
  });

  it('marks a response with a non-zero status as failed, a request never', () => {
    const { messages, feed } = parser();
    feed(1, framed(1, 5, 'req'), 0);
    feed(2, framed(1, 5, 'resp'), 1);
    expect(messages.map((m) => [m.isRequest, m.failed])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('waits for a header split across segments', () => {
    const { messages, feed } = parser();
    const msg = framed(2, 0, 'body');
    for (let i = 0; i < msg.length; i++) feed(10 + i, msg.subarray(i, i + 1));
    expect(messages).toEqual([expect.objectContaining({ content: 'body', ts: 10, size: 12 })]);
  });

  it('refuses a length beyond max_message_bytes and stops after a gap', () => {
    const big = parser(16);
    expect(big.feed(1, framed(1, 0, 'x'.repeat(17)))).toBe(false);
    const gapped = parser();
    gapped.feed(1, framed(1, 0, 'abc').subarray(0, 4));
    expect(gapped.p.gap()).toBe(false);
    expect(gapped.feed(2, framed(1, 0, 'next'))).toBe(false);
    expect(big.messages).toHaveLength(0);
    expect(gapped.messages).toHaveLength(0);
  });
});
