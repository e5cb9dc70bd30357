// The newline parser on crafted input: one message per line, sizes on the wire, times, resync.
import { Notes, type TcpTuple } from '@wirebeat/applayer';
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

function parser(keepContent = true, maxMessageSize = 1024) {
  const messages: TemplateMessage[] = [];
  const opts = { max_message_size: maxMessageSize, send_request: keepContent, send_response: keepContent };
  const p = [new TemplateParser(tuple, 0, opts), new TemplateParser(tuple, 1, opts)];
  const emit = (m: TemplateMessage) => messages.push(m);
  const feed = (ts: number, text: string, dir: 0 | 1 = 0) => p[dir].parse(bytes(text), ts, emit);
  return { messages, feed, gap: (dir: 0 | 1 = 0) => p[dir].gap(emit) };
}

describe('newline TemplateParser', () => {
  it('reports every line of a segment as one message, its size including the newline', () => {
    const { messages, feed } = parser();
    feed(1, 'abc\nde\r\n');
    expect(messages.map((m) => [m.raw, m.size, m.bodyLength])).toEqual([
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
    expect(messages).toEqual([expect.objectContaining({ raw: 'hello', ts: 10, size: 6 })]);
    feed(40, '\n');
    expect(messages[1]).toMatchObject({ raw: 'next', ts: 30 });
  });

  it('decodes the body only when asked to', () => {
    const { messages, feed } = parser(false);
    feed(1, 'secret\n');
    expect(messages[0].raw).toBeUndefined();
    expect(messages[0].bodyLength).toBe(6);
  });

  it('does not keep a line longer than max_message_size: it becomes a message without text, with a note', () => {
    const { messages, feed } = parser(true, 4);
    feed(1, '123');
    feed(2, '45');
    feed(3, '678\nok\n');
    expect(messages.map((m) => [m.raw, m.size, m.notes])).toEqual([
      ['', 9, [Notes.messageTooLong]],
      ['ok', 3, undefined],
    ]);
    // The limit is on what waits for its newline: a whole line in one segment needs no buffer.
    feed(4, '0123456789\n');
    expect(messages[2]).toMatchObject({ raw: '0123456789', notes: undefined });
  });

  it('after a gap, publishes the cut line with a note and resumes at the next one', () => {
    const { messages, feed, gap } = parser();
    feed(1, 'par');
    expect(gap()).toBe(true);
    feed(2, 'tial line\nwhole\n');
    expect(messages.map((m) => [m.raw, m.truncated, m.notes])).toEqual([
      ['par', true, [Notes.messageHitByGap]],
      ['whole', false, undefined],
    ]);
  });
});
