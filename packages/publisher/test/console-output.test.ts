import { PassThrough } from 'stream';
import { ConsoleOutput, Pipeline } from '@wirebeat/publisher';
import { echoEvents } from './helpers/events';

describe('ConsoleOutput', () => {
  it('writes one compact JSON line per event, equal to the event fields', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    const out = new ConsoleOutput({ stream });
    const events = echoEvents(5, 'c');
    const r = await out.publishBatch(events);
    expect(r).toEqual({ acked: 5, failed: 0, retry: [] });
    const lines = chunks.join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(events.map((e) => e.fields));
    expect(chunks).toHaveLength(1); // one write per batch
  });

  it('waits for the stream to drain before acking a batch (backpressure)', async () => {
    const stream = new PassThrough({ highWaterMark: 64 });
    const out = new ConsoleOutput({ stream });
    let settled = false;
    const p = out.publishBatch(echoEvents(3, 'bp')).then((r) => {
      settled = true;
      return r;
    });
    // The batch filled the paused stream; after the pending I/O callbacks have run it is still unacked.
    await new Promise((r) => setImmediate(r));
    expect(stream.writableNeedDrain).toBe(true);
    expect(settled).toBe(false);
    stream.resume();
    expect((await p).acked).toBe(3);
  });

  it('pretty-prints when asked', async () => {
    const stream = new PassThrough();
    const out = new ConsoleOutput({ stream, pretty: true });
    await out.publishBatch(echoEvents(1, 'p'));
    expect(stream.read().toString()).toMatch(/^\{\n {2}"@timestamp"/);
  });

  it('delivers everything a pipeline publishes, in order', async () => {
    const stream = new PassThrough({ highWaterMark: 1024 });
    const text: string[] = [];
    stream.on('data', (c: Buffer) => text.push(c.toString()));
    const p = new Pipeline(new ConsoleOutput({ stream }), { batchSize: 64, maxEvents: 256, policy: 'block' });
    const events = echoEvents(1000, 'pl');
    for (const e of events) if (!p.publish(e)) await p.waitForSpace();
    expect((await p.close(5000)).undelivered).toBe(0);
    const ids = text
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { source: { ip: string } }).source.ip);
    expect(ids).toEqual(events.map((e) => (e.fields.source as { ip: string }).ip));
  });

  it('fails batches instead of crashing once the stream is broken (EPIPE)', async () => {
    const stream = new PassThrough();
    const out = new ConsoleOutput({ stream });
    stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await new Promise((r) => setImmediate(r));
    expect(await out.publishBatch(echoEvents(2, 'x'))).toEqual({ acked: 0, failed: 2, retry: [] });
  });
});
