// Events cross from a worker to the main thread by structured clone, which keeps own data
// properties only: a SerialisedEvent's tuple (a private field behind a getter) and its lazily
// parsed fields would be lost. They travel as plain records and are rebuilt on arrival, so the
// beat's enrichment still takes its fast path on the serialised text.
import { SerialisedEvent } from '@wirebeat/applayer';
import type { FlowTuple, TcpTuple, TransactionEvent } from '@wirebeat/applayer';

/** A transaction event as posted by a worker. */
export interface WireEvent {
  id: string;
  ts: number;
  /** The serialised document, when the event carries one; else `fields`. */
  json?: string;
  fields?: Record<string, unknown>;
  status?: 'OK' | 'Error';
  notes?: readonly string[];
  tuple?: FlowTuple;
  provisional?: boolean;
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

/** Converts an event for posting; a tuple is copied once per connection (`tuples` caches it). */
export function toWire(e: TransactionEvent, tuples: WeakMap<object, FlowTuple>): WireEvent {
  const w: WireEvent = { id: e.id, ts: e.timestamp };
  if (e.json !== undefined) w.json = e.json;
  else w.fields = e.fields;
  if (e.status !== undefined) w.status = e.status;
  if (e.notes !== undefined) w.notes = e.notes;
  if (e.provisional !== undefined) w.provisional = e.provisional;
  const t = e.tuple;
  if (t !== undefined) {
    let p = tuples.get(t);
    if (p === undefined) {
      p = plainTuple(t);
      tuples.set(t, p);
    }
    w.tuple = p;
  }
  return w;
}

/** How many connections' tuples the main thread keeps interned (the enrichment caches by tuple object). */
const INTERNED_TUPLES = 4096;

/** Rebuilds posted events; one tuple object per connection for the connections seen lately. */
export class WireEventReader {
  private readonly tuples = new Map<string, FlowTuple>();

  /** The event as the engine published it in the worker. */
  read(w: WireEvent): TransactionEvent {
    let tuple = w.tuple;
    if (tuple !== undefined) {
      const known = this.tuples.get(tuple.connectionId);
      if (known !== undefined) tuple = known;
      else {
        if (this.tuples.size >= INTERNED_TUPLES) this.tuples.clear();
        this.tuples.set(tuple.connectionId, tuple);
      }
    }
    if (w.json !== undefined || w.fields === undefined) {
      const e = new SerialisedEvent(w.id, w.ts, w.json, w.status, w.notes, tuple);
      if (w.provisional !== undefined) e.provisional = w.provisional;
      return e;
    }
    const e: TransactionEvent = { id: w.id, timestamp: w.ts, fields: w.fields };
    const out = e as { -readonly [K in keyof TransactionEvent]: TransactionEvent[K] };
    if (w.status !== undefined) out.status = w.status;
    if (w.notes !== undefined) out.notes = w.notes;
    if (tuple !== undefined) out.tuple = tuple;
    if (w.provisional !== undefined) out.provisional = w.provisional;
    return e;
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
