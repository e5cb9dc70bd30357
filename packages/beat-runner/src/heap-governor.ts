// The last part of the beat's memory model. Budgets bound what the beat holds (pending requests and
// unfinished messages in max_pending_bytes, connections in the reassembler, events in the queue),
// but V8 lets garbage pile up far past the live data while allocation is fast: 1.4 GB of RSS for
// about 100 MB live when a million pipelined requests become events. Between input chunks (and
// end-of-input batches) the governor runs a full collection once the heap passes a soft limit, then
// waits until it grows by a quarter of what stayed live: like --max-old-space-size, but never a crash.
import type * as V8 from 'v8';
import vm from 'vm';

/** Default soft limit of the heap (live data and garbage), in bytes: heapSoftLimitOf the default budgets. */
export const DEFAULT_HEAP_SOFT_LIMIT = 224 * 1024 * 1024;

/** Heap the beat uses besides its budgets: code, config, protocol tables, buffers' handles. */
const HEAP_BASE = 32 * 1024 * 1024;

/**
 * The soft limit that follows the memory model: what the budgets let the beat keep live (connection
 * state and messages, `max_state_bytes`; the output queue, `queue.mem.bytes`) plus its base. At the
 * defaults, 128 + 64 + 32 MiB = DEFAULT_HEAP_SOFT_LIMIT.
 */
export function heapSoftLimitOf(maxStateBytes: number, queueBytes: number): number {
  return maxStateBytes + queueBytes + HEAP_BASE;
}

/** Runs a full garbage collection when the heap outgrows its soft limit (see check()). */
export class HeapGovernor {
  /** Collections the governor ran. */
  collections = 0;
  private next: number;
  /** Made on first need: a new V8 context costs a short run ~1 ms it never needs. */
  private gc: (() => void) | undefined;

  /** A governor keeping the heap near `softLimitBytes` (more when more than that is live). */
  constructor(readonly softLimitBytes: number = DEFAULT_HEAP_SOFT_LIMIT) {
    this.next = softLimitBytes;
  }

  /** Cheap when under the limit (one heap statistics call): call it between batches of work. */
  check(): void {
    if (usedHeap() < this.next) return;
    (this.gc ??= collector())();
    this.collections++;
    const live = usedHeap();
    // Live data above the limit is the budgets' business: collect again only after real growth.
    this.next = Math.max(this.softLimitBytes, live * 1.25);
  }
}

let v8: typeof V8 | undefined;

/**
 * V8's used_heap_size, from the v8 module (loaded on the first look). process.memoryUsage() gives
 * the same figure without loading a module, but reads /proc each time: ~30 µs, 2% of a replay
 * that looks every 1024 frames.
 */
function usedHeap(): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by the first look
  v8 ??= require('v8') as typeof V8;
  return v8.getHeapStatistics().used_heap_size;
}

/** The full collection function (global.gc when node runs with --expose-gc, else made so). */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  usedHeap(); // loads v8
  v8!.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  v8!.setFlagsFromString('--no-expose-gc');
  return gc;
}
