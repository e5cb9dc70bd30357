// A test-only protocol on UDP and TCP whose replies carry their request's id and may come in any
// order: `<id> <text>`, one message per datagram over UDP, one per line over TCP.
import { defineProtocol, type Message } from '@wirebeat/applayer';

/** A message of the test protocol. */
export interface IdMessage extends Message {
  id: string;
  text: string;
}

/** The protocol module, paired by id. */
export const idProtocol = defineProtocol<Record<never, never>, IdMessage, IdMessage>({
  name: 'idproto',
  description: 'test: id-keyed requests and replies',
  ports: [5353],
  transports: ['udp', 'tcp'],
  pairBy: (m) => m.id,
  parser: (dir, tuple) => ({
    parse(payload, ts, emit) {
      const text = Buffer.from(payload).toString('latin1');
      const lines = tuple.transport === 'udp' ? [text] : text.split('\n').filter((l) => l !== '');
      for (const line of lines) {
        const [id, ...rest] = line.split(' ');
        emit({
          ts,
          tuple,
          transport: tuple.transport,
          direction: dir,
          isRequest: dir === 0,
          size: line.length,
          id,
          text: rest.join(' '),
        });
      }
    },
  }),
  transaction: (tx) => ({
    status: tx.request !== undefined && tx.response !== undefined ? 'OK' : 'Error',
    fields: { id: tx.request?.id ?? tx.response?.id, reply: tx.response?.text },
  }),
});
