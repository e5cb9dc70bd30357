// Nanosecond captures (issue 25): times to the microsecond in `ts` plus `tsNanos` below it give
// exact durations and nine-digit timestamps; microsecond captures keep their events unchanged.
import fc from 'fast-check';
import {
  TransactionEventBuilder,
  elapsedNanos,
  formatTimestampNanos,
  makeTcpTuple,
  type Message,
  type Transaction,
} from '@wirebeat/applayer';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0, 0);
const tuple = makeTcpTuple({
  ipVersion: 4,
  clientIp: '10.0.0.1',
  clientPort: 50000,
  serverIp: '10.0.0.2',
  serverPort: 3030,
  openedAt: T0,
});

/** ms to the microsecond and the nanoseconds below it, as the capture readers make them. */
const split = (ns: bigint): { ts: number; tsNanos: number } => ({
  ts: Number(ns / 1000n) / 1000,
  tsNanos: Number(ns % 1000n),
});

const message = (isRequest: boolean, ts: number, tsNanos?: number): Message => ({
  ts,
  ...(tsNanos === undefined ? {} : { tsNanos }),
  tuple,
  transport: 'tcp',
  direction: isRequest ? 0 : 1,
  isRequest,
  size: 5,
});

const build = (req: Message, resp: Message) => {
  const tx: Transaction<Message, Message> = { index: 0, request: req, response: resp } as Transaction<
    Message,
    Message
  >;
  return new TransactionEventBuilder('echo').forConnection(tuple).build(tx, { status: 'OK' }).fields as {
    '@timestamp': string;
    responsetime: number;
    event: { start: string; end: string; duration: number };
  };
};

describe('nanosecond times', () => {
  it("durations are exact to the nanosecond at today's dates", () => {
    const base = BigInt(T0) * 1_000_000n;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        (a, d) => {
          const x = split(base + a);
          const y = split(base + a + d);
          expect(elapsedNanos(x.ts, x.tsNanos, y.ts, y.tsNanos)).toBe(Number(d));
        },
      ),
    );
  });

  it('formats nine fractional digits', () => {
    const t = split(BigInt(T0) * 1_000_000n + 59_999_000_001n);
    expect(formatTimestampNanos(t.ts, t.tsNanos)).toBe('2026-11-29T12:00:59.999000001Z');
    const u = split(BigInt(T0) * 1_000_000n + 570_375_982n);
    expect(formatTimestampNanos(u.ts, u.tsNanos)).toBe('2026-11-29T12:00:00.570375982Z');
  });

  it('events of nanosecond messages carry the exact duration; microsecond ones are unchanged', () => {
    const a = split(BigInt(T0) * 1_000_000n + 570_375_982n);
    const b = split(BigInt(T0) * 1_000_000n + 612_293_597n);
    const fine = build(message(true, a.ts, a.tsNanos), message(false, b.ts, b.tsNanos));
    expect(fine['@timestamp']).toBe('2026-11-29T12:00:00.570375982Z');
    expect(fine.event).toMatchObject({
      start: '2026-11-29T12:00:00.570375982Z',
      end: '2026-11-29T12:00:00.612293597Z',
      duration: 41_917_615,
    });
    expect(fine.responsetime).toBe(41);
    const coarse = build(message(true, a.ts), message(false, b.ts));
    expect(coarse['@timestamp']).toBe('2026-11-29T12:00:00.570Z');
    expect(coarse.event.duration).toBe(41_918_000);
  });
});
