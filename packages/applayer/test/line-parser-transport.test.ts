// LineParser stamps each message with the transport of its tuple (a line protocol may run over UDP).
import { LineParser, makeTcpTuple, type Message } from '@wirebeat/applayer';

const endpoints = {
  ipVersion: 4 as const,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 7002,
  openedAt: 0,
};

it.each(['tcp', 'udp'] as const)('messages of a %s tuple say %s', (transport) => {
  const tuple = makeTcpTuple({ ...endpoints, transport });
  const parser = new LineParser(tuple, 0, { maxMessageSize: 100, decode: (line) => ({ line }) });
  const got: Message[] = [];
  parser.parse(Buffer.from('one\ntwo\n'), 1, (m) => got.push(m));
  expect(got.map((m) => [m.transport, m.tuple.transport])).toEqual([
    [transport, transport],
    [transport, transport],
  ]);
});
