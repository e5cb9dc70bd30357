// UDP decoding and the UdpFlowTable: flows by 5-tuple, client and server sides, idle timeouts on
// packet time, limits, and what is not tracked.
import {
  DecodeStatus,
  DecodedPacket,
  LinkType,
  UdpFlowTable,
  buildUdpFrame,
  decodeFrame,
  type UdpFlow,
  type UdpFlowConsumer,
} from '@wirebeat/tcp-reassembly';

const T0 = Date.UTC(2026, 0, 1);

/** A consumer that records what happens, flow by flow. */
function recorder() {
  const log: string[] = [];
  const consumer: UdpFlowConsumer = {
    onConnectionOpen: (f, ts) =>
      log.push(`open ${f.id} ${f.clientIp}:${f.clientPort}>${f.serverIp}:${f.serverPort} @${ts - T0}`),
    onData: (f, dir, data, ts) => log.push(`data ${f.id} ${dir} ${Buffer.from(data).toString()} @${ts - T0}`),
    onConnectionClose: (f, reason, ts) => log.push(`close ${f.id} ${reason} @${ts - T0}`),
  };
  return { log, consumer };
}

/** Decodes a built frame and hands it to the table, as the engine does. */
function feed(table: UdpFlowTable, data: Buffer, ts: number, advance = true): void {
  const pkt = new DecodedPacket();
  expect(decodeFrame(data, LinkType.ETHERNET, pkt)).toBe(DecodeStatus.OK);
  if (advance) table.advanceTime(ts);
  table.datagram(pkt, data, ts);
}

const dgram = (src: string, sport: number, dst: string, dport: number, payload: string) =>
  buildUdpFrame({ src, dst, srcPort: sport, dstPort: dport, payload });

describe('UDP decoding', () => {
  it('decodes ports and payload, and tells bad lengths from truncation', () => {
    const frame = dgram('10.0.0.2', 40000, '10.0.0.1', 53, 'hello');
    const pkt = new DecodedPacket();
    expect(decodeFrame(frame, LinkType.ETHERNET, pkt)).toBe(DecodeStatus.OK);
    expect(pkt).toMatchObject({
      protocol: 17,
      srcPort: 40000,
      dstPort: 53,
      payloadLength: 5,
      missingBytes: 0,
    });
    const long = Buffer.from(frame);
    long.writeUInt16BE(200, 14 + 20 + 4);
    expect(decodeFrame(long, LinkType.ETHERNET, pkt)).toBe(DecodeStatus.BAD_UDP_LENGTH);
    expect(decodeFrame(frame.subarray(0, 14 + 20 + 5), LinkType.ETHERNET, pkt, frame.length)).toBe(
      DecodeStatus.TRUNCATED_UDP,
    );
    // Cut by the snaplen after the header: the rest is missing, not an error.
    expect(decodeFrame(frame.subarray(0, frame.length - 2), LinkType.ETHERNET, pkt, frame.length)).toBe(
      DecodeStatus.OK,
    );
    expect(pkt).toMatchObject({ payloadLength: 3, missingBytes: 2 });
    const v6 = dgram('fd00::2', 40000, 'fd00::1', 53, 'six');
    expect(decodeFrame(v6, LinkType.ETHERNET, pkt)).toBe(DecodeStatus.OK);
    expect(pkt).toMatchObject({ ipVersion: 6, protocol: 17, payloadLength: 3 });
  });
});

