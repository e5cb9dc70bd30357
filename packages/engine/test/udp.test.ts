// The engine on UDP: datagrams routed to flows, a protocol on both transports, pairing by key,
// flows closed at the end of input and after their idle timeout, fragments put together.
import { defineProtocol, type Logger, type Message, type TransactionEvent } from '@wirebeat/applayer';
import { Engine } from '@wirebeat/engine';
import {
  buildUdpFragments,
  buildUdpFrame,
  buildTcpFrame,
  TcpFlags,
  type Frame,
} from '@wirebeat/tcp-reassembly';

import { idProtocol } from './id-protocol';

const T0 = Date.UTC(2026, 0, 1);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const protocols = [{ module: idProtocol, config: idProtocol.parseConfig({}) }];

function udp(fromClient: boolean, ts: number, payload: string, clientPort = 40000): Frame {
  const data = buildUdpFrame({
    src: fromClient ? '10.0.0.2' : '10.0.0.1',
    dst: fromClient ? '10.0.0.1' : '10.0.0.2',
    srcPort: fromClient ? clientPort : 5353,
    dstPort: fromClient ? 5353 : clientPort,
    payload,
  });
  return { ts, linktype: 1, data, origLen: data.length };
}

function run(frames: Frame[], finish = true) {
  const events: TransactionEvent[] = [];
  const engine = new Engine({ protocols, publish: (e) => events.push(e), logger: silent });
  for (const f of frames) engine.processFrame(f);
  if (finish) engine.finish();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- documents read field by field
  const docs = events.map((e) => JSON.parse(e.json!) as Record<string, any>);
  return { engine, events, docs };
}

