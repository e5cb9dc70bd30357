import { Notes, makeTcpTuple } from '@wirebeat/applayer';
import { EchoParser, type EchoMessage } from '@wirebeat/protocol-echo';

const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '1.1.1.1',
  clientPort: 1,
  serverIp: '2.2.2.2',
  serverPort: 3030,
  openedAt: 0,
});

function parseAll(
  dir: 0 | 1,
  segments: Array<[string, number]>,
  maxSize = 1024,
): { msgs: EchoMessage[]; parser: EchoParser } {
  const parser = new EchoParser(tuple, dir, maxSize);
  const msgs: EchoMessage[] = [];
  for (const [text, ts] of segments) {
    const seg = Buffer.from(text);
    parser.parse(seg, ts, (m) => msgs.push(m));
    seg.fill(0); // the caller's buffer dies after the call
  }
  return { msgs, parser };
}

const view = (m: EchoMessage) => ({
  marker: m.marker,
  text: m.text,
  line: m.line,
  size: m.size,
  ts: m.ts,
  isRequest: m.isRequest,
});

describe('EchoParser', () => {
  it('splits newline-terminated messages; size counts the marker and the newline', () => {
    const { msgs } = parseAll(0, [['>abc\nplain\n>\n', 5]]);
    expect(msgs.map(view)).toEqual([
      { marker: '>', text: 'abc', line: '>abc', size: 5, ts: 5, isRequest: true },
      { marker: '', text: 'plain', line: 'plain', size: 6, ts: 5, isRequest: true },
      { marker: '>', text: '', line: '>', size: 2, ts: 5, isRequest: true },
    ]);
  });

  it('recognises response markers in the server direction', () => {
    const { msgs } = parseAll(1, [['<ok\n!bad\n', 1]]);
    expect(msgs.map((m) => [m.marker, m.text, m.isRequest])).toEqual([
      ['<', 'ok', false],
      ['!', 'bad', false],
    ]);
  });

  it('times a message by its first segment, across segments', () => {
    const { msgs } = parseAll(0, [
      ['>first\n>sec', 10],
      ['ond\n>th', 20],
      ['ird\n', 30],
    ]);
    expect(msgs.map((m) => [m.text, m.ts, m.size])).toEqual([
      ['first', 10, 7],
      ['second', 10, 8],
      ['third', 20, 7],
    ]);
  });

  it('keeps UTF-8 text intact even when a character is split between segments', () => {
    const bytes = Buffer.from('>héllo wörld\n');
    const parser = new EchoParser(tuple, 0, 1024);
    const msgs: EchoMessage[] = [];
    parser.parse(bytes.subarray(0, 3), 1, (m) => msgs.push(m));
    parser.parse(bytes.subarray(3), 2, (m) => msgs.push(m));
    expect(msgs.map((m) => [m.text, m.size])).toEqual([['héllo wörld', bytes.length]]);
  });

  it('flush() turns an unterminated last line into a message with a note', () => {
    const { msgs, parser } = parseAll(0, [['>done\n>partial', 1]]);
    parser.flush((m) => msgs.push(m));
    expect(msgs.map((m) => [m.text, m.size, m.notes])).toEqual([
      ['done', 6, undefined],
      ['partial', 8, [Notes.incompleteMessage]],
    ]);
    parser.flush((m) => msgs.push(m));
    expect(msgs).toHaveLength(2);
  });

  it('gap() publishes the message it cut short (truncated, noted) and resumes after the next newline', () => {
    const { msgs, parser } = parseAll(0, [['>one\n>tw', 1]]);
    expect(parser.gap((m) => msgs.push(m))).toBe(true);
    parser.parse(Buffer.from('o-tail\n>three\n'), 2, (m) => msgs.push(m));
    expect(msgs.map((m) => [m.text, m.size, m.ts, m.truncated, m.notes])).toEqual([
      ['one', 5, 1, false, undefined],
      ['tw', 3, 1, true, [Notes.messageHitByGap]],
      ['three', 7, 2, false, undefined],
    ]);
  });

  it('after a cut message, bytes that start like a message right after the gap are one', () => {
    const { msgs, parser } = parseAll(1, [['<big-resp', 1]]);
    expect(parser.gap((m) => msgs.push(m))).toBe(true);
    parser.parse(Buffer.from('<next\n'), 2, (m) => msgs.push(m));
    expect(msgs.map((m) => [m.text, m.truncated, m.notes])).toEqual([
      ['big-resp', true, [Notes.messageHitByGap]],
      ['next', false, [Notes.messageAfterGap]],
    ]);
  });

  it('gap() between messages publishes nothing; a gap in an over-long line publishes its size', () => {
    const { msgs, parser } = parseAll(0, [['>one\n', 1]]);
    expect(parser.gap((m) => msgs.push(m))).toBe(false);
    expect(msgs).toHaveLength(1);
    const long = parseAll(0, [['>' + 'x'.repeat(30), 1]], 16);
    expect(long.parser.gap((m) => long.msgs.push(m))).toBe(true);
    expect(long.msgs.map((m) => [m.marker, m.text, m.size, m.truncated, m.notes])).toEqual([
      ['>', '', 31, true, ['message longer than max_message_size: text not kept', Notes.messageHitByGap]],
    ]);
  });

  it('does not keep a line longer than max_message_size: it becomes a message without text, with a note', () => {
    const { msgs, parser } = parseAll(
      0,
      [
        ['>' + 'x'.repeat(30), 1],
        ['x'.repeat(30), 2],
        ['x'.repeat(30), 3],
        ['x\n>ok\n>' + 'y'.repeat(50), 4],
      ],
      40,
    );
    parser.flush((m) => msgs.push(m));
    expect(msgs.map((m) => [m.marker, m.text, m.size, m.ts, m.notes])).toEqual([
      ['>', '', 93, 1, ['message longer than max_message_size: text not kept']],
      ['>', 'ok', 4, 4, undefined],
      ['>', '', 51, 4, ['message longer than max_message_size: text not kept', Notes.incompleteMessage]],
    ]);
  });

  it('a segment of many whole messages may be larger than max_message_size', () => {
    const { msgs } = parseAll(0, [['>12345678\n'.repeat(20), 1]], 16);
    expect(msgs.map((m) => m.text)).toEqual(new Array(20).fill('12345678'));
  });
});
