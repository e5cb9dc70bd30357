// The memcache analyzer on a capture recorded from Debian's memcached (scripts/record-captures.js):
// golden events; text, binary and UDP sessions; and the same commands, keys, opcodes, opaques and
// statuses tshark's memcache dissector finds (UDP, which tshark does not dissect, against the
// datagrams tshark splits).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { compareWithGolden, goldenPathFor, replayCaptureDetailed } from '@wirebeat/testing';
import { memcacheProtocol } from '@wirebeat/protocol-memcache';

const CAPTURE = path.join(__dirname, 'fixtures/memcache.pcap');
const OPTIONS = { send_request: true, send_response: true };
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let replayed: Promise<{ docs: Doc[]; events: any[]; counters: any }> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
function replay() {
  replayed ??= replayCaptureDetailed(CAPTURE, [{ module: memcacheProtocol, config: OPTIONS }]).then((r) => {
    expect(r.logged).toEqual([]);
    return { docs: r.events.map((e) => e.fields as Doc), events: r.events, counters: r.counters.memcache };
  });
  return replayed;
}

/** tshark's fields of every memcache PDU, one row per frame (values of one frame joined by commas). */
function tshark(filter: string, fields: string[]): string[][] {
  let out: string;
  try {
    out = execFileSync(
      'tshark',
      [
        '-r',
        CAPTURE,
        '-Y',
        filter,
        '-T',
        'fields',
        '-E',
        'occurrence=a',
        ...fields.flatMap((f) => ['-e', f]),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
    );
  } catch (err) {
    throw new Error(`tshark is needed for this test (apt-get install tshark): ${(err as Error).message}`);
  }
  return out
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
}

const text = (docs: Doc[]) =>
  docs.filter((d) => d.network.transport === 'tcp' && d.memcache.protocol_type === 'text');
const binary = (docs: Doc[]) =>
  docs.filter((d) => d.memcache.protocol_type === 'binary' && d.network.transport === 'tcp');
const udp = (docs: Doc[]) => docs.filter((d) => d.network.transport === 'udp');

describe('memcache.pcap (memcached 1.6 on loopback: text and binary over TCP and UDP)', () => {
  it('replays to its reviewed golden events', async () => {
    const { events } = await replay();
    const { expected, actual } = compareWithGolden(goldenPathFor(CAPTURE), events);
    expect(actual).toEqual(expected);
  });

  it('text over TCP: every command paired with its reply, multi-get as one reply, noreply alone', async () => {
    const { docs } = await replay();
    const rows = text(docs).map((d) => [
      d.memcache.request?.command,
      d.memcache.request?.keys?.join(' '),
      d.memcache.response?.command,
      d.status,
    ]);
    expect(rows).toEqual([
      ['version', undefined, 'VERSION', 'OK'],
      ['set', 'greeting', 'STORED', 'OK'],
      ['get', 'greeting', 'VALUE', 'OK'],
      ['get', 'missing', 'END', 'OK'],
      ['set', 'k2', 'STORED', 'OK'],
      ['get', 'greeting missing k2', 'VALUE', 'OK'],
      ['gets', 'greeting', 'VALUE', 'OK'],
      ['add', 'greeting', 'NOT_STORED', 'Error'],
      ['append', 'greeting', 'STORED', 'OK'],
      ['cas', 'greeting', 'EXISTS', 'OK'],
      ['set', 'counter', 'STORED', 'OK'],
      ['incr', 'counter', '<counter_op_res>', 'OK'],
      ['decr', 'counter', '<counter_op_res>', 'OK'],
      ['incr', 'greeting', 'CLIENT_ERROR', 'Error'],
      ['touch', 'greeting', 'TOUCHED', 'OK'],
      ['delete', 'k2', 'DELETED', 'OK'],
      ['delete', 'k2', 'NOT_FOUND', 'Error'],
      ['set', 'quiet', undefined, 'OK'],
      ['get', 'quiet', 'VALUE', 'OK'],
      ['UNKNOWN', undefined, 'ERROR', 'Error'],
      ['set', 'big', 'STORED', 'OK'],
      ['get', 'big', 'VALUE', 'OK'],
      ['verbosity', undefined, 'OK', 'OK'],
      ['stats', undefined, 'STAT', 'OK'],
      ['flush_all', undefined, 'OK', 'OK'],
      ['quit', undefined, undefined, 'OK'],
    ]);
    const multi = text(docs)[5].memcache.response;
    expect(multi).toMatchObject({ keys: ['greeting', 'k2'], count_values: 2, bytes: 7 });
    expect(text(docs)[12].memcache.response.value).toBe(10);
    expect(text(docs)[21].memcache.response).toMatchObject({ bytes: 5000, count_values: 1 });
    expect(text(docs)[17].memcache.request.noreply).toBe(true);
  });

  it('binary over TCP: pairs by opaque; quiet misses complete with no response once the No-op answers', async () => {
    const { docs } = await replay();
    const rows = binary(docs).map((d) => [
      d.memcache.request.opcode,
      d.memcache.request.opaque,
      d.memcache.response?.opaque,
      d.memcache.response?.status,
      d.status,
    ]);
    expect(rows).toEqual([
      ['Version', 0x10, 0x10, 'Success', 'OK'],
      ['Set', 0xdeadbeef, 0xdeadbeef, 'Success', 'OK'],
      ['Get', 7, 7, 'Success', 'OK'],
      ['GetK', 3, 3, 'Success', 'OK'],
      ['Get', 0x11, 0x11, 'Key not found', 'Error'],
      ['GetQ', 0x21, undefined, undefined, 'OK'],
      ['GetQ', 0x22, 0x22, 'Success', 'OK'],
      ['GetKQ', 0x23, undefined, undefined, 'OK'],
      ['GetKQ', 0x24, 0x24, 'Success', 'OK'],
      ['No-op', 0x25, 0x25, 'Success', 'OK'],
      ['SetQ', 0x31, undefined, undefined, 'OK'],
      ['Add', 0x32, 0x32, 'Key exists', 'Error'],
      ['Increment', 0x41, 0x41, 'Success', 'OK'],
      ['Increment', 0x42, 0x42, 'Success', 'OK'],
      ['Decrement', 0x43, 0x43, 'Success', 'OK'],
      ['Increment', 0x44, 0x44, 'Incr/Decr on non-numeric value.', 'Error'],
      ['Touch', 0x45, 0x45, 'Success', 'OK'],
      ['Delete', 0x46, 0x46, 'Success', 'OK'],
      ['Delete', 0x47, 0x47, 'Key not found', 'Error'],
      ['Stat', 0x50, 0x50, 'Success', 'OK'],
      ['Set', 0x51, 0x51, 'Success', 'OK'],
      ['Get', 0x52, 0x52, 'Success', 'OK'],
      ['Quit', 0x60, 0x60, 'Success', 'OK'],
    ]);
    const b = binary(docs);
    expect(b.slice(12, 15).map((d) => d.memcache.response.value)).toEqual([40, 42, 32]);
    expect(b[12].memcache.request).toMatchObject({ delta: 1, initial: 40 });
    expect(b[21].memcache.response).toMatchObject({ bytes: 3000, count_values: 1 });
  });

  it('UDP: the frame header pairs by request id; a reply of three datagrams is one reply', async () => {
    const { docs } = await replay();
    const rows = udp(docs).map((d) => [
      d.memcache.protocol_type,
      d.memcache.request.command,
      d.memcache.request.keys?.join(' '),
      d.memcache.response?.command,
      d.memcache.response?.bytes,
      d.status,
    ]);
    expect(rows).toEqual([
      ['text', 'set', 'ukey', 'STORED', undefined, 'OK'],
      ['text', 'get', 'ukey', 'VALUE', 4, 'OK'],
      ['text', 'get', 'ukey nothing greeting', 'VALUE', 4, 'OK'],
      ['text', 'set', 'ubig', 'STORED', undefined, 'OK'],
      ['text', 'get', 'ubig', 'VALUE', 3000, 'OK'],
      ['binary', 'get', 'ukey', 'get', 4, 'OK'],
      ['text', 'get', 'missing', 'END', undefined, 'OK'],
    ]);
  });

  it('every reply is paired: no orphan, no missing reply', async () => {
    const { docs, counters } = await replay();
    expect(counters).toMatchObject({ unmatched_responses: 0, missing_responses: 0 });
    expect(docs.every((d) => d.notes === undefined)).toBe(true);
  });

  it('text and binary over TCP: the commands, keys, opcodes, opaques and statuses tshark finds', async () => {
    const { docs } = await replay();
    // Text requests: tshark's command and keys, per frame.
    const requests = tshark('tcp.dstport == 11211 && memcache.command', ['memcache.command', 'memcache.key']);
    const ours = text(docs)
      // tshark's dissector knows neither touch nor verbosity (nor, of course, an unknown command).
      .filter((d) => !['UNKNOWN', 'touch', 'verbosity'].includes(d.memcache.request.command))
      .map((d) => [d.memcache.request.command.split(' ')[0], d.memcache.request.keys?.join(',') ?? '']);
    expect(ours).toEqual(requests.map(([c, k]) => [c, k ?? '']));
    // Binary: opcode and opaque of every request, opcode, opaque and status of every response.
    const binReq = tshark('tcp.dstport == 11211 && memcache.magic == 0x80', [
      'memcache.opcode',
      'memcache.opaque',
    ]);
    const flat = (rows: string[][]) =>
      rows.flatMap((r) => r[0].split(',').map((_, i) => r.map((c) => c.split(',')[i])));
    expect(
      binary(docs).map((d) => [String(d.memcache.request.opcode_value), String(d.memcache.request.opaque)]),
    ).toEqual(flat(binReq));
    const binResp = tshark('tcp.srcport == 11211 && memcache.magic == 0x81', [
      'memcache.opcode',
      'memcache.opaque',
      'memcache.status',
    ]);
    const stat = binary(docs).find((d) => d.memcache.request.opcode === 'Stat')!.memcache.response;
    // tshark shows one PDU per stat line: ours folds them into one reply.
    const theirs = flat(binResp);
    const statRows = theirs.filter((r) => r[0] === '16');
    expect(stat.stats.length).toBe(statRows.length - 1);
    const folded = theirs.filter((r, i) => r[0] !== '16' || theirs[i + 1]?.[0] !== '16');
    expect(
      binary(docs)
        .filter((d) => d.memcache.response !== undefined)
        .map((d) => [
          String(d.memcache.response.opcode_value),
          String(d.memcache.response.opaque),
          String(d.memcache.response.status_code),
        ]),
    ).toEqual(folded);
  });

  it('UDP: request ids and command lines as the datagrams tshark splits hold them', async () => {
    const { docs } = await replay();
    const rows = tshark('udp.dstport == 11211', ['udp.payload']).map(([hex]) => {
      const bytes = Buffer.from(hex.replace(/:/g, ''), 'hex');
      const body = bytes.subarray(8);
      const first = body[0] === 0x80 ? 'binary' : body.toString('latin1').split('\r\n')[0];
      return [bytes.readUInt16BE(0), first];
    });
    expect(
      udp(docs).map((d) => [d.memcache.request.opaque === undefined ? 'text' : 'binary', d.request]),
    ).toEqual(
      rows.map(([, first]) =>
        first === 'binary' ? ['binary', 'Get ukey'] : ['text', String(first).replace(/ \d+ \d+ \d+$/, '')],
      ),
    );
    expect(new Set(rows.map(([id]) => id)).size).toBe(rows.length);
  });

  it('event.action names the request command class as Packetbeat 8 does (memcache.load, memcache.store ...)', async () => {
    const { docs } = await replay();
    const byCommand = new Map(docs.map((d) => [d.memcache.request?.command, d.event.action]));
    expect(byCommand.get('get')).toBe('memcache.load');
    expect(byCommand.get('set')).toBe('memcache.store');
    expect(byCommand.get('incr')).toBe('memcache.counter');
    expect(byCommand.get('delete')).toBe('memcache.delete');
    expect(byCommand.get('stats')).toBe('memcache.stats');
    expect(byCommand.get('version')).toBe('memcache.info');
    for (const d of docs)
      expect(d.event.action).toBe(
        d.memcache.request === undefined ? undefined : `memcache.${d.memcache.request.type.toLowerCase()}`,
      );
  });
});