describe('UdpFlowTable', () => {
  it('makes one flow per 5-tuple whose client is the side off the server port', () => {
    const { log, consumer } = recorder();
    const table = new UdpFlowTable(consumer, { isServerPort: (p) => p === 53 });
    feed(table, dgram('10.0.0.1', 53, '10.0.0.2', 40000, 'reply first'), T0);
    feed(table, dgram('10.0.0.2', 40000, '10.0.0.1', 53, 'query'), T0 + 1);
    feed(table, dgram('10.0.0.3', 40000, '10.0.0.1', 53, 'other'), T0 + 2);
    feed(table, dgram('10.0.0.3', 5000, '10.0.0.1', 6000, 'untracked'), T0 + 3);
    table.closeAll();
    expect(log).toEqual([
      'open 1 10.0.0.2:40000>10.0.0.1:53 @0',
      'data 1 1 reply first @0',
      'data 1 0 query @1',
      'open 2 10.0.0.3:40000>10.0.0.1:53 @2',
      'data 2 0 other @2',
      'close 1 eof @3',
      'close 2 eof @3',
    ]);
    expect(table.counters()).toMatchObject({
      datagrams: 4,
      delivered: 3,
      withoutProtocol: 1,
      flowsOpened: 2,
    });
  });

  it('takes the first sender for the client when both ports are server ports (IPv6 too)', () => {
    const { log, consumer } = recorder();
    const table = new UdpFlowTable(consumer, { isServerPort: (p) => p === 53 });
    feed(table, dgram('fd00::9', 53, 'fd00::1', 53, 'a'), T0);
    feed(table, dgram('fd00::1', 53, 'fd00::9', 53, 'b'), T0 + 1);
    expect(log).toEqual(['open 1 fd00::9:53>fd00::1:53 @0', 'data 1 0 a @0', 'data 1 1 b @1']);
  });

  it('closes flows idle past their timeout on packet time, the consumer choosing the timeout', () => {
    const { log, consumer } = recorder();
    const long: UdpFlowConsumer = {
      ...consumer,
      onConnectionOpen: (f: UdpFlow, ts: number) => {
        consumer.onConnectionOpen(f, ts);
        if (f.clientPort === 2) f.idleTimeoutMs = 30_000;
      },
    };
    const table = new UdpFlowTable(long, { isServerPort: (p) => p === 53, idleTimeoutMs: 10_000 });
    feed(table, dgram('10.0.0.2', 1, '10.0.0.1', 53, 'x'), T0);
    feed(table, dgram('10.0.0.2', 2, '10.0.0.1', 53, 'y'), T0);
    table.advanceTime(T0 + 15_000);
    expect(log.slice(4)).toEqual(['close 1 timeout @10000']);
    // A datagram after the timeout, before any check, starts a new flow.
    feed(table, dgram('10.0.0.2', 2, '10.0.0.1', 53, 'z'), T0 + 30_500, false);
    expect(log.slice(5)).toEqual([
      'close 2 timeout @30000',
      'open 3 10.0.0.2:2>10.0.0.1:53 @30500',
      'data 3 0 z @30500',
    ]);
    expect(table.counters()).toMatchObject({ flowsTimedOut: 2, flowsActive: 1 });
  });

  it('evicts the least recently active flow beyond maxFlows and drops datagrams cut by the snaplen', () => {
    const { log, consumer } = recorder();
    const table = new UdpFlowTable(consumer, { isServerPort: (p) => p === 53, maxFlows: 2 });
    feed(table, dgram('10.0.0.2', 1, '10.0.0.1', 53, 'a'), T0);
    feed(table, dgram('10.0.0.2', 2, '10.0.0.1', 53, 'b'), T0 + 1);
    feed(table, dgram('10.0.0.2', 1, '10.0.0.1', 53, 'c'), T0 + 2);
    feed(table, dgram('10.0.0.2', 3, '10.0.0.1', 53, 'd'), T0 + 3);
    expect(log.filter((l) => l.startsWith('close'))).toEqual(['close 2 evicted @3']);
    const cut = dgram('10.0.0.2', 1, '10.0.0.1', 53, 'long payload');
    const pkt = new DecodedPacket();
    decodeFrame(cut.subarray(0, cut.length - 4), LinkType.ETHERNET, pkt, cut.length);
    table.datagram(pkt, cut.subarray(0, cut.length - 4), T0 + 4);
    expect(table.counters()).toMatchObject({ truncated: 1, flowsEvicted: 1, flowsActive: 2, delivered: 4 });
  });
});
