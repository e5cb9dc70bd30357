// Events cross from a worker to the main thread in batches laid out by column: the documents and
// ids joined into one string each, timestamps and flags in typed arrays, each connection's tuple
// once per batch. Structured clone copies a few large values far faster than thousands of small
// objects, and a SerialisedEvent's tuple (a private field behind a getter) would not survive a
// clone anyway. The main thread rebuilds the events, so the beat's enrichment still takes its fast
// path on the serialised text.
import { SerialisedEvent } from '@wirebeat/applayer';
import type { FlowTuple, TcpTuple, TransactionEvent } from '@wirebeat/applayer';

const STATUS_OK = 1;
const STATUS_ERROR = 2;
const PROVISIONAL_SET = 4;
const PROVISIONAL = 8;
/** The event has no serialised document: its fields travel as an object. */
const AS_FIELDS = 16;

/** A batch of transaction events as posted by a worker. */
export interface WireEventBatch {
  n: number;
  /** Ids joined by '\n'. */
  ids: string;
  /** Documents joined by '\n' (JSON text never holds a raw newline); empty for AS_FIELDS events. */
  docs: string;
  ts: Float64Array;
  flags: Uint8Array;
  /** Index into `tuples`, -1 for none. */
  tuple: Int32Array;
  tuples: FlowTuple[];
  /** Notes by event index (few events have any). */
  notes: Record<number, readonly string[]>;
  /** Fields by event index, for events without a serialised document. */
  fields: Record<number, Record<string, unknown>>;
}

/** A plain copy of a tuple (its getters read once). */
function plainTuple(t: TcpTuple): FlowTuple {
  return {
    ipVersion: t.ipVersion,
    transport: t.transport ?? 'tcp',
    srcIp: t.srcIp,
    srcPort: t.srcPort,
    dstIp: t.dstIp,
    dstPort: t.dstPort,
    connectionId: t.connectionId,
  };
}

/** Collects a worker's events until they are posted. */
export class WireEventWriter {
  private events: TransactionEvent[] = [];
  /** Plain tuples by the connection's tuple object (one copy per connection). */
  private readonly plain = new WeakMap<object, FlowTuple>();

  /** Keeps an event for the next batch. */
  add(e: TransactionEvent): void {
    this.events.push(e);
  }

  /** The events since the last call, as one batch. */
  take(): WireEventBatch {
    const events = this.events;
    this.events = [];
    const n = events.length;
    const ts = new Float64Array(n);
    const flags = new Uint8Array(n);
    const tuple = new Int32Array(n);
    const tuples: FlowTuple[] = [];
    const indexOf = new Map<object, number>();
    const notes: Record<number, readonly string[]> = {};
    const fields: Record<number, Record<string, unknown>> = {};
    let ids = '';
    let docs = '';
    for (let i = 0; i < n; i++) {
      const e = events[i];
      const sep = i === 0 ? '' : '\n';
      ids += sep + e.id;
      ts[i] = e.timestamp;
      let f = e.status === 'OK' ? STATUS_OK : e.status === 'Error' ? STATUS_ERROR : 0;
      if (e.provisional !== undefined) f |= PROVISIONAL_SET | (e.provisional ? PROVISIONAL : 0);
      const json = e.json;
      if (json !== undefined) docs += sep + json;
      else {
        docs += sep;
        f |= AS_FIELDS;
        fields[i] = e.fields;
      }
      flags[i] = f;
      if (e.notes !== undefined) notes[i] = e.notes;
      const t = e.tuple;
      if (t === undefined) tuple[i] = -1;
      else {
        let k = indexOf.get(t);
        if (k === undefined) {
          let p = this.plain.get(t);
          if (p === undefined) {
            p = plainTuple(t);
            this.plain.set(t, p);
          }
          k = tuples.push(p) - 1;
          indexOf.set(t, k);
        }
        tuple[i] = k;
      }
    }
    return { n, ids, docs, ts, flags, tuple, tuples, notes, fields };
  }
}

/** How many connections' tuples the main thread keeps interned (the enrichment caches by tuple object). */
const INTERNED_TUPLES = 4096;

/** Rebuilds posted events; one tuple object per connection for the connections seen lately. */
export class WireEventReader {
  private readonly tuples = new Map<string, FlowTuple>();

  /** Calls `each` with every event of a batch, in the order the worker's engine published them. */
  read(b: WireEventBatch, each: (e: TransactionEvent) => void): void {
    const tuples = b.tuples.map((t) => this.intern(t));
    let idAt = 0;
    let docAt = 0;
    for (let i = 0; i < b.n; i++) {
      const idEnd = i === b.n - 1 ? b.ids.length : b.ids.indexOf('\n', idAt);
      const docEnd = i === b.n - 1 ? b.docs.length : b.docs.indexOf('\n', docAt);
      const id = b.ids.slice(idAt, idEnd);
      const doc = b.docs.slice(docAt, docEnd);
      idAt = idEnd + 1;
      docAt = docEnd + 1;
      const f = b.flags[i];
      const status = f & STATUS_OK ? 'OK' : f & STATUS_ERROR ? 'Error' : undefined;
      const tuple = b.tuple[i] < 0 ? undefined : tuples[b.tuple[i]];
      const provisional = f & PROVISIONAL_SET ? (f & PROVISIONAL) !== 0 : undefined;
      if (f & AS_FIELDS) {
        const e = { id, timestamp: b.ts[i], fields: b.fields[i] } as {
          -readonly [K in keyof TransactionEvent]: TransactionEvent[K];
        };
        if (status !== undefined) e.status = status;
        if (b.notes[i] !== undefined) e.notes = b.notes[i];
        if (tuple !== undefined) e.tuple = tuple;
        if (provisional !== undefined) e.provisional = provisional;
        each(e);
      } else {
        const e = new SerialisedEvent(id, b.ts[i], doc, status, b.notes[i], tuple);
        if (provisional !== undefined) e.provisional = provisional;
        each(e);
      }
    }
  }

  private intern(t: FlowTuple): FlowTuple {
    const known = this.tuples.get(t.connectionId);
    if (known !== undefined) return known;
    if (this.tuples.size >= INTERNED_TUPLES) this.tuples.clear();
    this.tuples.set(t.connectionId, t);
    return t;
  }
}

/**
 * Sums counter snapshots of several engines (numbers add up, nested objects merge); the high-water
 * marks take the largest instead.
 */
export function mergeCounters<T>(snapshots: readonly T[]): T {
  if (snapshots.length === 1) return snapshots[0];
  const out: Record<string, unknown> = {};
  for (const s of snapshots) mergeInto(out, s as Record<string, unknown>);
  return out as T;
}

function mergeInto(out: Record<string, unknown>, s: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(s)) {
    if (typeof v === 'number') {
      const prev = out[k];
      if (typeof prev !== 'number') out[k] = v;
      else out[k] = /highwater|high_water|max/i.test(k) ? Math.max(prev, v) : prev + v;
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const prev = out[k];
      const into = prev !== null && typeof prev === 'object' ? (prev as Record<string, unknown>) : {};
      out[k] = into;
      mergeInto(into, v as Record<string, unknown>);
    } else if (!(k in out)) out[k] = v;
  }
}
