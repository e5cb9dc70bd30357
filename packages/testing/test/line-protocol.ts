// A small real protocol for the harness's own tests: newline-terminated lines, client lines are
// requests, server lines responses, paired in order. Built from applayer and streambuf only.
import { StreamBuf, decodeUtf8 } from '@wirebeat/streambuf';
import {
  TransactionCorrelator,
  TransactionEventBuilder,
  createCounters,
  protocolConfigSchema,
  type Direction,
  type Message,
  type Packet,
  type ProtocolModule,
  type SharedProtocolConfig,
  type TcpPlugin,
  type TcpTuple,
} from '@wirebeat/applayer';

interface Line extends Message {
  text: string;
}

interface Conn {
  bufs: [StreamBuf, StreamBuf];
  correlator: TransactionCorrelator<Line, Line>;
}

/** The `line` protocol module (default port 9999). */
export const lineProtocol: ProtocolModule<SharedProtocolConfig> = {
  name: 'line',
  defaultPorts: [9999],
  description: 'Test protocol: one message per line.',
  configSchema: protocolConfigSchema([9999], {}),
  fields: [],
  create(config, ctx): TcpPlugin<Conn> {
    const builder = new TransactionEventBuilder('line', {
      sendRequest: config.send_request,
      sendResponse: config.send_response,
    });
    const counters = createCounters();
    return {
      parse(pkt: Packet, tuple: TcpTuple, dir: Direction, state: Conn | undefined) {
        const events = builder.forConnection(tuple);
        const conn: Conn = state ?? {
          bufs: [new StreamBuf(), new StreamBuf()],
          correlator: new TransactionCorrelator<Line, Line>({
            counters,
            onTransaction: (tx) =>
              ctx.publish(
                events.build(tx, {
                  status: tx.request && tx.response ? 'OK' : 'Error',
                  request: tx.request?.text,
                  response: tx.response?.text,
                }),
              ),
          }),
        };
        const buf = conn.bufs[dir];
        buf.write(pkt.payload);
        for (let line = buf.collectUntil(10); line !== undefined; line = buf.collectUntil(10)) {
          const msg: Line = {
            ts: pkt.ts,
            tuple,
            transport: 'tcp',
            direction: dir,
            isRequest: dir === 0,
            size: buf.bufferConsumed,
            text: decodeUtf8(line.subarray(0, line.length - 1)),
          };
          buf.reset();
          if (dir === 0) conn.correlator.onRequest(msg);
          else conn.correlator.onResponse(msg);
        }
        return conn;
      },
      receivedFin: (_t, _d, state) => state,
      gapInStream: (_t, _d, _n, state) => ({ state, drop: true }),
      connectionClosed: (_t, reason, state) => state?.correlator.close(reason),
      counters: () => counters,
    };
  },
};
