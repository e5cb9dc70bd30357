// The beat's engine: one on the main thread (`workers: 1`, the default), or one per worker thread
// with frames sharded by flow (`workers: N | auto`). The rest of the beat sees the same interface.
import { DEFAULT_MEMORY_BUDGET_BYTES } from '@wirebeat/applayer';
import { autoWorkers, discardPrestarted, Engine, ShardedEngine, type FrameEngine } from '@wirebeat/engine';
import type { EngineOptions, OutputRoom, StageSetup } from '@wirebeat/engine';
import type { EnricherSetup } from '../events/enricher-setup';
import type { EncodedPayload } from './encode-stage';
import { encodeStageFile, workerPreload } from './worker-files';

/**
 * With workers, what they do with their events: enrich and encode them (see encode-stage), the
 * main thread receiving the blocks of bytes; without it they post the events themselves.
 */
export interface WorkerEncoding {
  setup: EnricherSetup;
  onBlock: (block: EncodedPayload) => void;
}

/** Workers reading the input themselves: the source's feed module and the output they wait for. */
export interface WorkerFeed {
  setup: StageSetup;
  room: OutputRoom;
}

/**
 * The engine for `<beat>.workers`; configuration errors (port conflicts) are thrown as with one
 * engine. With a feed (file replay at top speed), the main thread's engine is one of the n and
 * n - 1 workers read the file themselves: no per-frame work for them on the main thread.
 */
export async function createEngine(
  opts: EngineOptions,
  workers: 'auto' | number,
  encoding?: WorkerEncoding,
  feed?: WorkerFeed,
): Promise<FrameEngine> {
  const n = workers === 'auto' ? autoWorkers() : workers;
  // Workers prestarted on a hint of the command line (prestart-hint.ts) that this run does not take.
  const unused = () => void discardPrestarted();
  const shared = n > 1 && feed !== undefined;
  const local = new Engine(
    shared
      ? {
          ...opts,
          memoryBudgetBytes: Math.floor((opts.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES) / n),
        }
      : opts,
  );
  if (n <= 1) {
    unused();
    return local;
  }
  // The local engine above checked the protocols (same errors as one engine); the workers build their own.
  // A decoration is the main thread's (its functions are not sent): workers' events get it from their stage.
  const { decoration: _mainThreadOnly, ...forWorkers } = opts;
  const engine = ShardedEngine.start({
    ...forWorkers,
    workers: n,
    preload: workerPreload(),
    ...(encoding && {
      stage: {
        setup: {
          file: encodeStageFile(),
          exportName: 'createEncodeStage',
          config: encoding.setup,
        },
        onPayload: (p) => encoding.onBlock(p as EncodedPayload),
      },
    }),
    ...(shared && { feed: { setup: feed.setup, local, room: feed.room } }),
  });
  void engine.then(unused, unused);
  return engine;
}

/** What makes the source wait: the output's queue, or workers behind on frames. */
export function sinkMustWait(pipeline: { readonly full: boolean }, engine: FrameEngine): boolean {
  return pipeline.full || engine.busy === true;
}

/**
 * Resolves when what held the source back has room again: the queue, then the workers. Once each,
 * not in a loop: a closing pipeline stays full but no longer makes anyone wait.
 */
export async function sinkWaitForSpace(
  pipeline: { readonly full: boolean; waitForSpace(): Promise<void> },
  engine: FrameEngine,
): Promise<void> {
  if (pipeline.full) await pipeline.waitForSpace();
  if (engine.busy === true) await engine.waitForRoom?.();
}
