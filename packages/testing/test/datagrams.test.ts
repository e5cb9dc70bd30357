// Synthetic UDP exchanges replayed through the engine: whole and fragmented datagrams.
import { defineProtocol, type Message } from '@wirebeat/applayer';
import { buildDatagrams, replayFrames } from '@wirebeat/testing';

interface Text extends Message {
  text: string;
}

/** One message per datagram, answered in order. */
const datagramEcho = defineProtocol<Record<never, never>, Text, Text>({
  name: 'dgecho',
  description: 'test: one message per datagram',
  ports: [9999],
  transports: ['udp'],
  parser: (dir, tuple) => ({
    parse(payload, ts, emit) {
      const text = Buffer.from(payload).toString('latin1');
      emit({
        ts,
        tuple,
        transport: tuple.transport,
        direction: dir,
        isRequest: dir === 0,
        size: payload.length,
        text,
      });
    },
  }),
  transaction: (tx) => ({
    status: tx.response?.text === tx.request?.text ? 'OK' : 'Error',
    fields: { length: tx.response?.text.length },
  }),
});

describe('buildDatagrams', () => {
  it('makes frames the engine turns into UDP transactions, fragments put back together', () => {
    const big = 'z'.repeat(5000);
    const frames = buildDatagrams({
      server: { port: 9999 },
      datagrams: [
        { from: 'client', data: 'ping' },
        { from: 'server', data: 'ping' },
        { from: 'client', data: big },
        { from: 'server', data: big, fragmentBytes: 1480 },
      ],
    });
    expect(frames).toHaveLength(7);
    const { events, udp, fragments } = replayFrames(frames, [{ module: datagramEcho }]);
    const docs = events.map(
      (e) =>
        JSON.parse(e.json!) as { status: string; dgecho: { length: number }; network: { transport: string } },
    );
    expect(docs.map((d) => [d.status, d.dgecho.length, d.network.transport])).toEqual([
      ['OK', 4, 'udp'],
      ['OK', 5000, 'udp'],
    ]);
    expect(udp).toMatchObject({ datagrams: 4, flowsOpened: 1 });
    expect(fragments).toMatchObject({ fragments: 4, reassembled: 1 });
  });
});
