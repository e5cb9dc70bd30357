// The memcache parsers on their own: text requests and replies, binary headers, extras and
// values, UDP frames, limits and gaps.
import { TextNotes } from '@wirebeat/protocol-memcache';
import { bytewise } from '@wirebeat/testing';
import { bin, datagram, essence, parseDatagrams, parseStream, u64 } from './helpers';

describe('text requests', () => {
  it('storage commands read their data block, which may hold CRLF and any byte', () => {
    const { out } = parseStream(0, ['set k 5 60 4\r\na\r\nb\r\ncas k 0 0 1 99 noreply\r\n\xff\r\n']);
    expect(out.map(essence)).toEqual([
      {
        isRequest: true,
        size: 20,
        binary: false,
        command: 'set',
        type: 'Store',
        keys: ['k'],
        flags: 5,
        exptime: 60,
        bytes: 4,
        countValues: 1,
        noreply: false,
      },
      expect.objectContaining({ command: 'cas', casUnique: 99, noreply: true, bytes: 1, size: 27 }),
    ]);
  });

  it('multi-get keys, counters, touch, delete, flush_all, verbosity, stats, unknown commands', () => {
    const { out } = parseStream(0, [
      'get a b c\r\ngets a\r\nincr n 5\r\ndecr n 2 noreply\r\ntouch a 10\r\ndelete a\r\n',
      'flush_all 30\r\nverbosity 1\r\nstats settings\r\nslabs automove 1\r\nversion\r\nquit\r\nfoo bar\n',
    ]);
    expect(
      out.map((m) => [m.command, m.type, m.keys, m.delta ?? m.exptime ?? m.verbosity ?? m.rawArgs]),
    ).toEqual([
      ['get', 'Load', ['a', 'b', 'c'], undefined],
      ['gets', 'Load', ['a'], undefined],
      ['incr', 'Counter', ['n'], 5],
      ['decr', 'Counter', ['n'], 2],
      ['touch', 'Store', ['a'], 10],
      ['delete', 'Delete', ['a'], undefined],
      ['flush_all', 'Delete', undefined, 30],
      ['verbosity', 'Info', undefined, 1],
      ['stats', 'Stats', undefined, 'settings'],
      ['slabs automove', 'SlabCtrl', undefined, 'automove 1'],
      ['version', 'Info', undefined, undefined],
      ['quit', 'Info', undefined, undefined],
      ['UNKNOWN', 'UNKNOWN', undefined, undefined],
    ]);
    expect(out[3].noreply).toBe(true);
    expect(out[12].line).toBe('foo bar');
  });

  it('keeps at most maxKeys keys of a huge multi-get', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const { out } = parseStream(0, [`get ${keys.join(' ')}\r\n`]);
    expect(out[0].keys).toHaveLength(100);
  });

  it('gives up on a line longer than the limit, without buffering it', () => {
    const { out, p } = parseStream(0, ['get ' + 'x'.repeat(20000)]);
    expect(out).toEqual([]);
    expect(p.parse(Buffer.from('\r\nget a\r\n'), 2, () => undefined)).toBe(false);
  });
});

