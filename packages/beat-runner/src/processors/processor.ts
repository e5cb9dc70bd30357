// The processor chain: each processor changes the event object or drops it (returns false).
import type { Condition } from './conditions';

/** One configured processor. */
export interface Processor {
  /** Its kind, as written in the config (`drop_fields`). */
  readonly kind: string;
  /** Changes the event in place; returns false to drop it. */
  run(event: Record<string, unknown>): boolean;
}

/** Runs `inner` only on events that satisfy `when` (every processor accepts a `when`). */
export function guarded(inner: Processor, when: Condition | undefined): Processor {
  if (when === undefined) return inner;
  return { kind: inner.kind, run: (e) => (when(e) ? inner.run(e) : true) };
}

/** Runs processors in order; false as soon as one drops the event. */
export function runProcessors(processors: readonly Processor[], event: Record<string, unknown>): boolean {
  for (const p of processors) if (!p.run(event)) return false;
  return true;
}
