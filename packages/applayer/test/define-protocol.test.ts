// defineProtocol's framework side: options, correlation, raw text, gaps and the connection-handler form.
import {
  Notes,
  ProtocolConfigError,
  defineProtocol,
  makeTcpTuple,
  type Logger,
  type Message,
  type TransactionEvent,
} from '@wirebeat/applayer';
import { z } from 'zod';

const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 7000,
  openedAt: 0,
});
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const bytes = (s: string) => Buffer.from(s);

interface Word extends Message {
  word: string;
}

/** Messages of exactly 4 bytes, split by a connection handler (no resynchronisation after a gap). */
const fixed = defineProtocol<{ upper: z.ZodDefault<z.ZodBoolean> }, Word, Word>({
  name: 'fixed',
  description: 'four-byte words',
  ports: [7000],
  options: { upper: z.boolean().default(false) },
  connection(ctx) {
    const pending: [string, string] = ['', ''];
    return {
      onData(dir, payload, ts) {
        pending[dir] += Buffer.from(payload).toString('latin1');
        while (pending[dir].length >= 4) {
          const word = pending[dir].slice(0, 4);
          pending[dir] = pending[dir].slice(4);
          const msg: Word = {
            ts,
            tuple: ctx.tuple,
            transport: 'tcp',
            direction: dir,
            isRequest: dir === 0,
            size: 4,
            word,
            raw: ctx.config.upper ? word.toUpperCase() : word,
          };
          if (dir === 0) ctx.request(msg);
          else ctx.response(msg);
        }
      },
    };
  },
  transaction: (tx) => ({
    status: tx.response?.word === 'fail' ? 'Error' : tx.notes ? 'Error' : 'OK',
    fields: { words: [tx.request?.word, tx.response?.word] },
  }),
});

function plugin(options: Record<string, unknown> = {}) {
  const events: TransactionEvent[] = [];
  const p = fixed.create(fixed.parseConfig(options), { publish: (e) => events.push(e), logger: silent });
  const docs = () => events.map((e) => JSON.parse(e.json!) as Record<string, unknown>);
  return { p, docs };
}

describe('defineProtocol', () => {
  it('adds the shared and correlation options and validates strictly, naming the protocol', () => {
    expect(fixed.parseConfig({})).toEqual({
      enabled: true,
      ports: [7000],
      send_request: false,
      send_response: false,
      transaction_timeout: 10_000,
      max_pending_bytes: 128 * 1024 * 1024,
      upper: false,
      max_pending_requests: 1000,
    });
    expect(fixed.parseConfig({ transaction_timeout: '1m30s' }).transaction_timeout).toBe(90_000);
    expect(() => fixed.parseConfig({ upper: 1 })).toThrow(ProtocolConfigError);
    expect(() => fixed.parseConfig({ nope: 1 })).toThrow(
      /^invalid fixed configuration: unknown option 'nope'/,
    );
    expect(fixed.defaultPorts).toEqual([7000]);
  });

  it('pairs FIFO with pipelining and builds the event with the namespace fields and counters', () => {
    const { p, docs } = plugin({ send_request: true, send_response: true, upper: true });
    const s = p.parse({ ts: 1, payload: bytes('pingpong') }, tuple, 0, undefined);
    p.parse({ ts: 3, payload: bytes('pongfail') }, tuple, 1, s);
    expect(docs()).toMatchObject([
      {
        status: 'OK',
        request: 'PING',
        response: 'PONG',
        responsetime: 2,
        fixed: { words: ['ping', 'pong'] },
      },
      { status: 'Error', request: 'PONG', response: 'FAIL', bytes_in: 4, bytes_out: 4 },
    ]);
    expect(p.counters()).toMatchObject({ messages: 4, transactions: 2, errors: 1 });
  });

  it('does not keep request text unless send_request is on', () => {
    const { p, docs } = plugin({ send_response: true });
    const s = p.parse({ ts: 1, payload: bytes('abcd') }, tuple, 0, undefined);
    p.parse({ ts: 2, payload: bytes('wxyz') }, tuple, 1, s);
    expect(docs()[0]).not.toHaveProperty('request');
    expect(docs()[0]).toMatchObject({ response: 'wxyz' });
  });

  it('times requests out on packet time and publishes what is pending at close', () => {
    const { p, docs } = plugin({ transaction_timeout: '1s' });
    const s = p.parse({ ts: 0, payload: bytes('one!') }, tuple, 0, undefined);
    p.tick!(999);
    expect(docs()).toEqual([]);
    p.tick!(1000);
    p.parse({ ts: 1500, payload: bytes('two!') }, tuple, 0, s);
    p.connectionClosed(tuple, 'fin', s, 1600);
    expect(docs().map((d) => d.notes)).toEqual([
      [Notes.responseTimeout],
      ['response missing: connection closed (FIN)'],
    ]);
  });

  it('a handler without onGap drops the connection at its first gap; the gap is counted', () => {
    const { p } = plugin();
    const s = p.parse({ ts: 0, payload: bytes('one!') }, tuple, 0, undefined);
    expect(p.gapInStream(tuple, 0, 10, s).drop).toBe(true);
    expect(p.counters().gaps).toBe(1);
  });

  it('wants exactly one of parser and connection', () => {
    expect(() =>
      defineProtocol({ name: 'x', description: '', ports: [1], transaction: () => ({ status: 'OK' }) }),
    ).toThrow('protocol x: give either parser or connection');
  });
});

