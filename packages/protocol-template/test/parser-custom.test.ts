// The fixed-header parser on crafted input: header fields, failed responses, limits.
import type { TcpTuple } from '@wirebeat/applayer';
import { TemplateParser } from '../src/parser-custom';
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
  const opts = { max_message_size: maxMessageBytes, send_request: true, send_response: true };
  const p = [new TemplateParser(tuple, 0, opts), new TemplateParser(tuple, 1, opts)];
  const feed = (ts: number, payload: Uint8Array, dir: 0 | 1 = 0) =>
    p[dir].parse(payload, ts, (m) => messages.push(m));
  return { messages, feed };
}

describe('fixed-header TemplateParser', () => {
  it('reads type, status and length from the header; size counts the header', () => {
    const { messages, feed } = parser();
    feed(1, framed(7, 0, 'get'));
    expect(messages).toEqual([
      expect.objectContaining({
        raw: 'get',
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
    expect(messages).toEqual([expect.objectContaining({ raw: 'body', ts: 10, size: 12 })]);
  });

  it('refuses a length beyond max_message_size: the stream stops', () => {
    const big = parser(16);
    expect(big.feed(1, framed(1, 0, 'x'.repeat(17)))).toBe(false);
    expect(big.feed(2, framed(1, 0, 'ok'))).toBe(false);
    expect(big.messages).toHaveLength(0);
  });
});
