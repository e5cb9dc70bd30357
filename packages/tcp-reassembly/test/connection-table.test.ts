import { Ipv4ConnectionTable } from '../src/index';

describe('Ipv4ConnectionTable', () => {
  it('agrees with a Map under random inserts and deletes (growth and backward-shift deletion)', () => {
    const t = new Ipv4ConnectionTable<number>(4);
    const ref = new Map<string, number>();
    let seed = 1;
    const rnd = (n: number): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n;
    // A small key space forces collisions, long probe chains and re-insertions after deletes.
    const key = (): [number, number, number] => [rnd(4) | 0x0a000000, rnd(3) - 1, (rnd(6) << 16) | rnd(5)];
    for (let i = 0; i < 20000; i++) {
      const [a, b, p] = key();
      const k = `${a},${b},${p}`;
      if (rnd(3) === 0) {
        expect(t.delete(a, b, p)).toBe(ref.delete(k));
      } else if (!ref.has(k)) {
        t.insert(a, b, p, i);
        ref.set(k, i);
      }
      const [qa, qb, qp] = key();
      expect(t.get(qa, qb, qp)).toBe(ref.get(`${qa},${qb},${qp}`));
      expect(t.size).toBe(ref.size);
    }
    for (const [k, v] of ref) {
      const [a, b, p] = k.split(',').map(Number);
      expect(t.get(a, b, p)).toBe(v);
    }
  });
});
