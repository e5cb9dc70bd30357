// Top resources with bounded memory: the Space-Saving algorithm. At most `capacity` keys are
// tracked; a new key takes the place of the least counted one and inherits its count, so a key
// seen more than total/capacity times is always in the list (its count may be over-estimated by
// at most the count it inherited, reported as `overestimate`).

/** One entry of the top list. */
export interface TopEntry {
  key: string;
  count: number;
  errors: number;
  /** Upper bound of how much `count` may exceed the true count (0 when exact). */
  overestimate: number;
}

/** Bounded counter of the most frequent keys. */
export class TopK {
  private readonly entries = new Map<string, TopEntry>();

  /** Tracks at most `capacity` keys. */
  constructor(private readonly capacity: number) {}

  /** Counts one occurrence of `key` (an error when `error`). */
  add(key: string, error: boolean): void {
    let e = this.entries.get(key);
    if (e === undefined) {
      if (this.entries.size < this.capacity) {
        e = { key, count: 0, errors: 0, overestimate: 0 };
      } else {
        const min = this.min();
        this.entries.delete(min.key);
        e = { key, count: min.count, errors: 0, overestimate: min.count };
      }
      this.entries.set(key, e);
    }
    e.count++;
    if (error) e.errors++;
  }

  /** The `n` most counted keys, most counted first. */
  top(n: number): TopEntry[] {
    return [...this.entries.values()]
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
      .slice(0, n)
      .map((e) => ({ ...e }));
  }

  /** Keys tracked now (never above the capacity). */
  get size(): number {
    return this.entries.size;
  }

  private min(): TopEntry {
    let min: TopEntry | undefined;
    for (const e of this.entries.values()) if (min === undefined || e.count < min.count) min = e;
    return min!;
  }
}
