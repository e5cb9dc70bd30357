// Datagrams: on UDP each datagram holds whole messages. Whether the protocol runs on UDP is its
// `transports` (the generator's --transport); either way this says what UDP traffic becomes.
import { buildDatagrams, replayFrames } from '@wirebeat/testing';
import { templateProtocol } from '../src';
import { encodeRequest, encodeResponse } from './wire';

const PORT = 7357;
const bodies = ['one', 'two', 'three'];

/** A UDP flow: each request in a datagram, answered by its response in the next one. */
function exchange() {
  return buildDatagrams({
    server: { port: PORT },
    datagrams: bodies.flatMap((body) => [
      { from: 'client' as const, data: encodeRequest(body) },
      { from: 'server' as const, data: encodeResponse(body) },
    ]),
  });
}

describe('UDP', () => {
  const onUdp = templateProtocol.transports?.includes('udp') ?? false;
  const replay = () =>
    replayFrames(exchange(), [
      { module: templateProtocol, config: { ports: [PORT], send_request: true, send_response: true } },
    ]);

  if (onUdp) {
    it('pairs the datagrams of a flow into one transaction per request', () => {
      const docs = replay().events.map((e) => e.fields);
      expect(docs.map((d) => [d.status, d.request, d.response])).toEqual(bodies.map((b) => ['OK', b, b]));
      expect(docs.every((d) => (d.network as { transport: string }).transport === 'udp')).toBe(true);
    });
  } else {
    it('is not analysed: the protocol runs on TCP only, datagrams to its port make no event', () => {
      const result = replay();
      expect(result.events).toEqual([]);
      expect(result.udp).toMatchObject({ datagrams: bodies.length * 2 });
    });
  }
});
