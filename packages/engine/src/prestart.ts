// Engine workers started ahead of their engine: a worker thread takes ~80 ms to start Node and
// ~60 ms to load the engine's modules, which on a fresh process can overlap the main thread's own
// start-up (its modules, its config) instead of following it. A prestarted worker loads the
// engine and waits for its setup; ShardedEngine adopts it as if it had started it.
import fs from 'fs';
import path from 'path';
import { Worker } from 'worker_threads';
import type { PrestartSetup, WorkerSetup } from './worker-protocol';

/**
 * Heap limits of every engine worker: a young generation as large as the main thread's (the
 * launchers raise it), a worker's garbage being as short-lived as the main thread's on one thread.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 64 };

/** The worker script: the compiled one, also when this file runs from its TypeScript source (tests). */
function workerScript(): string {
  const here = path.join(__dirname, 'engine-worker.js');
  if (fs.existsSync(here)) return here;
  return path.join(__dirname, '..', 'dist', 'engine-worker.js');
}

/** A file compiled from TypeScript sources under test: the worker loads its build. */
export function compiled(file: string): string {
  if (!file.endsWith('.ts')) return file;
  return file.replace(/([\\/])src([\\/])/, '$1dist$2').replace(/\.ts$/, '.js');
}

interface Prestarted {
  worker: Worker;
  /** Its preload files: only a setup with the same ones may adopt it (they cannot be unloaded). */
  preload: string;
  /** It failed or exited before it was adopted. */
  dead: boolean;
}

let pool: Prestarted[] = [];

/** Starts an engine worker with `workerData` (its setup, or a PrestartSetup). */
export function startWorker(workerData: WorkerSetup | PrestartSetup): Worker {
  return new Worker(workerScript(), { workerData, resourceLimits: RESOURCE_LIMITS });
}

/**
 * Starts `n` engine workers now, for an engine that will be created later with the same preload
 * files (see ShardedEngine.start). They do not keep the process alive; discardPrestarted ends
 * those no engine took.
 */
export function prestartWorkers(n: number, opts: { preload?: string[]; warm?: string[] } = {}): void {
  const preload = opts.preload?.map(compiled);
  for (let i = 0; i < n; i++) {
    const worker = startWorker({ prestarted: true, preload, warm: opts.warm?.map(compiled) });
    const p: Prestarted = { worker, preload: JSON.stringify(preload ?? []), dead: false };
    // A failure before adoption only makes the engine start a worker of its own.
    worker.on('error', () => (p.dead = true));
    worker.once('exit', () => (p.dead = true));
    worker.unref();
    pool.push(p);
  }
}

/**
 * A prestarted worker for an engine with these preload files, sent `setup` (undefined when none
 * is left): from then on it is the engine's and keeps the process alive as its own would.
 */
export function adoptPrestarted(setup: WorkerSetup): Worker | undefined {
  const key = JSON.stringify(setup.preload ?? []);
  const at = pool.findIndex((p) => !p.dead && p.preload === key);
  if (at === -1) return undefined;
  const [{ worker }] = pool.splice(at, 1);
  worker.ref();
  worker.postMessage({ t: 'setup', setup });
  return worker;
}

/** Prestarted workers not adopted (yet). */
export function prestartedWorkers(): number {
  return pool.filter((p) => !p.dead).length;
}

/** Ends the prestarted workers no engine took (the run needs fewer, or none). */
export async function discardPrestarted(): Promise<void> {
  const left = pool;
  pool = [];
  await Promise.all(left.map((p) => p.worker.terminate()));
}
