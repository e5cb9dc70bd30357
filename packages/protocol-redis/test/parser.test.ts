// The RESP parser on its own: every RESP2 and RESP3 type, inline commands, limits, gaps.
import { makeTcpTuple } from '@wirebeat/applayer';
import { RespParser, formatValue, type RedisMessage } from '@wirebeat/protocol-redis';
import { bytewise } from '@wirebeat/testing';

const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 6379,
  openedAt: 0,
});
const enc = (s: string) => new TextEncoder().encode(s);

function parse(dir: 0 | 1, chunks: Array<string | Uint8Array>, maxBulkBytes = 1024) {
  const out: RedisMessage[] = [];
  const p = new RespParser(tuple, dir, { maxBulkBytes });
  for (const c of chunks) p.parse(typeof c === 'string' ? enc(c) : c, 1, (m) => out.push(m));
  return { out, p };
}

const REPLIES: Array<[string, string]> = [
  ['+OK\r\n', 'OK'],
  ['-ERR bad\r\n', 'ERR bad'],
  [':-42\r\n', '-42'],
  ['$5\r\nhello\r\n', 'hello'],
  ['$0\r\n\r\n', ''],
  ['$-1\r\n', 'nil'],
  ['*-1\r\n', 'nil'],
  ['*0\r\n', '[]'],
  ['*3\r\n:1\r\n*2\r\n+a\r\n$1\r\nb\r\n_\r\n', '[1, [a, b], nil]'],
  ['_\r\n', 'nil'],
  [',3.25\r\n', '3.25'],
  [',-inf\r\n', '-Infinity'],
  ['#t\r\n', 'true'],
  ['(3492890328409238509324850943850943825024385\r\n', '3492890328409238509324850943850943825024385'],
  ['=15\r\ntxt:Some string\r\n', 'Some string'],
  ['!11\r\nSYNTAX oops\r\n', 'SYNTAX oops'],
  ['%2\r\n+a\r\n:1\r\n+b\r\n%1\r\n+c\r\n#f\r\n', '{a: 1, b: {c: false}}'],
  ['~2\r\n+x\r\n+y\r\n', '[x, y]'],
  ['|1\r\n+ttl\r\n:3600\r\n+value\r\n', 'value'],
  ['>3\r\n+message\r\n+ch\r\n+hi\r\n', '[message, ch, hi]'],
];

describe('RespParser', () => {
  it.each(REPLIES)('reads %j', (wire, text) => {
    const { out } = parse(1, [wire]);
    expect(out).toHaveLength(1);
    expect(formatValue(out[0].value)).toBe(text);
    expect(out[0].size).toBe(wire.length);
  });

  it('reads every type fed byte by byte, back to back', () => {
    const wire = REPLIES.map(([w]) => w).join('');
    const { out } = parse(1, bytewise(enc(wire)));
    expect(out.map((m) => formatValue(m.value))).toEqual(REPLIES.map(([, t]) => t));
    expect(out.map((m) => [m.isPush, m.isError]).filter(([push]) => push)).toHaveLength(1);
  });

  it('reads commands as arrays of bulk strings and inline commands', () => {
    const { out } = parse(0, ['*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n', 'PING\r\n', 'set  a   b\r\n']);
    expect(out.map((m) => [m.args, m.inline])).toEqual([
      [['SET', 'k', 'v1'], false],
      [['PING'], true],
      [['set', 'a', 'b'], true],
    ]);
  });

  it('keeps max_bulk_bytes of a long bulk string and counts the rest', () => {
    const { out } = parse(1, ['$10\r\n01234', '56789\r\n+OK\r\n'], 4);
    expect(formatValue(out[0].value)).toBe('0123... (10 bytes)');
    expect(out[0].size).toBe(17);
    expect(formatValue(out[1].value)).toBe('OK');
  });

  it('a gap inside a bulk string shortens it; elsewhere the parser resumes at the next reply', () => {
    const r = parse(1, ['$10\r\n01']);
    expect(r.p.gap(4)).toBe(true);
    r.p.parse(enc('6789\r\n:1\r\n'), 2, (m) => r.out.push(m));
    expect(r.out.map((m) => [m.size, m.truncated, m.notes])).toEqual([
      [17, true, ['bulk string bytes lost in a gap in the stream']],
      [4, false, undefined],
    ]);
    r.p.parse(enc('*2\r\n:1'), 3, (m) => r.out.push(m));
    expect(r.p.gap(3)).toBe(true);
    expect(r.p.broken).toBe(false);
    // The rest of the cut line is skipped; parsing resumes at the next line that starts a reply.
    r.p.parse(enc('x\r\n+OK\r\n'), 4, (m) => r.out.push(m));
    expect(r.out.slice(2).map((m) => [formatValue(m.value), m.notes])).toEqual([
      ['OK', ['message follows a gap in the stream']],
    ]);
  });

  it('stops on bytes that are not RESP', () => {
    const { out, p } = parse(1, ['?what\r\n+OK\r\n']);
    expect(out).toEqual([]);
    expect(p.broken).toBe(true);
  });
});
