// Connection lookup without per-packet allocation: IPv4 4-tuples live in an open-addressing hash
// table of int32 keys (no string building); IPv6 uses a Map keyed by a latin1 string of the tuple.

/** Open-addressing (linear probing) map from a canonical IPv4 4-tuple to a value. */
export class Ipv4ConnectionTable<V> {
  private keys: Int32Array;
  private vals: (V | undefined)[];
  private mask: number;
  /** Number of tuples stored. */
  size = 0;

  /**
   * A table sized for `initialCapacity` tuples; it doubles when three quarters full (with hundreds
   * of thousands of connections, a half-full table would cost as much as a few fields on each).
   */
  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * 3 < initialCapacity * 4) cap <<= 1;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap * 3);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
  }

  /** Hash of the canonical tuple (a, b: addresses; p: the two ports packed in 32 bits). */
  private static hash(a: number, b: number, p: number): number {
    let h = Math.imul(a ^ 0x27d4eb2f, 0x85ebca6b);
    h ^= Math.imul(b ^ (h >>> 15), 0xc2b2ae35);
    h ^= Math.imul(p ^ (h >>> 13), 0x9e3779b1);
    return h ^ (h >>> 16);
  }

  /** The value stored for (a, b, p), or undefined. */
  get(a: number, b: number, p: number): V | undefined {
    const mask = this.mask;
    const keys = this.keys;
    const vals = this.vals;
    let i = Ipv4ConnectionTable.hash(a, b, p) & mask;
    for (;;) {
      const v = vals[i];
      if (v === undefined) return undefined;
      const k = i * 3;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === p) return v;
      i = (i + 1) & mask;
    }
  }

  /** Stores a value for a tuple that is not in the table yet. */
  insert(a: number, b: number, p: number, v: V): void {
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const h = Ipv4ConnectionTable.hash(a, b, p) & this.mask;
    let i = h;
    while (this.vals[i] !== undefined) i = (i + 1) & this.mask;
    const k = i * 3;
    this.keys[k] = a;
    this.keys[k + 1] = b;
    this.keys[k + 2] = p;
    this.vals[i] = v;
    this.size++;
  }

  /** Removes a tuple; backward-shift deletion keeps probe chains intact without tombstones. */
  delete(a: number, b: number, p: number): boolean {
    const mask = this.mask;
    const keys = this.keys;
    const vals = this.vals;
    let i = Ipv4ConnectionTable.hash(a, b, p) & mask;
    for (;;) {
      if (vals[i] === undefined) return false;
      const k = i * 3;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === p) break;
      i = (i + 1) & mask;
    }
    vals[i] = undefined;
    this.size--;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (vals[j] === undefined) return true;
      // Its home slot is recomputed rather than stored: deletions are rarer than lookups.
      const home = Ipv4ConnectionTable.hash(keys[j * 3], keys[j * 3 + 1], keys[j * 3 + 2]) & mask;
      // Move j back into the hole at i unless its home lies cyclically in (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (inRange) continue;
      keys[i * 3] = keys[j * 3];
      keys[i * 3 + 1] = keys[j * 3 + 1];
      keys[i * 3 + 2] = keys[j * 3 + 2];
      vals[i] = vals[j];
      vals[j] = undefined;
      i = j;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap * 3);
    this.vals = new Array<V | undefined>(cap).fill(undefined);
    this.size = 0;
    for (let i = 0; i < oldVals.length; i++) {
      const v = oldVals[i];
      if (v !== undefined) this.insert(oldKeys[i * 3], oldKeys[i * 3 + 1], oldKeys[i * 3 + 2], v);
    }
  }
}
