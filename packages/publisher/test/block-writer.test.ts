// Single events published to an output that writes blocks (the console): the queue encodes them
// as they come, so that what waits for the output is bytes, and each batch goes out as one block
// whose bytes, ids, times and marks are those of its events.
import { PassThrough } from 'stream';
import {
  ConsoleOutput,
  Pipeline,
  type BeatEvent,
  type BlockResult,
  type EventBlock,
} from '@wirebeat/publisher';
import { BlockWriter } from '../src/block-writer';
import { EventQueue } from '../src/event-queue';
import { BatchRecorder, echoEvents } from './helpers/events';

/** An output that keeps every block and batch it is given, and acks them. */
class BlockRecorder extends BatchRecorder {
  readonly blocks: EventBlock[] = [];
  async publishBlock(block: EventBlock): Promise<BlockResult> {
    this.blocks.push(block);
    return { acked: block.count, failed: 0, retry: [] };
  }
}

/** The lines an event is written as (its json, else its fields serialised). */
function lineOf(e: BeatEvent): string {
  return (e.json ?? JSON.stringify(e.fields)) + '\n';
}

describe('single events to an output that writes blocks', () => {
  it('go out as one block per batch, each holding its events’ lines, ids, times and marks', async () => {
    const out = new BlockRecorder();
    const p = new Pipeline(out, { batchSize: 4, flushIntervalMs: 60_000 });
    const events = echoEvents(10, 'w');
    events[1].provisional = true;
    events[2].provisional = false;
    // Not ASCII, and one without its text: both are written as UTF-8 of their document.
    events[3].json = JSON.stringify({ ...events[3].fields, note: 'naïve – ✓ 😀' });
    delete events[5].id;
    for (const e of events) p.publish(e);
    expect((await p.close(5000)).undelivered).toBe(0);
    expect(out.batches).toEqual([]);
    expect(out.blocks.map((b) => b.count)).toEqual([4, 4, 2]);
    const bytes = Buffer.concat(out.blocks.map((b) => Buffer.from(b.bytes)));
    expect(bytes.toString()).toBe(events.map(lineOf).join(''));
    const lines = out.blocks.flatMap((b) => {
      const buf = Buffer.from(b.bytes);
      let start = 0;
      return [...b.ends].map((end) => buf.toString('utf8', start, (start = end)));
    });
    expect(lines).toEqual(events.map(lineOf));
    expect(out.blocks.flatMap((b) => b.ids.split('\n'))).toEqual(events.map((e) => e.id ?? ''));
    expect(out.blocks.flatMap((b) => [...b.timestamps])).toEqual(events.map((e) => e.timestamp));
    expect(out.blocks.flatMap((b) => [...b.provisional])).toEqual([0, 2, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(p.counters()).toMatchObject({ published: 10, acked: 10, queued: 0, queuedBytes: 0 });
  });

  it('keep no ids for an output that ignores them (the console, the file)', async () => {
    const out = Object.assign(new BlockRecorder(), { ignoresBlockIds: true });
    const p = new Pipeline(out, { batchSize: 4, flushIntervalMs: 60_000 });
    const events = echoEvents(6, 'n');
    for (const e of events) p.publish(e);
    await p.close(5000);
    expect(out.blocks.map((b) => [b.count, b.ids])).toEqual([
      [4, ''],
      [2, ''],
    ]);
    expect(Buffer.concat(out.blocks.map((b) => Buffer.from(b.bytes))).toString()).toBe(
      events.map(lineOf).join(''),
    );
    expect(new ConsoleOutput({ stream: new PassThrough() }).ignoresBlockIds).toBe(true);
  });

  it('are written in the memory of a delivered block when the output releases blocks', async () => {
    for (const releases of [true, false]) {
      const out = Object.assign(new BlockRecorder(), { releasesBlocks: releases });
      const texts: string[] = [];
      const record = out.publishBlock.bind(out);
      out.publishBlock = (block: EventBlock) => {
        texts.push(Buffer.from(block.bytes).toString());
        return record(block);
      };
      const p = new Pipeline(out, { batchSize: 4, flushIntervalMs: 60_000 });
      const events = echoEvents(8, 'm');
      for (const e of events.slice(0, 4)) p.publish(e);
      await new Promise((resolve) => setImmediate(resolve));
      for (const e of events.slice(4)) p.publish(e);
      await p.close(5000);
      expect(texts.join('')).toBe(events.map(lineOf).join(''));
      expect(out.blocks[1].bytes.buffer === out.blocks[0].bytes.buffer).toBe(releases);
    }
    expect(new ConsoleOutput().releasesBlocks).toBe(true);
    expect(new ConsoleOutput({ stream: new PassThrough() }).releasesBlocks).toBe(false);
  });

  it('count their encoded bytes against the limits while they wait', async () => {
    const out = new BlockRecorder();
    const events = echoEvents(3, 'q');
    const size = events.reduce((n, e) => n + Buffer.byteLength(lineOf(e)), 0);
    const p = new Pipeline(out, { batchSize: 100, maxBytes: size, flushIntervalMs: 60_000 });
    expect(p.publish(events[0])).toBe(true);
    expect(p.publish(events[1])).toBe(true);
    expect(p.counters().queuedBytes).toBe(size - Buffer.byteLength(lineOf(events[2])));
    // The third event reaches the byte limit: the producer is told to wait.
    expect(p.publish(events[2])).toBe(false);
    expect(out.blocks).toEqual([]);
    await p.close(5000);
    expect(out.blocks.map((b) => b.count)).toEqual([3]);
  });

  it('keep their order around blocks published whole (engine workers)', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const p = new Pipeline(new ConsoleOutput({ stream }), { batchSize: 100, flushIntervalMs: 60_000 });
    const [a, b, c] = [echoEvents(2, 'a'), echoEvents(3, 'b'), echoEvents(2, 'c')];
    for (const e of a) p.publish(e);
    const writer = new BlockWriter();
    for (const e of b) writer.add(e);
    p.publishBlock(writer.seal());
    for (const e of c) p.publish(e);
    expect((await p.close(5000)).undelivered).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe([...a, ...b, ...c].map(lineOf).join(''));
  });

  it('are sent again as the same block when the output asks for a retry', async () => {
    const written: string[] = [];
    let attempts = 0;
    const out = new BlockRecorder();
    out.publishBlock = async (block: EventBlock): Promise<BlockResult> => {
      if (attempts++ === 0) return { acked: 0, failed: 0, retry: [block], retryReason: 'busy' };
      written.push(Buffer.from(block.bytes).toString());
      return { acked: block.count, failed: 0, retry: [] };
    };
    const p = new Pipeline(out, { batchSize: 5, backoffInitMs: 1, backoffMaxMs: 2, flushIntervalMs: 60_000 });
    const events = echoEvents(5, 'r');
    for (const e of events) p.publish(e);
    expect((await p.close(5000)).undelivered).toBe(0);
    expect(written).toEqual([events.map(lineOf).join('')]);
    expect(p.counters()).toMatchObject({ published: 5, acked: 5, retried: 5 });
  });

  it('stay event objects for an output without blocks', async () => {
    const plain = new BatchRecorder();
    const p = new Pipeline(plain, { batchSize: 3, flushIntervalMs: 60_000 });
    const events = echoEvents(3, 'p');
    for (const e of events) p.publish(e);
    await p.close(5000);
    expect(plain.batches).toEqual([events]);
  });
});

describe('BlockWriter', () => {
  it('grows past its first buffer and keeps every line whole', () => {
    const events = echoEvents(400, 'g');
    const writer = new BlockWriter(1024);
    let taken = 0;
    for (const e of events) taken += writer.add(e);
    const block = writer.seal();
    const text = events.map(lineOf).join('');
    expect(Buffer.from(block.bytes).toString()).toBe(text);
    expect(taken).toBe(Buffer.byteLength(text));
    expect(block.count).toBe(400);
    expect(block.ends[399]).toBe(block.bytes.byteLength);
  });
});

describe('EventQueue that encodes', () => {
  it('starts a new block once one has a batch of events', () => {
    const q = new EventQueue({ maxEvents: 2, maxBytes: 1 << 20, keepIds: true });
    for (const e of echoEvents(5, 'e')) q.push(e);
    expect(q.length).toBe(5);
    expect([1, 2, 3].map(() => q.take(100, 1 << 30).count)).toEqual([2, 2, 1]);
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
  });
});
