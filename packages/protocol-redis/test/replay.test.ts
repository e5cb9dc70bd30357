// The Redis analyzer on a capture recorded from Debian's redis-server (scripts/record-captures.js):
// golden events, every reply type, pub/sub and MULTI/EXEC, and the same commands tshark's RESP
// dissector finds.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { compareWithGolden, goldenPathFor, replayCaptureDetailed } from '@wirebeat/testing';
import { redisProtocol } from '@wirebeat/protocol-redis';

const CAPTURE = path.join(__dirname, 'fixtures/redis.pcap');
const OPTIONS = { send_request: true, send_response: true, max_bulk_bytes: 8192 };
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function replay() {
  const r = await replayCaptureDetailed(CAPTURE, [{ module: redisProtocol, config: OPTIONS }]);
  expect(r.logged).toEqual([]);
  return { docs: r.events.map((e) => e.fields as Doc), events: r.events, counters: r.counters.redis };
}

describe('redis.pcap (redis-server 7 on loopback, RESP2 and RESP3)', () => {
  it('replays to its reviewed golden events', async () => {
    const { events } = await replay();
    const { expected, actual } = compareWithGolden(goldenPathFor(CAPTURE), events);
    expect(actual).toEqual(expected);
  });

  it('RESP2: methods, resources, every reply type, errors, inline commands, pipelining, MULTI/EXEC', async () => {
    const { docs } = await replay();
    const conn = docs[0].client.port;
    const a = docs.filter((d) => d.client.port === conn);
    const summary = a.map((d) => [d.method, d.resource, d.redis.return_value ?? `ERROR ${d.redis.error}`]);
    expect(summary.slice(0, 9)).toEqual([
      ['PING', undefined, 'PONG'],
      ['SET', 'greeting', 'OK'],
      ['GET', 'greeting', 'hello'],
      ['GET', 'missing', 'nil'],
      ['INCR', 'counter', '1'],
      ['INCR', 'greeting', 'ERROR ERR value is not an integer or out of range'],
      ['NOSUCHCMD', 'x', expect.stringMatching(/^ERROR ERR unknown command/)],
      ['RPUSH', 'list', '3'],
      ['LRANGE', 'list', '[a, b, c]'],
    ]);
    expect(summary.slice(9, 16)).toEqual([
      ['MGET', 'greeting', '[hello, nil, 1]'],
      ['EXISTS', 'greeting', '1'],
      ['DEL', 'counter', '1'],
      ['MULTI', undefined, 'OK'],
      ['SET', 'k1', 'QUEUED'],
      ['INCR', 'k1', 'QUEUED'],
      ['EXEC', undefined, '[OK, ERR value is not an integer or out of range]'],
    ]);
    expect(a.find((d) => d.method === 'NOSUCHCMD')).toMatchObject({
      status: 'Error',
      event: { outcome: 'failure' },
    });
    expect(a.find((d) => d.method === 'GET' && d.resource === 'big')!.redis.return_value).toHaveLength(5000);
    const auth = a.find((d) => d.method === 'AUTH')!;
    expect(auth.query).toBe('AUTH REDACTED');
    expect(JSON.stringify(auth)).not.toContain('not-the-password');
  });

  it('RESP3: map, set, double, boolean, big number, verbatim, attribute, null; pushes are not replies', async () => {
    const { docs } = await replay();
    const resp3 = docs.filter((d) => d.client.port === docs.find((x) => x.method === 'HELLO')!.client.port);
    const replies = Object.fromEntries(resp3.map((d) => [d.query, d.redis.return_value]));
    expect(replies['HGETALL h']).toBe('{f1: v1, f2: v2}');
    expect(replies['SMEMBERS s']).toMatch(/^\[(one, two|two, one)\]$/);
    expect(replies['ZSCORE z m']).toBe('1.5');
    expect(replies['DEBUG PROTOCOL true']).toBe('true');
    expect(replies['DEBUG PROTOCOL false']).toBe('false');
    expect(replies['DEBUG PROTOCOL bignum']).toMatch(/^\d{20,}$/);
    expect(replies['DEBUG PROTOCOL verbatim']).toMatch(/verbatim/);
    expect(replies['DEBUG PROTOCOL attrib']).toBe('Some real reply following the attribute');
    expect(replies['DEBUG PROTOCOL null']).toBe('nil');
    expect(replies['DEBUG PROTOCOL push']).toBe('Some real reply following the push reply');
    // The invalidation push between SET elsewhere and GET missing does not answer GET missing.
    expect(replies['GET missing']).toBe('nil');
    expect(resp3.every((d) => d.status === 'OK')).toBe(true);
  });

  it('pub/sub: confirmations answer their command once, published messages answer nothing', async () => {
    const { docs, counters } = await replay();
    const sub = docs.filter(
      (d) => d.client.port === docs.find((x) => x.query === 'SUBSCRIBE news sport')!.client.port,
    );
    expect(sub.map((d) => [d.query, d.redis.return_value])).toEqual([
      ['SUBSCRIBE news sport', '[subscribe, news, 1]'],
      ['PING', '[pong, ]'],
      ['UNSUBSCRIBE', expect.stringMatching(/^\[unsubscribe, (news|sport), 1\]$/)],
      ['GET greeting', 'changed'],
      ['QUIT', 'OK'],
    ]);
    const sub3 = docs.filter(
      (d) => d.client.port === docs.find((x) => x.query === 'SUBSCRIBE news')!.client.port,
    );
    expect(sub3.map((d) => [d.query, d.redis.return_value])).toEqual([
      ['HELLO 3', expect.stringMatching(/^\{server: redis/)],
      ['SUBSCRIBE news', '[subscribe, news, 1]'],
      ['GET greeting', 'changed'],
      ['QUIT', 'OK'],
    ]);
    // sport's confirmation, 2 messages, 1 unsubscribe confirmation, 1 invalidation, 1 RESP3 message,
    // and the push DEBUG PROTOCOL push sends before its reply.
    expect(counters).toMatchObject({ push_messages: 7, unmatched_responses: 0, missing_responses: 0 });
    expect(docs.every((d) => d.notes === undefined)).toBe(true);
  });

  it('sends the commands tshark finds, connection by connection', async () => {
    let out: string;
    try {
      out = execFileSync(
        'tshark',
        ['-r', CAPTURE, '-Y', 'resp && tcp.dstport == 6379', '-T', 'fields', '-e', 'tcp.srcport'].concat([
          '-e',
          'resp.bulk_string.value',
        ]),
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (err) {
      throw new Error(`tshark is needed for this test (apt-get install tshark): ${(err as Error).message}`);
    }
    // Every bulk string the clients sent, per connection, joined by spaces.
    const expected = new Map<number, string>();
    for (const line of out.trim().split('\n')) {
      const [port, values] = line.split('\t');
      if (!values) continue;
      const args = values.split(',').map((hex) => Buffer.from(hex, 'hex').toString('utf8'));
      const before = expected.get(Number(port));
      expected.set(Number(port), (before === undefined ? '' : before + ' ') + args.join(' '));
    }
    const { docs } = await replay();
    // The first command is the inline PING: no bulk string for tshark.
    expect(docs[0].query).toBe('PING');
    const actual = new Map<number, string>();
    for (const d of docs.slice(1)) {
      // The AUTH password is published redacted.
      const query = d.query === 'AUTH REDACTED' ? 'AUTH not-the-password' : d.query;
      const before = actual.get(d.client.port);
      actual.set(d.client.port, (before === undefined ? '' : before + ' ') + query);
    }
    expect(actual).toEqual(expected);
  });
});
