// The Redis quick paths: type lines read as text where they lie (every odd line ending and bad
// integer still handled as before, at every cut of the input), command names worked out once per
// spelling, and command arguments sharing the parsed array.
import { makeTcpTuple } from '@wirebeat/applayer';
import {
  RespParser,
  formatValue,
  redisTransaction,
  rootFields,
  type RedisMessage,
} from '@wirebeat/protocol-redis';

const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 6379,
  openedAt: 0,
});
const enc = (s: string) => new TextEncoder().encode(s);

/** Values (as text) and the parser's state after feeding `chunks` to one direction. */
function parse(dir: 0 | 1, chunks: string[]) {
  const out: RedisMessage[] = [];
  const p = new RespParser(tuple, dir, { maxBulkBytes: 1024 });
  for (const c of chunks) p.parse(enc(c), 1, (m) => out.push(m));
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
      const got = parse(1, chunks);
      expect([got.values, got.broken]).toEqual([values, broken]);
    }
  });

  it('counts each line with its line ending in the message size', () => {
    const { sizes } = parse(1, ['+OK\r\n:1\n*2\r\n+a\n:2\r\n']);
    expect(sizes).toEqual([5, 3, 11]);
  });
});

describe('command names and arguments', () => {
  it('takes method and event.action from any spelling, again and again', () => {
    for (const name of ['sEt', 'SET', 'set', 'sEt']) {
      const req = parse(0, [`*3\r\n$3\r\n${name}\r\n$1\r\nk\r\n$1\r\nv\r\n`]).out[0];
      const resp = parse(1, ['+OK\r\n']).out[0];
      const summary = redisTransaction({ request: req, response: resp, notes: undefined });
      expect(summary.action).toBe(`redis.set`);
      expect(summary.root).toEqual({ method: 'SET', resource: 'k', query: `${name} k v` });
    }
  });

  it('gives every spelling its own forms past the names it remembers', () => {
    for (let i = 0; i < 600; i++) {
      const name = `Cmd${i}`;
      const req = parse(0, [`*1\r\n$${name.length}\r\n${name}\r\n`]).out[0];
      const summary = redisTransaction({ request: req, response: undefined, notes: undefined });
      expect(summary.action).toBe(`redis.cmd${i}`);
      expect(summary.root).toMatchObject({ method: `CMD${i}` });
    }
  });

  it('arguments of a command that are not all bulk strings are their text', () => {
    const [msg] = parse(0, ['*3\r\n$3\r\nGET\r\n:5\r\n+x\r\n']).out;
    expect(msg.args).toEqual(['GET', '5', 'x']);
    const [plain] = parse(0, ['*2\r\n$3\r\nGET\r\n$1\r\nk\r\n']).out;
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