/** Like `fixed`, but writes top-level fields and its own counter from the handler. */
const rooted = defineProtocol<Record<never, never>, Word, Word>({
  name: 'rooted',
  description: 'four-byte words with top-level fields',
  ports: [7001],
  counters: ['waiting_seen'],
  fields: [
    { name: 'rooted.n', type: 'long', description: 'A number.' },
    { name: 'method', type: 'keyword', description: 'A method.' },
    { name: 'url.path', type: 'keyword', description: 'A path.' },
    { name: 'query', type: 'keyword', description: 'The word.' },
  ],
  connection(ctx) {
    return {
      onData(dir, payload, ts) {
        const word = Buffer.from(payload).toString('latin1');
        const msg: Word = {
          ts,
          tuple: ctx.tuple,
          transport: 'tcp',
          direction: dir,
          isRequest: dir === 0,
          size: 4,
          word,
        };
        if (dir === 0) ctx.request(msg);
        else {
          ctx.count('waiting_seen', ctx.pending);
          ctx.response(msg);
        }
      },
    };
  },
  transaction: (tx) =>
    tx.response?.word === 'json'
      ? { status: 'OK', fields: { n: 1 }, root: { url: { path: '/' }, method: 'GET' } }
      : { status: 'OK', root: tx.request === undefined ? undefined : { query: tx.request.word } },
});

describe('defineProtocol top-level fields and counters', () => {
  it('writes root members after the namespace object, in the declared order, and counts own counters', () => {
    const events: TransactionEvent[] = [];
    const p = rooted.create(rooted.parseConfig({}), { publish: (e) => events.push(e), logger: silent });
    const s = p.parse({ ts: 1, payload: bytes('abcd') }, tuple, 0, undefined);
    p.parse({ ts: 2, payload: bytes('efgh') }, tuple, 0, s);
    p.parse({ ts: 3, payload: bytes('json') }, tuple, 1, s);
    p.parse({ ts: 4, payload: bytes('text') }, tuple, 1, s);
    p.parse({ ts: 5, payload: bytes('solo') }, tuple, 1, s);
    const docs = events.map((e) => JSON.parse(e.json!) as Record<string, unknown>);
    expect(docs[0]).toMatchObject({ rooted: { n: 1 }, method: 'GET', url: { path: '/' } });
    expect(Object.keys(docs[0]).slice(-3)).toEqual(['rooted', 'method', 'url']);
    expect(docs[1]).toMatchObject({ query: 'efgh' });
    expect(docs[1]).not.toHaveProperty('rooted');
    expect(docs[2]).not.toHaveProperty('query');
    // Pending when each response came: 2, then 1, then 0.
    expect(p.counters()).toMatchObject({ waiting_seen: 3, transactions: 3 });
  });
});
