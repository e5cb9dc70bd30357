// Entry of an engine worker thread: the files the beat asks to preload (its compile cache) are
// required before any module of the engine, then the worker proper (worker-main.ts) runs.
import { workerData } from 'worker_threads';
import type { WorkerSetup } from './worker-protocol';

for (const file of (workerData as WorkerSetup).preload ?? []) {
  // Files named at run time by the beat: a static import cannot name them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(file);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./worker-main');
