// The newline parser on crafted input: one message per line, sizes on the wire, times, resync.
import type { TcpTuple } from '@wirebeat/applayer';
import { TemplateParser } from '../src/parser-newline';
import type { TemplateMessage } from '../src/message';

const tuple: TcpTuple = {
  ipVersion: 4,
  srcIp: '10.0.0.2',
  srcPort: 40000,
  dstIp: '10.0.0.1',
  dstPort: 7357,
  connectionId: 'c',
};
const bytes = (text: string) => new TextEncoder().encode(text);

function parser(keepContent = true) {
  const messages: TemplateMessage[] = [];
  const p = new TemplateParser({ maxMessageBytes: 1024, keepContent });
  const feed = (ts: number, text: string, dir: 0 | 1 = 0) =>
    p.feed({ ts, payload: bytes(text) }, tuple, dir, (m) => messages.push(m));
  return { p, messages, feed };
}

describe('newline TemplateParser', () => {
  it('reports every line of a segment as one message, its size including the newline', () => {
    const { messages, feed } = parser();
    expect(feed(1, 'abc\nde\r\n')).toBe(true);
    expect(messages.map((m) => [m.content, m.size, m.bodyLength])).toEqual([
      ['abc', 4, 3],
      ['de', 4, 2],
    ]);
  });

  it('marks client messages as requests and server messages as responses', () => {
    const { messages, feed } = parser();
    feed(1, 'q\n', 0);
    feed(2, 'r\n', 1);
    expect(messages.map((m) => [m.isRequest, m.direction])).toEqual([
      [true, 0],
      [false, 1],
    ]);
  });

  it('waits for the newline and stamps the message with its first segment time', () => {
    const { messages, feed } = parser();
    feed(10, 'hel');
    feed(20, 'lo');
    expect(messages).toHaveLength(0);
    feed(30, '\nnext');
    expect(messages).toEqual([expect.objectContaining({ content: 'hello', ts: 10, size: 6 })]);
    feed(40, '\n');
    expect(messages[1]).toMatchObject({ content: 'next', ts: 30 });
  });

  it('decodes the body only when asked to', () => {
    const { messages, feed } = parser(false);
    feed(1, 'secret\n');
    expect(messages[0].content).toBeUndefined();
    expect(messages[0].bodyLength).toBe(6);
  });

  it('refuses a line longer than max_message_bytes, complete or still growing', () => {
    const complete = new TemplateParser({ maxMessageBytes: 4, keepContent: true });
    expect(complete.feed({ ts: 1, payload: bytes('12345\n') }, tuple, 0, () => undefined)).toBe(false);
    const growing = new TemplateParser({ maxMessageBytes: 4, keepContent: true });
    expect(growing.feed({ ts: 1, payload: bytes('123') }, tuple, 0, () => undefined)).toBe(true);
    expect(growing.feed({ ts: 2, payload: bytes('45') }, tuple, 0, () => undefined)).toBe(false);
  });

  it('after a gap, drops the rest of the hit line and resumes at the next one', () => {
    const { p, messages, feed } = parser();
    feed(1, 'par');
    expect(p.gap()).toBe(true);
    feed(2, 'tial line\nwhole\n');
    expect(messages.map((m) => m.content)).toEqual(['whole']);
  });
});
