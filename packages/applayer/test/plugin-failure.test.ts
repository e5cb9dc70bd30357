// A protocol's code that throws loses no transaction: the framework publishes it (or the
// connection's pending ones) as Error with a note, counts plugin_failures and logs it.
import {
  LineParser,
  Notes,
  type LineMessage,
  ProtocolDispatcher,
  defineProtocol,
  type DispatchConnection,
  type Logger,
  type TransactionEvent,
} from '@wirebeat/applayer';

/** Lines; a request `crash` makes transaction() throw, a request `parse-crash` makes the parser throw. */
type Line = LineMessage<{ text: string }>;

const fragile = defineProtocol<Record<never, never>, Line, Line>({
  name: 'fragile',
  description: 'a line protocol with bugs on purpose',
  ports: [7100],
  parser: (dir, tuple) => {
    const lines = new LineParser(tuple, dir, { maxMessageSize: 1024, decode: (text) => ({ text }) });
    return {
      parse(payload, ts, emit) {
        if (Buffer.from(payload).toString().startsWith('parse-crash')) throw new RangeError('parser bug');
        lines.parse(payload, ts, emit);
      },
    };
  },
  transaction: (tx) => {
    if (tx.request?.text === 'crash') throw new RangeError('Maximum call stack size exceeded');
    return { status: tx.response && !tx.notes ? 'OK' : 'Error', fields: { text: tx.request?.text } };
  },
});

const connection = (clientPort: number): DispatchConnection => ({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort,
  serverIp: '10.0.0.1',
  serverPort: 7100,
  openedAt: 1000,
  idleTimeoutMs: 60_000,
  userData: undefined,
});

function setup() {
  const events: TransactionEvent[] = [];
  const logged: string[] = [];
  const log = (level: string) => (obj: unknown, msg?: string) =>
    void logged.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  const logger: Logger = { debug() {}, info() {}, warn: log('warn'), error: log('error') };
  const d = new ProtocolDispatcher([{ module: fragile, config: fragile.configSchema.parse({}) }], {
    publish: (e) => events.push(e),
    logger,
  });
  const json = () => events.map((e) => e.fields);
  return { d, events, logged, json };
}

const data = (s: string) => Buffer.from(s);

describe('a throwing protocol analyzer', () => {
  it('transaction() throws: that transaction is published as Error with a note, the others normally', () => {
    const { d, logged, json } = setup();
    const c = connection(50000);
    d.onConnectionOpen(c, 1000);
    d.onData(c, 0, data('a\ncrash\nb\n'), 1001);
    d.onData(c, 1, data('A\nC\nB\n'), 1002);
    d.onConnectionClose(c, 'fin', 1003);
    const events = json();
    expect(events.map((e) => e.status)).toEqual(['OK', 'Error', 'OK']);
    expect(JSON.stringify(events[1])).toContain(Notes.analyzerFailed);
    expect(d.counters().fragile.plugin_failures).toBe(1);
    expect(logged.join('\n')).toContain('Maximum call stack size exceeded');
  });

  it('the parser throws: the pending requests of the connection are published as Error, counted', () => {
    const { d, json } = setup();
    const c = connection(50001);
    d.onConnectionOpen(c, 1000);
    d.onData(c, 0, data('one\ntwo\nthree\n'), 1001);
    d.onData(c, 0, data('parse-crash\n'), 1002);
    const events = json();
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.status === 'Error')).toBe(true);
    expect(JSON.stringify(events[0])).toContain('the protocol analyzer failed on this connection');
    expect(d.counters().fragile.plugin_failures).toBe(1);
  });
});
