// Drives the echo module through the real ProtocolDispatcher, as beat-runner does, with a
// hand-made connection instead of a capture.
import {
  ProtocolDispatcher,
  type DispatchConnection,
  type Logger,
  type TransactionEvent,
} from '@wirebeat/applayer';
import { echoProtocol } from '@wirebeat/protocol-echo';

export const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);

/** A published document, with the fields the tests look at typed. */
export interface EchoDoc {
  [field: string]: unknown;
  status: 'OK' | 'Error';
  request?: string;
  response?: string;
  notes?: string[];
}
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** One echo connection fed by hand; `events` collects what the plugin publishes. */
export class EchoHarness {
  readonly events: TransactionEvent[] = [];
  readonly dispatcher: ProtocolDispatcher;
  readonly conn: DispatchConnection;

  constructor(
    options: Record<string, unknown> = { send_request: true, send_response: true },
    clientPort = 40000,
  ) {
    const config = echoProtocol.configSchema.parse(options);
    this.dispatcher = new ProtocolDispatcher([{ module: echoProtocol, config }], {
      publish: (e) => this.events.push(e),
      logger: silent,
    });
    this.conn = {
      ipVersion: 4,
      clientIp: '127.0.0.1',
      clientPort,
      serverIp: '127.0.0.1',
      serverPort: 3030,
      openedAt: T0,
      idleTimeoutMs: 60_000,
      userData: undefined,
    };
    this.dispatcher.onConnectionOpen(this.conn, T0);
  }

  /** Sends bytes in one direction; the buffer is wiped after the call, like reassembly's views. */
  send(dir: 0 | 1, text: string | Uint8Array, ts: number): this {
    const bytes = Buffer.from(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    this.dispatcher.onData(this.conn, dir, bytes, ts);
    bytes.fill(0x23);
    return this;
  }

  gap(dir: 0 | 1, nbytes: number, ts: number): this {
    this.dispatcher.onGap(this.conn, dir, nbytes, ts);
    return this;
  }

  close(reason = 'fin', ts = T0 + 100_000): this {
    this.dispatcher.onFin(this.conn, 0, ts);
    this.dispatcher.onFin(this.conn, 1, ts);
    this.dispatcher.onConnectionClose(this.conn, reason, ts);
    return this;
  }

  /** The published documents, parsed from their prebuilt JSON. */
  docs(): EchoDoc[] {
    return this.events.map((e) => JSON.parse(e.json ?? JSON.stringify(e.fields)));
  }

  /** Compact view: 'request>response status [notes]'. */
  summary(): string[] {
    return this.docs().map(
      (d) =>
        `${d.request ?? '-'}>${d.response ?? '-'} ${d.status}${d.notes ? ` [${d.notes.join('; ')}]` : ''}`,
    );
  }

  counters() {
    return this.dispatcher.counters().echo;
  }
}