describe('text replies', () => {
  it('a multi-get reply is one message: keys, values, bytes, flags and cas, up to END', () => {
    const reply = 'VALUE a 1 3 10\r\nxyz\r\nVALUE c 2 5 11\r\nhello\r\nEND\r\n';
    const { out } = parseStream(1, [reply]);
    expect(out.map(essence)).toEqual([
      {
        isRequest: false,
        size: reply.length,
        binary: false,
        command: 'VALUE',
        type: 'Load',
        keys: ['a', 'c'],
        countValues: 2,
        bytes: 8,
        flags: 2,
        casUnique: 11,
      },
    ]);
    expect(parseStream(1, bytewise(Buffer.from(reply))).out.map(essence)).toEqual(out.map(essence));
  });

  it('a miss is a bare END; stats lines up to END are one reply', () => {
    const { out } = parseStream(1, ['END\r\nSTAT pid 1\r\nSTAT version 1.6.18\r\nEND\r\n']);
    expect(out.map((m) => [m.command, m.type, m.stats])).toEqual([
      ['END', 'Load', undefined],
      [
        'STAT',
        'Stats',
        [
          { name: 'pid', value: '1' },
          { name: 'version', value: '1.6.18' },
        ],
      ],
    ]);
  });

  it('one-line replies: success, failure, errors with their message, counters, version', () => {
    const { out } = parseStream(1, [
      'STORED\r\nNOT_STORED\r\nEXISTS\r\nNOT_FOUND\r\nDELETED\r\nTOUCHED\r\nOK\r\n42\r\nERROR\r\n',
      'CLIENT_ERROR bad data chunk\r\nSERVER_ERROR out of memory\r\nVERSION 1.6.18\r\nWEIRD\r\n',
    ]);
    expect(out.map((m) => [m.command, m.type, m.value ?? m.errorMsg ?? m.version ?? m.line])).toEqual([
      ['STORED', 'Success', undefined],
      ['NOT_STORED', 'Fail', undefined],
      ['EXISTS', 'Success', undefined],
      ['NOT_FOUND', 'Fail', undefined],
      ['DELETED', 'Success', undefined],
      ['TOUCHED', 'Success', undefined],
      ['OK', 'Success', undefined],
      ['<counter_op_res>', 'Counter', 42],
      ['ERROR', 'Fail', undefined],
      ['CLIENT_ERROR', 'Fail', 'bad data chunk'],
      ['SERVER_ERROR', 'Fail', 'out of memory'],
      ['VERSION', 'Info', '1.6.18'],
      ['UNKNOWN', 'UNKNOWN', 'WEIRD'],
    ]);
  });

  it('a gap inside a value only shortens it; a gap in a line stops the direction', () => {
    const { out, p, emit } = parseStream(1, ['VALUE a 0 10\r\n01']);
    expect(p.gap(5)).toBe(true);
    p.parse(Buffer.from('789\r\nEND\r\nSTORED\r\n'), 2, emit);
    expect(out.map((m) => [m.command, m.bytes, m.truncated, m.notes])).toEqual([
      ['VALUE', 10, true, [TextNotes.valueHitByGap]],
      ['STORED', undefined, undefined, undefined],
    ]);
    const cut = parseStream(1, ['STOR']);
    expect(cut.p.gap(3)).toBe(false);
  });
});

describe('meta protocol (memcached 1.6)', () => {
  it('ms carries a data block, VA replies carry one; HD, EN, NF, MN are one line', () => {
    const req = parseStream(0, ['ms m 2 T0 F5\r\nhi\r\nmg m v f\r\nmd m\r\nmn\r\n']).out;
    expect(req.map((m) => [m.command, m.type, m.keys, m.bytes])).toEqual([
      ['ms', 'Store', ['m'], 2],
      ['mg', 'Load', ['m'], undefined],
      ['md', 'Delete', ['m'], undefined],
      ['mn', 'Info', undefined, undefined],
    ]);
    const reply = parseStream(1, bytewise(Buffer.from('HD\r\nVA 2 f5\r\nhi\r\nEN\r\nNF\r\nMN\r\n'))).out;
    expect(reply.map((m) => [m.command, m.type, m.bytes, m.size])).toEqual([
      ['HD', 'Success', undefined, 4],
      ['VA', 'Load', 2, 13],
      ['EN', 'Load', undefined, 4],
      ['NF', 'Fail', undefined, 4],
      ['MN', 'Info', undefined, 4],
    ]);
  });
});

