import { Pipeline, type BatchResult, type BeatEvent, type Output } from '@wirebeat/publisher';
import { echoEvents } from './helpers/events';

/** An output whose batches stay pending until the test settles them. */
class ScriptedOutput implements Output {
  readonly name = 'scripted';
  readonly pending: Array<{ batch: BeatEvent[]; signal?: AbortSignal; resolve: (r: BatchResult) => void }> =
    [];
  readonly received: BeatEvent[][] = [];
  maxInFlight = 0;
  closed = false;
  async connect(): Promise<void> {}
  publishBatch(batch: BeatEvent[], signal?: AbortSignal): Promise<BatchResult> {
    this.received.push(batch);
    return new Promise((resolve) => {
      this.pending.push({ batch, signal, resolve });
      this.maxInFlight = Math.max(this.maxInFlight, this.pending.length);
      signal?.addEventListener('abort', () =>
        resolve({ acked: 0, failed: 0, retry: batch, retryReason: 'aborted' }),
      );
    });
  }
  /** Acks the oldest pending batch. */
  ackNext(): void {
    const p = this.pending.shift();
    if (!p) throw new Error('no pending batch');
    p.resolve({ acked: p.batch.length, failed: 0, retry: [] });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** An output that acks at once, optionally asking to retry the first attempt. */
class InstantOutput implements Output {
  readonly name = 'instant';
  readonly seen: string[] = [];
  attempts = 0;
  constructor(
    private readonly plan: (batch: BeatEvent[], attempt: number) => BatchResult = (b) => ({
      acked: b.length,
      failed: 0,
      retry: [],
    }),
  ) {}
  async connect(): Promise<void> {}
  async publishBatch(batch: BeatEvent[]): Promise<BatchResult> {
    const r = this.plan(batch, this.attempts++);
    for (const e of batch) if (!r.retry.includes(e)) this.seen.push(e.id!);
    return r;
  }
  async close(): Promise<void> {}
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Pipeline', () => {
  it('sends full batches at once and the rest when closed, acking every event', async () => {
    const out = new InstantOutput();
    const p = new Pipeline(out, { batchSize: 100, flushIntervalMs: 60_000 });
    for (const e of echoEvents(250, 'a')) p.publish(e);
    await tick();
    expect(out.seen).toHaveLength(200);
    const { undelivered } = await p.close(5000);
    expect(undelivered).toBe(0);
    expect(out.seen).toEqual(echoEvents(250, 'a').map((e) => e.id));
    expect(p.counters()).toMatchObject({ published: 250, acked: 250, failed: 0, dropped: 0, queued: 0 });
  });

  it('sends a partial batch after the flush interval', async () => {
    const out = new InstantOutput();
    const p = new Pipeline(out, { batchSize: 100, flushIntervalMs: 20 });
    for (const e of echoEvents(3, 'b')) p.publish(e);
    expect(out.seen).toHaveLength(0);
    while (out.seen.length < 3) await new Promise((r) => setTimeout(r, 10));
    expect(p.counters().acked).toBe(3);
    await p.close(1000);
  });

  it("under 'block' says full at the event limit and lets the producer wait for space", async () => {
    const out = new ScriptedOutput();
    const p = new Pipeline(out, { maxEvents: 10, batchSize: 5, concurrency: 1, policy: 'block' });
    const events = echoEvents(30, 'c');
    let next = 0;
    let maxHeld = 0;
    const producer = (async () => {
      while (next < events.length) {
        const ok = p.publish(events[next++]);
        maxHeld = Math.max(maxHeld, p.counters().queued);
        if (!ok) await p.waitForSpace();
      }
    })();
    await tick();
    expect(next).toBe(10);
    expect(p.full).toBe(true);
    while (next < events.length || out.pending.length > 0) {
      if (out.pending.length) out.ackNext();
      await tick();
    }
    await producer;
    const { undelivered } = await p.close(5000);
    expect(undelivered).toBe(0);
    expect(maxHeld).toBeLessThanOrEqual(10);
    expect(p.counters()).toMatchObject({ published: 30, acked: 30, dropped: 0 });
  });

  it("under 'drop' drops and counts what does not fit, never holding more than the limit", async () => {
    const out = new ScriptedOutput();
    const p = new Pipeline(out, { maxEvents: 8, batchSize: 4, concurrency: 1, policy: 'drop' });
    const results = echoEvents(20, 'd').map((e) => p.publish(e));
    expect(results.filter((r) => r)).toHaveLength(7); // the 8th fills the queue and returns false
    expect(p.counters()).toMatchObject({ published: 8, dropped: 12, queued: 8 });
    out.ackNext();
    await tick();
    expect(p.full).toBe(false);
    expect(p.publish(echoEvents(1, 'late')[0])).toBe(true);
    const closing = p.close(5000);
    while (out.pending.length || p.counters().queued) {
      if (out.pending.length) out.ackNext();
      await tick();
    }
    expect((await closing).undelivered).toBe(0);
    expect(p.counters()).toMatchObject({ published: 9, acked: 9, dropped: 12 });
  });

  it('is full at the byte limit too', () => {
    const out = new ScriptedOutput();
    const events = echoEvents(5, 'e');
    const threeLines = events.slice(0, 3).reduce((n, e) => n + JSON.stringify(e.fields).length + 1, 0);
    const p = new Pipeline(out, { maxEvents: 1000, maxBytes: threeLines, batchSize: 1000, policy: 'drop' });
    const accepted = events.map((x) => p.publish(x));
    expect(accepted).toEqual([true, true, false, false, false]);
    expect(p.counters()).toMatchObject({ published: 3, dropped: 2, queuedBytes: threeLines });
  });

  it('sends a batch at exactly batchSize events, not one event before', async () => {
    const out = new ScriptedOutput();
    const p = new Pipeline(out, { batchSize: 5, flushIntervalMs: 60_000, concurrency: 1 });
    const events = echoEvents(5, 'bs');
    for (const e of events.slice(0, 4)) p.publish(e);
    await tick();
    expect(out.received).toHaveLength(0);
    p.publish(events[4]);
    await tick();
    expect(out.received.map((b) => b.length)).toEqual([5]);
    out.ackNext();
    await p.close(1000);
  });

  it('sends a batch at exactly batchBytes, not one byte before', async () => {
    const events = echoEvents(3, 'bb');
    const two = events.slice(0, 2).reduce((n, e) => n + JSON.stringify(e.fields).length + 1, 0);
    const run = async (batchBytes: number) => {
      const out = new ScriptedOutput();
      const p = new Pipeline(out, { batchSize: 1000, batchBytes, flushIntervalMs: 60_000, concurrency: 1 });
      for (const e of events.slice(0, 2)) p.publish(e);
      await tick();
      const sent = out.received.map((b) => b.length);
      while (out.pending.length) out.ackNext();
      const closing = p.close(1000);
      while (p.counters().queued) {
        if (out.pending.length) out.ackNext();
        await tick();
      }
      await closing;
      return sent;
    };
    expect(await run(two)).toEqual([2]);
    expect(await run(two + 1)).toEqual([]);
  });

  it('requeues events the output asks to retry and counts them', async () => {
    const out = new InstantOutput((b, attempt) =>
      attempt === 0
        ? { acked: 0, failed: 0, retry: b, retryReason: 'test 429' }
        : { acked: b.length, failed: 0, retry: [] },
    );
    const p = new Pipeline(out, { batchSize: 10, backoffInitMs: 5, backoffMaxMs: 10 });
    for (const e of echoEvents(10, 'f')) p.publish(e);
    expect((await p.close(5000)).undelivered).toBe(0);
    expect(out.seen).toEqual(echoEvents(10, 'f').map((e) => e.id));
    expect(p.counters()).toMatchObject({ acked: 10, retried: 10, failed: 0 });
  });

  it('counts events the output rejects for good as failed, without retrying them', async () => {
    const out = new InstantOutput((b) => ({ acked: b.length - 1, failed: 1, retry: [] }));
    const p = new Pipeline(out, { batchSize: 5 });
    for (const e of echoEvents(10, 'g')) p.publish(e);
    await p.close(5000);
    expect(out.attempts).toBe(2);
    expect(p.counters()).toMatchObject({ acked: 8, failed: 2, retried: 0 });
  });

  it('keeps at most `concurrency` batches in flight', async () => {
    const out = new ScriptedOutput();
    const p = new Pipeline(out, { batchSize: 2, concurrency: 3, maxEvents: 100 });
    for (const e of echoEvents(20, 'h')) p.publish(e);
    await tick();
    expect(out.pending).toHaveLength(3);
    const closing = p.close(5000);
    while (out.pending.length) {
      out.ackNext();
      await tick();
    }
    expect((await closing).undelivered).toBe(0);
    expect(out.maxInFlight).toBe(3);
  });

  it('reports what it could not deliver when the drain timeout expires, aborting requests in flight', async () => {
    const out = new ScriptedOutput();
    const p = new Pipeline(out, { batchSize: 4, concurrency: 1 });
    for (const e of echoEvents(10, 'i')) p.publish(e);
    const { undelivered } = await p.close(50);
    expect(undelivered).toBe(10);
    expect(out.received[0][0].id).toBe('i-0');
    expect(out.pending[0].signal?.aborted).toBe(true);
    expect(out.closed).toBe(true);
    expect(p.publish(echoEvents(1, 'j')[0])).toBe(false);
    expect(p.counters()).toMatchObject({ published: 10, acked: 0, dropped: 1, queued: 10 });
  });

  it('does not hang at close when the output ignores the abort', async () => {
    const stuck: Output = {
      name: 'stuck',
      connect: async () => undefined,
      publishBatch: () => new Promise<BatchResult>(() => undefined),
      close: async () => undefined,
    };
    const p = new Pipeline(stuck, { batchSize: 5 });
    for (const e of echoEvents(12, 'k')) p.publish(e);
    expect(await p.close(20)).toEqual({ undelivered: 12 });
  });
});
