// The queue between the protocols and the output keeps nothing the output has taken: its dead
// prefix may be tens of thousands of slots long before it is compacted.
import v8 from 'v8';
import vm from 'vm';
import type { BeatEvent } from '@wirebeat/publisher';
import { EventQueue } from '../src/event-queue';

/** A full garbage collection (the flag is set for this call only). */
function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  v8.setFlagsFromString('--no-expose-gc');
}

const event = (text: string): BeatEvent => ({ timestamp: 0, fields: {}, json: text });

describe('EventQueue', () => {
  it('releases the events a batch took while later ones are still queued', async () => {
    const q = new EventQueue();
    const refs: Array<WeakRef<BeatEvent>> = [];
    for (let i = 0; i < 10; i++) {
      const e = event(`${i}`.repeat(1000));
      refs.push(new WeakRef(e));
      q.push(e);
    }
    let batch: BeatEvent[] | undefined = q.take(4, Infinity).events;
    expect(batch).toHaveLength(4);
    batch = undefined;
    // WeakRefs made in this job hold their targets until it ends.
    await new Promise((r) => setImmediate(r));
    collect();
    expect(refs.map((r) => r.deref() !== undefined)).toEqual([
      ...Array(4).fill(false),
      ...Array(6).fill(true),
    ]);
    expect(q.length).toBe(6);
    expect(q.bytes).toBe(6 * 1001);
    expect(q.take(100, Infinity).events.map((e) => e.json![0])).toEqual(['4', '5', '6', '7', '8', '9']);
  });
});
