// Blocks of encoded events (an engine worker's batch) through the Pipeline: counted as their
// events, written as they are by the console output, handed one by one to an output without
// publishBlock, retried whole; the queue does not keep what it handed out.
import { PassThrough } from 'stream';
import * as v8 from 'v8';
import * as vm from 'vm';
import {
  blockEvents,
  ConsoleOutput,
  Pipeline,
  type BatchResult,
  type BeatEvent,
  type BlockResult,
  type EventBlock,
} from '@wirebeat/publisher';
import { EventQueue } from '../src/event-queue';
import { BatchRecorder, echoEvents } from './helpers/events';

/** The events encoded as one block, as a worker posts them (ids, times, provisional marks kept). */
function blockOf(events: BeatEvent[]): EventBlock {
  const lines = events.map((e) => Buffer.from(JSON.stringify(e.fields) + '\n'));
  const ends = new Uint32Array(events.length);
  let at = 0;
  lines.forEach((l, i) => (ends[i] = at += l.length));
  return {
    count: events.length,
    bytes: new Uint8Array(Buffer.concat(lines)),
    ends,
    ids: events.map((e) => e.id ?? '').join('\n'),
    timestamps: Float64Array.from(events.map((e) => e.timestamp)),
    provisional: Uint8Array.from(
      events.map((e) => (e.provisional === undefined ? 0 : e.provisional ? 2 : 1)),
    ),
  };
}

/** A stream that keeps what is written to it. */
function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

describe('event blocks', () => {
  it('reach the console as written, between single events in order, and count as their events', async () => {
    const { stream, text } = sink();
    const out = new ConsoleOutput({ stream });
    const p = new Pipeline(out, { batchSize: 4, maxEvents: 50, flushIntervalMs: 60_000 });
    const [a, b, c] = [echoEvents(3, 'a'), echoEvents(30, 'b'), echoEvents(2, 'c')];
    for (const e of a) p.publish(e);
    expect(p.publishBlock(blockOf(b))).toBe(true);
    // 3 + 30 + 30 held or in flight: at the limit of 50 events the producer is told to wait.
    expect(p.publishBlock(blockOf(b))).toBe(false);
    expect(p.full).toBe(true);
    for (const e of c) p.publish(e);
    expect((await p.close(5000)).undelivered).toBe(0);
    const want = [...a, ...b, ...b, ...c].map((e) => JSON.stringify(e.fields));
    expect(text().split('\n').slice(0, -1)).toEqual(want);
    expect(p.counters()).toMatchObject({ published: 65, acked: 65, dropped: 0, queued: 0 });
  });

  it('are dropped as a whole when the queue is full on live capture', async () => {
    const out = new ConsoleOutput({ stream: sink().stream });
    const p = new Pipeline(out, { policy: 'drop', maxEvents: 10, batchSize: 100, flushIntervalMs: 60_000 });
    p.publishBlock(blockOf(echoEvents(10, 'x')));
    expect(p.publishBlock(blockOf(echoEvents(7, 'y')))).toBe(false);
    await p.close(5000);
    expect(p.counters()).toMatchObject({ published: 10, acked: 10, dropped: 7 });
  });

  it('go event by event to an output without publishBlock, ids, times and marks kept', async () => {
    const out = new BatchRecorder();
    const events = echoEvents(5, 'f');
    events[1].provisional = true;
    events[2].provisional = false;
    const p = new Pipeline(out, { flushIntervalMs: 60_000 });
    p.publishBlock(blockOf(events));
    await p.close(5000);
    const got = out.batches.flat();
    expect(got.map((e) => e.fields)).toEqual(events.map((e) => e.fields));
    expect(got.map((e) => [e.id, e.timestamp, e.provisional])).toEqual(
      events.map((e) => [e.id, e.timestamp, e.provisional]),
    );
    const split = blockEvents(blockOf(events));
    // The document is parsed only for an output that reads the fields.
    expect(split[3].fields).toEqual(events[3].fields);
  });

  it('are sent again whole when the output asks for a retry, counted as their events', async () => {
    const written: string[] = [];
    let attempts = 0;
    const out = {
      name: 'flaky',
      async connect() {},
      async publishBatch(batch: BeatEvent[]): Promise<BatchResult> {
        return { acked: batch.length, failed: 0, retry: [] };
      },
      async publishBlock(block: EventBlock): Promise<BlockResult> {
        if (attempts++ === 0) return { acked: 0, failed: 0, retry: [block], retryReason: 'busy' };
        written.push(Buffer.from(block.bytes).toString());
        return { acked: block.count, failed: 0, retry: [] };
      },
      async close() {},
    };
    const p = new Pipeline(out, { backoffInitMs: 1, backoffMaxMs: 2, flushIntervalMs: 60_000 });
    const events = echoEvents(6, 'r');
    p.publishBlock(blockOf(events));
    expect((await p.close(5000)).undelivered).toBe(0);
    expect(written).toEqual([events.map((e) => JSON.stringify(e.fields) + '\n').join('')]);
    expect(p.counters()).toMatchObject({ published: 6, acked: 6, retried: 6 });
  });
});

describe('EventQueue', () => {
  it('lets go of the entries it handed out while it still holds others', async () => {
    // The collector, as the heap governor obtains it (jest runs without --expose-gc).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const q = new EventQueue();
    let block: EventBlock | undefined = blockOf(echoEvents(3, 'g'));
    const taken = new WeakRef(block);
    q.push(block);
    q.push(blockOf(echoEvents(2, 'h')));
    expect(q.take(100, 1 << 20).count).toBe(3);
    block = undefined;
    // WeakRef targets are kept until the end of the current job: collect after it.
    await new Promise((r) => setImmediate(r));
    gc();
    expect(taken.deref()).toBeUndefined();
    expect(q.length).toBe(2);
  });
});