describe('binary', () => {
  it('requests: opcode, opaque, vbucket, quiet, key, extras by command, value size', () => {
    const store = Buffer.alloc(8);
    store.writeUInt32BE(7, 0);
    store.writeUInt32BE(60, 4);
    const counter = Buffer.from(u64(3) + u64(100) + '\0\0\0\0', 'latin1');
    const { out } = parseStream(0, [
      Buffer.concat([
        bin(0x80, 0x01, { key: 'k', extras: store, value: 'abc', opaque: 9 }),
        bin(0x80, 0x09, { key: 'q', opaque: 10 }),
        bin(0x80, 0x05, { key: 'n', extras: counter, opaque: 11 }),
        bin(0x80, 0x0a, { opaque: 12 }),
        bin(0x80, 0x99, { opaque: 13 }),
      ]),
    ]);
    expect(essence(out[0])).toEqual({
      isRequest: true,
      size: 24 + 8 + 1 + 3,
      binary: true,
      command: 'set',
      type: 'Store',
      opcode: 'Set',
      opcodeValue: 1,
      opaque: 9,
      vbucket: 0,
      quiet: false,
      keys: ['k'],
      flags: 7,
      exptime: 60,
      countValues: 1,
      bytes: 3,
    });
    expect(out.slice(1).map((m) => [m.command, m.opcode, m.quiet, m.opaque, m.delta, m.initial])).toEqual([
      ['get', 'GetQ', true, 10, undefined, undefined],
      ['incr', 'Increment', false, 11, 3, 100],
      ['noop', 'No-op', false, 12, undefined, undefined],
      ['UNKNOWN', '0x99', false, 13, undefined, undefined],
    ]);
  });

  it('responses: status, flags, values, counter value, version, error text', () => {
    const { out } = parseStream(1, [
      Buffer.concat([
        bin(0x81, 0x00, { extras: Buffer.from([0, 0, 0, 5]), value: 'hello', opaque: 1, cas: 77n }),
        bin(0x81, 0x00, { value: 'Not found', status: 1, opaque: 2 }),
        bin(0x81, 0x05, { value: u64(41), opaque: 3 }),
        bin(0x81, 0x0b, { value: '1.6.18', opaque: 4 }),
      ]),
    ]);
    expect(
      out.map((m) => [m.opaque, m.status, m.statusCode, m.flags, m.countValues, m.bytes, m.casUnique]),
    ).toEqual([
      [1, 'Success', 0, 5, 1, 5, 77],
      [2, 'Key not found', 1, undefined, undefined, undefined, undefined],
      [3, 'Success', 0, undefined, undefined, undefined, undefined],
      [4, 'Success', 0, undefined, undefined, undefined, undefined],
    ]);
    expect([out[1].errorMsg, out[2].value, out[3].version]).toEqual(['Not found', 41, '1.6.18']);
  });

  it('the stat replies of one request make one message, ended by the empty key', () => {
    const stats = Buffer.concat([
      bin(0x81, 0x10, { key: 'pid', value: '1', opaque: 5 }),
      bin(0x81, 0x10, { key: 'uptime', value: '20', opaque: 5 }),
      bin(0x81, 0x10, { opaque: 5 }),
    ]);
    const { out } = parseStream(1, bytewise(stats));
    expect(out.map((m) => [m.command, m.opaque, m.size, m.stats])).toEqual([
      [
        'stats',
        5,
        stats.length,
        [
          { name: 'pid', value: '1' },
          { name: 'uptime', value: '20' },
        ],
      ],
    ]);
  });

  it('a value of a megabyte is counted as it passes, not kept', () => {
    const head = bin(0x81, 0x00, { extras: Buffer.alloc(4), opaque: 1 });
    head.writeUInt32BE(4 + 1_000_000, 8);
    const { out, p, emit } = parseStream(1, [head]);
    for (let i = 0; i < 100; i++) p.parse(Buffer.alloc(10_000, 0x61), 2, emit);
    expect(out.map((m) => [m.bytes, m.size])).toEqual([[1_000_000, 1_000_028]]);
  });

  it('a header with a body shorter than its key stops the direction', () => {
    const bad = bin(0x80, 0x00, { key: 'abc' });
    bad.writeUInt32BE(1, 8);
    const { out, p } = parseStream(0, [bad]);
    expect(out).toEqual([]);
    expect(p.parse(bin(0x80, 0x0a), 2, () => undefined)).toBe(false);
  });
});

describe('UDP frames', () => {
  it('each datagram starts with the 8-byte frame header; the request id is kept', () => {
    const { out } = parseDatagrams(0, [datagram(7, 0, 1, 'get a b\r\n'), datagram(8, 0, 1, bin(0x80, 0x0b))]);
    expect(out.map((m) => [m.udpRequestId, m.command, m.keys, m.size, m.transport])).toEqual([
      [7, 'get', ['a', 'b'], 17, 'udp'],
      [8, 'version', undefined, 32, 'udp'],
    ]);
  });

  it('a reply spread over datagrams is one message once every part has come, in any order', () => {
    const reply = 'VALUE big 0 20\r\n' + 'x'.repeat(20) + '\r\nEND\r\n';
    const parts = [reply.slice(0, 10), reply.slice(10, 30), reply.slice(30)];
    const { out, p } = parseDatagrams(1, [datagram(3, 2, 3, parts[2]), datagram(3, 0, 3, parts[0])]);
    expect(out).toEqual([]);
    p.parse(datagram(3, 1, 3, parts[1]), 2, (m) => out.push(m));
    expect(out.map((m) => [m.udpRequestId, m.command, m.keys, m.bytes, m.size])).toEqual([
      [3, 'VALUE', ['big'], 20, reply.length + 24],
    ]);
  });

  it('datagrams without a frame header are counted and skipped', () => {
    const { out, p } = parseDatagrams(0, [Buffer.from('get'), datagram(1, 1, 1, 'get a\r\n')]);
    expect(out).toEqual([]);
    expect(p.malformed).toBe(2);
  });
});
