// UDP from real captures, checked against tshark: a request/response exchange recorded on loopback
// (scripts/record-udp-exchange.js) and a crafted capture of fragmented datagrams written with the
// repository's PcapWriter, whose reassembly tshark must agree with byte for byte.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger, TransactionEvent } from '@wirebeat/applayer';
import { Engine } from '@wirebeat/engine';
import {
  PcapReader,
  PcapWriter,
  buildUdpFragments,
  buildUdpFrame,
  type Frame,
} from '@wirebeat/tcp-reassembly';
import { idProtocol } from './id-protocol';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const EXCHANGE = path.join(__dirname, 'fixtures', 'udp-exchange.pcap');

/**
 * tshark's time, ports, payload and Community ID of every UDP datagram of `file` (reassembled ones
 * once, on their last fragment).
 */
function tsharkDatagrams(file: string): string[][] {
  let out: string;
  try {
    out = execFileSync(
      'tshark',
      [
        '--enable-protocol',
        'communityid',
        '-r',
        file,
        '-Y',
        'udp',
        '-T',
        'fields',
        '-E',
        'separator=|',
        '-e',
        'frame.time_epoch',
        '-e',
        'udp.srcport',
        '-e',
        'udp.dstport',
        '-e',
        'data.data',
        '-e',
        'communityid',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (err) {
    throw new Error(`tshark is required for this test (apt-get install tshark): ${(err as Error).message}`);
  }
  return out
    .trim()
    .split('\n')
    .map((line) => line.split('|'));
}

async function replay(file: string, ports: number[]) {
  const events: TransactionEvent[] = [];
  const engine = new Engine({
    protocols: [{ module: idProtocol, config: idProtocol.parseConfig({ ports }) }],
    publish: (e) => events.push(e),
    logger: silent,
  });
  for await (const frame of PcapReader.open(file)) engine.processFrame(frame);
  engine.finish();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents read field by field
  const docs = events.map((e) => JSON.parse(e.json!) as Record<string, any>);
  return { docs, counters: engine.counters() };
}

/** Microseconds since the epoch of tshark's `frame.time_epoch` text (exact: no float rounding). */
function micros(epoch: string): number {
  const [s, frac = ''] = epoch.split('.');
  return Number(s) * 1e6 + Number(frac.padEnd(6, '0').slice(0, 6));
}

describe('UDP from captures, as tshark sees them', () => {
  it('pairs the recorded loopback exchange by id in each flow, as tshark lists the datagrams', async () => {
    const { docs, counters } = await replay(EXCHANGE, [7053]);
    // What the events must say, derived from tshark's list of datagrams: per flow (client port),
    // the request and reply of each id, and the time between them.
    const requests = new Map<string, { text: string; at: number }>();
    const expected: string[] = [];
    const communityIds = new Map<string, string>();
    for (const [epoch, sport, dport, hex, communityId] of tsharkDatagrams(EXCHANGE)) {
      communityIds.set(dport === '7053' ? sport : dport, communityId);
      const [id, text] = Buffer.from(hex, 'hex').toString('latin1').split(' ');
      const client = dport === '7053' ? sport : dport;
      const key = `${client}/${id}`;
      if (dport === '7053') requests.set(key, { text, at: micros(epoch) });
      else {
        const req = requests.get(key)!;
        requests.delete(key);
        expected.push(`OK ${key} ${text} ${(micros(epoch) - req.at) * 1000}`);
      }
    }
    for (const key of requests.keys()) expected.push(`Error ${key} - -`);
    const seen = docs.map(
      (d) =>
        `${d.status} ${d.source.port}/${d.idproto.id} ${d.idproto.reply ?? '-'} ${d.event.duration ?? '-'}`,
    );
    expect(expected).toHaveLength(6);
    expect(seen.sort()).toEqual(expected.sort());
    for (const d of docs) {
      expect(d.network).toMatchObject({ transport: 'udp', type: 'ipv4', protocol: 'idproto' });
      expect(d.destination.port).toBe(7053);
      // Community ID v1 with IP protocol 17, as tshark's communityid post-dissector computes it.
      expect(d.network.community_id).toBe(communityIds.get(String(d.source.port)));
    }
    // The replies came out of order: the first event is not the first request's.
    expect(docs[0].idproto.id).toBe('2');
    expect(counters.udp).toMatchObject({ datagrams: 11, delivered: 11, flowsOpened: 2, flowsClosed: 2 });
  });

  it('puts fragmented datagrams together exactly as tshark does (IPv4 and IPv6, any order, duplicates)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirebeat-frag-'));
    const file = path.join(dir, 'fragments.pcap');
    const payload = (id: number, n: number) =>
      `${id} ` + Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7 + id) % 26))).join('');
    const v4 = buildUdpFragments(
      {
        src: '10.1.0.1',
        dst: '10.1.0.2',
        srcPort: 7053,
        dstPort: 41000,
        payload: payload(1, 4000),
        ipId: 0x1234,
      },
      1480,
    );
    const v6 = buildUdpFragments(
      { src: 'fd00::1', dst: 'fd00::2', srcPort: 7053, dstPort: 41001, payload: payload(2, 2500), ipId: 99 },
      1232,
    );
    const frames: Buffer[] = [
      buildUdpFrame({ src: '10.1.0.2', dst: '10.1.0.1', srcPort: 41000, dstPort: 7053, payload: '1 get' }),
      // Last fragment first, a duplicate, then the rest.
      v4[2],
      v4[0],
      v4[0],
      v4[1],
      buildUdpFrame({ src: 'fd00::2', dst: 'fd00::1', srcPort: 41001, dstPort: 7053, payload: '2 get' }),
      ...v6,
    ];
    const writer = PcapWriter.create(file, 1);
    frames.forEach((data, i) =>
      writer.write({ ts: Date.UTC(2026, 0, 1) + i, linktype: 1, data, origLen: data.length }),
    );
    writer.close();

    const { docs, counters } = await replay(file, [7053]);
    const replies = tsharkDatagrams(file)
      .filter(([, sport]) => sport === '7053')
      .map(([, , , hex]) => Buffer.from(hex, 'hex').toString('latin1'));
    expect(replies.map((r) => r.length)).toEqual([4002, 2502]);
    expect(docs.map((d) => `${d.idproto.id} ${d.idproto.reply}`)).toEqual(replies);
    expect(docs.map((d) => d.network.type)).toEqual(['ipv4', 'ipv6']);
    expect(counters.fragments).toMatchObject({ fragments: 7, reassembled: 2, duplicates: 1, pending: 0 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('drops a datagram whose fragments overlap, and one never completed, counting both', () => {
    const frags = buildUdpFragments(
      { src: '10.1.0.1', dst: '10.1.0.2', srcPort: 7053, dstPort: 41000, payload: 'x'.repeat(3000), ipId: 7 },
      1480,
    );
    // The second fragment again, claiming to start 8 bytes earlier: overlaps the first.
    const overlapping = Buffer.from(frags[1]);
    const field = overlapping.readUInt16BE(14 + 6);
    overlapping.writeUInt16BE(field - 1, 14 + 6);
    const lonely = buildUdpFragments(
      { src: '10.1.0.1', dst: '10.1.0.2', srcPort: 7053, dstPort: 41000, payload: 'y'.repeat(3000), ipId: 8 },
      1480,
    )[0];
    const T = Date.UTC(2026, 0, 1);
    const frame = (data: Buffer, ts: number): Frame => ({ ts, linktype: 1, data, origLen: data.length });
    const engine = new Engine({
      protocols: [{ module: idProtocol, config: idProtocol.parseConfig({ ports: [7053] }) }],
      publish: () => undefined,
      logger: silent,
    });
    [
      frame(frags[0], T),
      frame(overlapping, T + 1),
      frame(frags[1], T + 2),
      frame(frags[2], T + 3),
      frame(lonely, T + 4),
    ].forEach((f) => engine.processFrame(f));
    engine.advanceTime(T + 60_000);
    expect(engine.counters().fragments).toMatchObject({
      invalid: 1,
      reassembled: 0,
      timedOut: 2,
      pending: 0,
    });
    expect(engine.counters().udp.datagrams).toBe(0);
  });
});