describe('Engine on UDP', () => {
  it('pairs replies by key whatever their order, with network.transport udp', () => {
    const { docs, engine } = run([
      udp(true, T0, '1 get a'),
      udp(true, T0 + 1, '2 get b'),
      udp(false, T0 + 2, '2 B'),
      udp(false, T0 + 3, '1 A'),
    ]);
    expect(docs.map((d) => [d.idproto.id, d.idproto.reply, d.status])).toEqual([
      ['2', 'B', 'OK'],
      ['1', 'A', 'OK'],
    ]);
    expect(docs[0].network.transport).toBe('udp');
    expect(docs[0].source).toMatchObject({ ip: '10.0.0.2', port: 40000 });
    expect(docs[0].destination).toMatchObject({ ip: '10.0.0.1', port: 5353 });
    const c = engine.counters();
    expect(c.udp).toMatchObject({ datagrams: 4, delivered: 4, flowsOpened: 1, flowsClosed: 1 });
    expect(c.reassembly).toMatchObject({ packets: 4, decoded: 4 });
  });

  it('publishes a request without reply as Error when its transaction times out, then closes the idle flow', () => {
    const { docs, engine } = run([udp(true, T0, '7 get'), udp(true, T0 + 60_000, '8 get', 40001)], false);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ status: 'Error', notes: ['response missing: transaction timed out'] });
    expect(engine.counters().udp).toMatchObject({ flowsTimedOut: 1, flowsActive: 1 });
  });

  it('serves one protocol on TCP and UDP with the same port', () => {
    const tcp = (fromClient: boolean, seq: number, ack: number, flags: number, payload = ''): Frame => {
      const data = buildTcpFrame({
        src: fromClient ? '10.0.0.2' : '10.0.0.1',
        dst: fromClient ? '10.0.0.1' : '10.0.0.2',
        srcPort: fromClient ? 41000 : 5353,
        dstPort: fromClient ? 5353 : 41000,
        seq,
        ack,
        flags,
        payload,
      });
      return { ts: T0 + 10, linktype: 1, data, origLen: data.length };
    };
    const { docs } = run([
      udp(true, T0, '1 over udp'),
      udp(false, T0 + 1, '1 U'),
      tcp(true, 100, 0, TcpFlags.SYN),
      tcp(false, 500, 101, TcpFlags.SYN | TcpFlags.ACK),
      tcp(true, 101, 501, TcpFlags.ACK, '5 a\n6 b\n'),
      tcp(false, 501, 109, TcpFlags.ACK, '6 B\n5 A\n'),
    ]);
    expect(docs.map((d) => [d.network.transport, d.idproto.id, d.idproto.reply])).toEqual([
      ['udp', '1', 'U'],
      ['tcp', '6', 'B'],
      ['tcp', '5', 'A'],
    ]);
    expect(docs[0].network.community_id).not.toBe(docs[1].network.community_id);
  });

  it('puts fragmented datagrams together (IPv4 and IPv6), fragments in any order', () => {
    const big = 'x'.repeat(3000);
    const v4 = buildUdpFragments(
      { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 5353, dstPort: 40000, payload: `1 ${big}`, ipId: 77 },
      1480,
    );
    const v6 = buildUdpFragments(
      { src: 'fd00::1', dst: 'fd00::2', srcPort: 5353, dstPort: 40000, payload: `2 ${big}`, ipId: 78 },
      1232,
    );
    expect(v4.length).toBe(3);
    const frame = (data: Buffer, ts: number): Frame => ({ ts, linktype: 1, data, origLen: data.length });
    const req6 = buildUdpFrame({
      src: 'fd00::2',
      dst: 'fd00::1',
      srcPort: 40000,
      dstPort: 5353,
      payload: '2 get',
    });
    const { docs, engine } = run([
      udp(true, T0, '1 get'),
      frame(v4[2], T0 + 1),
      frame(v4[0], T0 + 2),
      frame(v4[1], T0 + 3),
      frame(req6, T0 + 4),
      ...v6.map((f, i) => frame(f, T0 + 5 + i)),
    ]);
    expect(docs.map((d) => [d.network.type, d.idproto.id, d.idproto.reply.length, d.status])).toEqual([
      ['ipv4', '1', 3000, 'OK'],
      ['ipv6', '2', 3000, 'OK'],
    ]);
    expect(engine.counters().fragments).toMatchObject({ reassembled: 2, pending: 0 });
  });

  it('runs the connection form on UDP: one onData per datagram, the pending request at hand', () => {
    interface Line extends Message {
      text: string;
      /** Responses: the text of the request pending when the response came. */
      answers?: string;
    }
    const seen: string[] = [];
    const handlerProtocol = defineProtocol<Record<never, never>, Line, Line>({
      name: 'lines',
      description: 'test: connection form on UDP',
      ports: [6000],
      transports: ['udp'],
      connection: (ctx) => ({
        onData(dir, payload, ts) {
          const text = Buffer.from(payload).toString('latin1');
          seen.push(`${ctx.tuple.transport} ${dir} ${text}`);
          const msg: Line = {
            ts,
            tuple: ctx.tuple,
            transport: ctx.tuple.transport,
            direction: dir,
            isRequest: dir === 0,
            size: payload.length,
            text,
          };
          if (dir === 0) return ctx.request(msg);
          msg.answers = ctx.pendingRequest()?.text;
          ctx.response(msg);
        },
      }),
      transaction: (tx) => ({ status: 'OK', fields: { answers: tx.response?.answers } }),
    });
    const frame = (fromClient: boolean, ts: number, payload: string): Frame => {
      const data = buildUdpFrame({
        src: fromClient ? '10.0.0.2' : '10.0.0.1',
        dst: fromClient ? '10.0.0.1' : '10.0.0.2',
        srcPort: fromClient ? 40000 : 6000,
        dstPort: fromClient ? 6000 : 40000,
        payload,
      });
      return { ts, linktype: 1, data, origLen: data.length };
    };
    const events: TransactionEvent[] = [];
    const engine = new Engine({
      protocols: [{ module: handlerProtocol, config: handlerProtocol.parseConfig({}) }],
      publish: (e) => events.push(e),
      logger: silent,
    });
    [
      frame(true, T0, 'one'),
      frame(true, T0 + 1, 'two'),
      frame(false, T0 + 2, 'ONE'),
      frame(false, T0 + 3, 'TWO'),
    ].forEach((f) => engine.processFrame(f));
    engine.finish();
    expect(seen).toEqual(['udp 0 one', 'udp 0 two', 'udp 1 ONE', 'udp 1 TWO']);
    expect(events.map((e) => (JSON.parse(e.json!) as { lines: { answers: string } }).lines.answers)).toEqual([
      'one',
      'two',
    ]);
  });
});
