// Beats' partitioners: hash (FNV-1a of the key or of listed fields, as sarama does), random and
// round_robin, each optionally limited to partitions whose leader is up.
import { fieldValue } from './format';
import type { KafkaOutputConfig } from './schema';

/** Picks a partition among `count` for an event; `reachable` lists the partitions with a live leader. */
export type PartitionChooser = (
  topic: string,
  key: string | undefined,
  fields: Record<string, unknown>,
  count: number,
  reachable: number[],
) => number;

/** FNV-1a, 32 bits, of a string's UTF-8 bytes. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** sarama's mapping of a 32-bit hash onto a partition: the signed value modulo, made positive. */
function hashToPartition(hash: number, count: number): number {
  const p = (hash | 0) % count;
  return p < 0 ? -p : p;
}

/** Builds the chooser `partition` describes (hash by default). */
export function partitionChooser(partition: KafkaOutputConfig['partition']): PartitionChooser {
  const rr = new Map<string, { next: number; used: number }>();
  if (partition?.random) {
    const { reachable_only, group_events } = partition.random;
    let current = -1;
    let used = 0;
    return (_t, _k, _f, count, reachable) => {
      const pool = reachable_only && reachable.length > 0 ? reachable : undefined;
      if (current < 0 || used >= group_events || current >= count) {
        current = pool ? pool[Math.floor(Math.random() * pool.length)] : Math.floor(Math.random() * count);
        used = 0;
      }
      used++;
      return current;
    };
  }
  if (partition?.round_robin) {
    const { reachable_only, group_events } = partition.round_robin;
    return (topic, _k, _f, count, reachable) => {
      const pool = reachable_only && reachable.length > 0 ? reachable : [...Array(count).keys()];
      const s = rr.get(topic) ?? { next: 0, used: 0 };
      rr.set(topic, s);
      if (s.used >= group_events) {
        s.next++;
        s.used = 0;
      }
      s.used++;
      return pool[s.next % pool.length];
    };
  }
  const hash = partition?.hash ?? { hash: [], random: true, reachable_only: false };
  return (_t, key, fields, count, reachable) => {
    let text = key;
    if (hash.hash.length > 0) {
      const values = hash.hash.map((f) => fieldValue(fields, f));
      if (values.some((v) => v !== undefined)) text = values.map((v) => JSON.stringify(v ?? null)).join('');
    }
    const pool = hash.reachable_only && reachable.length > 0 ? reachable : undefined;
    if (text === undefined) {
      const n = pool ? pool.length : count;
      const i = hash.random ? Math.floor(Math.random() * n) : 0;
      return pool ? pool[i] : i;
    }
    return pool ? pool[hashToPartition(fnv1a32(text), pool.length)] : hashToPartition(fnv1a32(text), count);
  };
}
