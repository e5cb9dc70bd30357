// ctx.noResponse: requests that expect no response are published at once with the request alone,
// either instead of being queued or when a later response shows the server passed them by.
import {
  defineProtocol,
  makeTcpTuple,
  type Logger,
  type Message,
  type TransactionEvent,
} from '@wirebeat/applayer';

const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.2',
  clientPort: 40000,
  serverIp: '10.0.0.1',
  serverPort: 7001,
  openedAt: 0,
});
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

interface Word extends Message {
  word: string;
}

/**
 * Four-byte words. `nrep` never gets a response (published at once); `quie` gets none either,
 * which the handler learns when the next response comes; everything else is answered in order.
 */
const words = defineProtocol<Record<string, never>, Word, Word>({
  name: 'words',
  description: 'four-byte words, some never answered',
  ports: [7001],
  connection(ctx) {
    return {
      onData(dir, payload, ts) {
        const text = Buffer.from(payload).toString('latin1');
        for (let i = 0; i + 4 <= text.length; i += 4) {
          const word = text.slice(i, i + 4);
          const msg: Word = {
            ts,
            tuple: ctx.tuple,
            transport: 'tcp',
            direction: dir,
            isRequest: dir === 0,
            size: 4,
            word,
            raw: word,
          };
          if (dir === 1) {
            for (let p = ctx.pendingRequest(); p?.word === 'quie'; p = ctx.pendingRequest())
              ctx.noResponse(p);
            ctx.response(msg);
          } else if (word === 'nrep') ctx.noResponse(msg);
          else ctx.request(msg);
        }
      },
    };
  },
  transaction: (tx) => ({
    status: tx.response === undefined && tx.request?.word === 'nrep' ? 'OK' : tx.notes ? 'Error' : 'OK',
    fields: { words: [tx.request?.word, tx.response?.word] },
  }),
});

it('publishes requests that expect no response alone, in order, without notes or response times', () => {
  const events: TransactionEvent[] = [];
  const p = words.create(words.parseConfig({ send_request: true }), {
    publish: (e) => events.push(e),
    logger: silent,
  });
  const docs = () => events.map((e) => JSON.parse(e.json!) as Record<string, unknown>);
  const s = p.parse({ ts: 1, payload: Buffer.from('get1nrepquieget2') }, tuple, 0, undefined);
  // `nrep` is published at once; `get1` still waits.
  expect(docs().map((d) => d.request)).toEqual(['nrep']);
  p.parse({ ts: 5, payload: Buffer.from('ok_1ok_2') }, tuple, 1, s);
  expect(docs().map((d) => (d.words as { words: unknown[] }).words)).toEqual([
    ['nrep', null],
    ['get1', 'ok_1'],
    ['quie', null],
    ['get2', 'ok_2'],
  ]);
  const [nrep, , quie] = docs();
  for (const alone of [nrep, quie]) {
    expect(alone).toMatchObject({ status: 'OK', bytes_in: 4, bytes_out: 0 });
    expect(alone).not.toHaveProperty('notes');
    expect(alone).not.toHaveProperty('responsetime');
    expect(alone.event).not.toHaveProperty('end');
    expect(alone.event).not.toHaveProperty('duration');
  }
  expect(docs()[3]).toMatchObject({ responsetime: 4 });
  // Nothing is left pending: closing publishes nothing more.
  p.connectionClosed(tuple, 'fin', s, 10);
  expect(events).toHaveLength(4);
  expect(p.counters()).toMatchObject({
    messages: 6,
    transactions: 4,
    missing_responses: 0,
    unmatched_responses: 0,
  });
});
