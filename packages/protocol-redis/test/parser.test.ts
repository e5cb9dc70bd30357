// The RESP parser on its own: every RESP2 and RESP3 type, inline commands, limits, gaps.
import { makeTcpTuple } from '@wirebeat/applayer';
import {
  RespParser,
  formatValue,
  redisTransaction,
  rootFields,
  type RedisMessage,
} from '@wirebeat/protocol-redis';
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

// The quick paths: type lines read as text where they lie (odd line endings and bad integers still
// handled as before, at every cut), command names worked out once per spelling, arguments sharing
// the parsed array.
/** Values (as text) and the parser's state after feeding `chunks` to one direction. */
function parseText(dir: 0 | 1, chunks: string[]) {
  const { out, p } = parse(dir, chunks);
  return {
    values: out.map((m) => formatValue(m.value)),
    sizes: out.map((m) => m.size),
    broken: p.broken,
    out,
  };
}

/** Every way of cutting `wire` in two, plus byte by byte. */
function cuts(wire: string): string[][] {
  const all = [[wire], [...wire]];
  for (let i = 1; i < wire.length; i++) all.push([wire.slice(0, i), wire.slice(i)]);
  return all;
}

describe('RESP type lines read as text', () => {
  // [wire, values, broken]: line endings with and without CR, a CR inside the line, bad integers.
  const CASES: Array<[string, string[], boolean]> = [
    ['+OK\r\n+OK\n:7\n', ['OK', 'OK', '7'], false],
    ['+OK\r\r\n', ['OK\r'], false],
    ['+\r\n-\r\n', ['', ''], false],
    [':-0\r\n:123456789012345\r\n', ['0', '123456789012345'], false],
    [':1234567890123456\r\n', [], true],
    [':12x\r\n', [], true],
    [':\r\n', [], true],
    [':-\r\n', [], true],
    ['\r\n', [], true],
    ['*2\r\n$1\r\na\r\n:\u00e9\r\n', [], true],
    ['#t\r\n#f\r\n#\r\n', ['true', 'false', 'false'], false],
    ['+caf\u00e9\r\n', ['caf\u00c3\u00a9'], false],
    ['*2\r\n+a\r\n$-1\r\n', ['[a, nil]'], false],
  ];
  it.each(CASES)('%j at every cut', (wire, values, broken) => {
    for (const chunks of cuts(wire)) {
      const got = parseText(1, chunks);
      expect([got.values, got.broken]).toEqual([values, broken]);
    }
  });

  it('counts each line with its line ending in the message size', () => {
    const { sizes } = parseText(1, ['+OK\r\n:1\n*2\r\n+a\n:2\r\n']);
    expect(sizes).toEqual([5, 3, 11]);
  });
});

describe('command names and arguments', () => {
  it('takes method and event.action from any spelling, again and again', () => {
    for (const name of ['sEt', 'SET', 'set', 'sEt']) {
      const req = parseText(0, [`*3\r\n$3\r\n${name}\r\n$1\r\nk\r\n$1\r\nv\r\n`]).out[0];
      const resp = parseText(1, ['+OK\r\n']).out[0];
      const summary = redisTransaction({ request: req, response: resp, notes: undefined, index: 0 });
      expect(summary.action).toBe(`redis.set`);
      expect(summary.root).toEqual({ method: 'SET', resource: 'k', query: `${name} k v` });
    }
  });

  it('gives every spelling its own forms past the names it remembers', () => {
    for (let i = 0; i < 600; i++) {
      const name = `Cmd${i}`;
      const req = parseText(0, [`*1\r\n$${name.length}\r\n${name}\r\n`]).out[0];
      const summary = redisTransaction({ request: req, response: undefined, notes: undefined, index: 0 });
      expect(summary.action).toBe(`redis.cmd${i}`);
      expect(summary.root).toMatchObject({ method: `CMD${i}` });
    }
  });

  it('arguments of a command that are not all bulk strings are their text', () => {
    const [msg] = parseText(0, ['*3\r\n$3\r\nGET\r\n:5\r\n+x\r\n']).out;
    expect(msg.args).toEqual(['GET', '5', 'x']);
    const [plain] = parseText(0, ['*2\r\n$3\r\nGET\r\n$1\r\nk\r\n']).out;
    expect(plain.args).toEqual(['GET', 'k']);
  });

  it('redacts the query made without the parsed text, never the key', () => {
    expect(rootFields(['auth', 'secret'])).toEqual({
      method: 'AUTH',
      resource: undefined,
      query: 'auth REDACTED',
    });
    expect(rootFields(['MIGRATE', 'h', '6379', 'k', '0', '5', 'AUTH', 'pw'])).toEqual({
      method: 'MIGRATE',
      resource: 'h',
      query: 'MIGRATE h 6379 k 0 5 AUTH REDACTED',
    });
  });
});
