import fc from 'fast-check';
import { TcpReassembler, type Frame } from '../src/index';
import { ACK, FIN, frame, PSH, RecordingConsumer, SYN } from './helpers';

const client = { src: '10.0.0.2', dst: '10.0.0.1', srcPort: 40000, dstPort: 3030 };

/** Frames of one client stream: a SYN, then `pieces` (shuffled), duplicates and a FIN. */
function streamFrames(
  isn: number,
  payload: Uint8Array,
  cuts: number[],
  keys: number[],
  dups: Array<[number, number, number]>,
  window: number,
): Frame[] {
  const bounds = [
    0,
    ...[...new Set(cuts.map((c) => c % (payload.length + 1)))].sort((a, b) => a - b),
    payload.length,
  ];
  const segs: Array<{ at: number; from: number; to: number; fin?: boolean }> = [];
  for (let i = 1; i < bounds.length; i++) {
    if (bounds[i] > bounds[i - 1]) segs.push({ at: segs.length, from: bounds[i - 1], to: bounds[i] });
  }
  segs.push({ at: segs.length, from: payload.length, to: payload.length, fin: true });
  // Shuffle within the reorder window: each segment moves by less than `window` positions.
  const order = segs
    .map((s, i) => ({ s, key: s.at + (keys[i % keys.length] % window) }))
    .sort((a, b) => a.key - b.key || a.s.at - b.s.at);
  const sequence = order.map((o) => o.s);
  // Duplicates: arbitrary ranges of the original stream, inserted anywhere after the SYN.
  for (const [a, b, where] of dups) {
    const from = a % (payload.length + 1);
    const to = Math.min(payload.length, from + (b % 200));
    if (to > from) sequence.splice(where % (sequence.length + 1), 0, { at: -1, from, to });
  }
  const frames = [frame(0, { ...client, seq: isn, flags: SYN })];
  sequence.forEach((s, i) => {
    frames.push(
      frame(i + 1, {
        ...client,
        seq: (isn + 1 + s.from) >>> 0,
        flags: s.fin ? FIN | ACK : PSH | ACK,
        ack: 1,
        payload: payload.subarray(s.from, s.to),
      }),
    );
  });
  return frames;
}

describe('TcpReassembler property: reordering and duplicates never change the stream', () => {
  it('delivers exactly the original bytes, then FIN, without gaps', () => {
    let reordered = 0;
    let duplicated = 0;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xfffff000, max: 0xffffffff })),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 20 }),
        fc.integer({ min: 1, max: 16 }),
        (payload, isn, cuts, keys, dups, window) => {
          const rec = new RecordingConsumer();
          const r = new TcpReassembler(rec);
          for (const f of streamFrames(isn, payload, cuts, keys, dups, window)) r.processFrame(f);
          expect(rec.conns).toHaveLength(1);
          expect(Buffer.concat(rec.conns[0].streams[0]).equals(Buffer.from(payload))).toBe(true);
          const events = rec.conns[0].events;
          expect(events.filter((e) => e.startsWith('gap'))).toEqual([]);
          expect(events[events.length - 1]).toBe('fin0');
          const c = r.counters();
          expect(c.bufferedBytes).toBe(0);
          if (c.reorderHighWater > 0) reordered++;
          if (c.retransmittedBytes > 0) duplicated++;
        },
      ),
      { numRuns: 300 },
    );
    // The generator really exercised the reorder buffer and the duplicate trimming.
    expect(reordered).toBeGreaterThan(100);
    expect(duplicated).toBeGreaterThan(100);
  });
});
