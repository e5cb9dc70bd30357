// The compact per-connection state behind the open-connections bench: line messages keep their
// direction, transport, isRequest and truncated as bits of one field; a defined connection makes
// its rare state (nanosecond times, unfinished-message charge) only when needed; the correlator's
// budget flag shares a field with its own flags. Each must still read and write like a plain field.
import {
  LineParser,
  TransactionCorrelator,
  defineProtocol,
  makeTcpTuple,
  type LineMessage,
  type Logger,
  type Message,
  type TcpTuple,
  type Transaction,
} from '@wirebeat/applayer';

const endpoints = {
  ipVersion: 4 as const,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 7003,
  openedAt: 0,
};
const tcp = makeTcpTuple(endpoints);
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The messages of `text` parsed in direction `dir` of `tuple`. */
function lines(tuple: TcpTuple, dir: 0 | 1, text: string): Array<LineMessage<{ text: string }>> {
  const parser = new LineParser(tuple, dir, { maxMessageSize: 100, decode: (line) => ({ text: line }) });
  const got: Array<LineMessage<{ text: string }>> = [];
  parser.parse(Buffer.from(text), 7, (m) => got.push(m));
  return got;
}

const flagsOf = (m: Message) => [m.direction, m.transport, m.isRequest, m.truncated];

describe('line message flags', () => {
  it('direction, transport, isRequest and truncated follow the parser and tuple', () => {
    const udp = makeTcpTuple({ ...endpoints, transport: 'udp' });
    expect(lines(tcp, 0, 'a\n').map(flagsOf)).toEqual([[0, 'tcp', true, false]]);
    expect(lines(udp, 1, 'b\n').map(flagsOf)).toEqual([[1, 'udp', false, false]]);
  });

  it('each flag is written without changing the others', () => {
    const [m] = lines(tcp, 1, 'hello\n');
    m.truncated = true;
    expect(flagsOf(m)).toEqual([1, 'tcp', false, true]);
    m.isRequest = true;
    expect(flagsOf(m)).toEqual([1, 'tcp', true, true]);
    m.transport = 'udp';
    expect(flagsOf(m)).toEqual([1, 'udp', true, true]);
    m.direction = 0;
    expect(flagsOf(m)).toEqual([0, 'udp', true, true]);
    m.truncated = false;
    m.isRequest = false;
    expect(flagsOf(m)).toEqual([0, 'udp', false, false]);
    expect([m.text, m.size, m.ts]).toEqual(['hello', 6, 7]);
  });

  it('a message cut by a gap is truncated and keeps its direction', () => {
    const parser = new LineParser(tcp, 1, { maxMessageSize: 100, decode: (line) => ({ text: line }) });
    const got: Message[] = [];
    parser.parse(Buffer.from('partial'), 1, (m) => got.push(m));
    expect(parser.gap((m) => got.push(m))).toBe(true);
    expect(got.map(flagsOf)).toEqual([[1, 'tcp', false, true]]);
  });
});

interface Line extends Message {
  text: string;
}

/** A plugin of a line protocol (one message a line) whose transactions are collected. */
function linePlugin() {
  const txs: Array<Transaction<Line, Line>> = [];
  const mod = defineProtocol<Record<string, never>, Line, Line>({
    name: 'lines',
    description: 'one message a line',
    ports: [7003],
    parser: (dir, tuple) =>
      new LineParser(tuple, dir, { maxMessageSize: 1024, decode: (text) => ({ text, raw: text }) }),
    transaction: (tx) => {
      txs.push(tx);
      return { status: 'OK' };
    },
  });
  const p = mod.create(mod.parseConfig({}), { publish() {}, logger: silent });
  return { p, txs };
}

describe('a defined connection’s rare state', () => {
  it('is not made for microsecond captures of a protocol without unfinished-message charges', () => {
    const { p, txs } = linePlugin();
    let conn = p.parse({ ts: 1, tsNanos: undefined, payload: Buffer.from('ping\n') }, tcp, 0, undefined);
    conn = p.parse({ ts: 2, tsNanos: undefined, payload: Buffer.from('pong\n') }, tcp, 1, conn);
    expect(Reflect.get(conn as object, 'rare')).toBeUndefined();
    expect(txs.map((t) => [t.request?.text, t.response?.text, t.request?.tsNanos])).toEqual([
      ['ping', 'pong', undefined],
    ]);
  });

  it('is made by the first nanosecond time and gives each message its segment’s nanoseconds', () => {
    const { p, txs } = linePlugin();
    let conn = p.parse({ ts: 1.001, tsNanos: 7, payload: Buffer.from('pi') }, tcp, 0, undefined);
    expect(Reflect.get(conn as object, 'rare')).toBeDefined();
    conn = p.parse({ ts: 1.002, tsNanos: 9, payload: Buffer.from('ng\n') }, tcp, 0, conn);
    conn = p.parse({ ts: 2.003, tsNanos: 123, payload: Buffer.from('pong\n') }, tcp, 1, conn);
    expect(txs.map((t) => [t.request?.ts, t.request?.tsNanos, t.response?.ts, t.response?.tsNanos])).toEqual([
      [1.001, 7, 2.003, 123],
    ]);
    p.connectionClosed(tcp, 'fin', conn, 3);
    expect(Reflect.get(conn as object, 'rare')).toBeUndefined();
  });
});

describe('correlator flags', () => {
  it('the budget flag is kept apart from closed', () => {
    const c = new TransactionCorrelator<Message, Message>({ onTransaction() {} });
    expect([c.inBudgetOrder, c.finished]).toEqual([false, false]);
    c.inBudgetOrder = true;
    expect([c.inBudgetOrder, c.finished]).toEqual([true, false]);
    c.close('fin');
    expect([c.inBudgetOrder, c.finished]).toEqual([true, true]);
    c.inBudgetOrder = false;
    expect([c.inBudgetOrder, c.finished]).toEqual([false, true]);
  });
});
