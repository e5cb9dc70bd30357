// The length-prefixed parser on crafted input: prefix and body, sizes on the wire, limits.
import type { TcpTuple } from '@wirebeat/applayer';
import { TemplateParser } from '../src/parser-length';
import type { TemplateMessage } from '../src/message';

const tuple: TcpTuple = {
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 7357,
  connectionId: 'c',
};

function framed(body: string): Uint8Array {
  const b = new TextEncoder().encode(body);
  const out = new Uint8Array(4 + b.length);
  new DataView(out.buffer).setUint32(0, b.length);
  out.set(b, 4);
  return out;
}

function parser(maxMessageBytes = 1024) {
  const messages: TemplateMessage[] = [];
  const opts = { maxMessageSize: maxMessageBytes, keepContent: true };
  const p = [new TemplateParser(tuple, 0, opts), new TemplateParser(tuple, 1, opts)];
  const feed = (ts: number, payload: Uint8Array, dir: 0 | 1 = 0) =>
    p[dir].parse(payload, ts, (m) => messages.push(m));
  return { messages, feed };
}

describe('length-prefixed TemplateParser', () => {
  it('reads the 4-byte length, then the body; size counts the prefix', () => {
    const { messages, feed } = parser();
    const two = new Uint8Array([...framed('abc'), ...framed('')]);
    expect(feed(1, two)).toBe(true);
    expect(messages.map((m) => [m.raw, m.size, m.bodyLength])).toEqual([
      ['abc', 7, 3],
      ['', 4, 0],
    ]);
  });

  it('waits for a split prefix and a split body, keeping the first segment time', () => {
    const { messages, feed } = parser();
    const msg = framed('hello');
    feed(10, msg.subarray(0, 2));
    feed(20, msg.subarray(2, 6));
    expect(messages).toHaveLength(0);
    feed(30, msg.subarray(6));
    expect(messages).toEqual([expect.objectContaining({ raw: 'hello', ts: 10, size: 9, isRequest: true })]);
  });

  it('refuses a length beyond max_message_size: the stream stops', () => {
    const { messages, feed } = parser(16);
    expect(feed(1, framed('x'.repeat(17)))).toBe(false);
    expect(feed(2, framed('ok'))).toBe(false);
    expect(messages).toHaveLength(0);
  });
});
