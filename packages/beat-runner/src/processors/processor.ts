// The processor chain: each processor changes the event object or drops it (returns false).
import type { Condition } from './conditions';

/**
 * What a processor did with an event: true keeps it, false drops it, a string keeps it and says
 * what failed (as in libbeat, a failing processor does not stop the chain).
 */
export type ProcessorResult = boolean | string;

/** One configured processor. */
export interface Processor {
  /** Its kind, as written in the config (`drop_fields`). */
  readonly kind: string;
  /** Changes the event in place; false drops it, a string reports a failure. */
  run(event: Record<string, unknown>): ProcessorResult;
}

/** Told of each processor failure (the kind and what failed). */
export type ProcessorFailureSink = (kind: string, message: string) => void;

/** Runs `inner` only on events that satisfy `when` (every processor accepts a `when`). */
export function guarded(inner: Processor, when: Condition | undefined): Processor {
  if (when === undefined) return inner;
  return { kind: inner.kind, run: (e) => (when(e) ? inner.run(e) : true) };
}

/** Runs processors in order; false as soon as one drops the event; failures go to `onFailure`. */
export function runProcessors(
  processors: readonly Processor[],
  event: Record<string, unknown>,
  onFailure?: ProcessorFailureSink,
): boolean {
  for (const p of processors) {
    const result = p.run(event);
    if (result === false) return false;
    if (typeof result === 'string') onFailure?.(p.kind, result);
  }
  return true;
}
