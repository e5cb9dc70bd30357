// The length-prefixed parser on bytes framed with the protocol's FRAMING by test/wire.ts: header
// and body, sizes on the wire, messages split anywhere, limits.
import type { TcpTuple } from '@wirebeat/applayer';
import { FRAMING, TemplateParser } from '../src/parser-length';
import type { TemplateMessage } from '../src/message';
import { encodeRequest } from './wire-length';

const tuple: TcpTuple = {
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 7357,
  connectionId: 'c',
};

function parser(maxMessageBytes = 1024) {
  const messages: TemplateMessage[] = [];
  const config = {
    max_message_size: maxMessageBytes,
    send_request: true,
    send_response: true,
    framing: FRAMING,
  };
  const p = [new TemplateParser(tuple, 0, config), new TemplateParser(tuple, 1, config)];
  const feed = (ts: number, payload: Uint8Array, dir: 0 | 1 = 0) =>
    p[dir].parse(payload, ts, (m) => messages.push(m));
  return { messages, feed };
}

describe('length-prefixed TemplateParser', () => {
  it('reads the header, then the body; size counts the header', () => {
    const { messages, feed } = parser();
    const two = new Uint8Array([...encodeRequest('abc'), ...encodeRequest('')]);
    expect(feed(1, two)).toBe(true);
    expect(messages.map((m) => [m.raw, m.size, m.bodyLength])).toEqual([
      ['abc', FRAMING.headerSize + 3, 3],
      ['', FRAMING.headerSize, 0],
    ]);
  });

  it('waits for a split header and a split body, keeping the first segment time', () => {
    const msg = encodeRequest('hello');
    for (let cut = 1; cut < msg.length; cut++) {
      const { messages, feed } = parser();
      feed(10, msg.subarray(0, cut));
      expect(messages).toHaveLength(0);
      feed(20, msg.subarray(cut));
      expect(messages).toEqual([
        expect.objectContaining({ raw: 'hello', ts: 10, size: msg.length, isRequest: true }),
      ]);
    }
  });

  it('refuses a length beyond max_message_size: the stream stops', () => {
    const { messages, feed } = parser(16);
    expect(feed(1, encodeRequest('x'.repeat(17)))).toBe(false);
    expect(feed(2, encodeRequest('ok'))).toBe(false);
    expect(messages).toHaveLength(0);
  });
});
