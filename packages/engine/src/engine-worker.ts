// Entry of an engine worker thread: the files the beat asks to preload (its compile cache) are
// required before any module of the engine, then the worker proper (worker-main.ts) runs; a
// prestarted worker then loads the modules its setup will likely name while it waits for it.
import { workerData } from 'worker_threads';
import type { PrestartSetup, WorkerSetup } from './worker-protocol';

const data = workerData as WorkerSetup | PrestartSetup;
for (const file of data.preload ?? []) {
  // Files named at run time by the beat: a static import cannot name them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(file);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./worker-main');
if ('prestarted' in data)
  for (const file of data.warm ?? []) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    } catch {
      // Only ahead of time: the setup that names it reports what is wrong with it.
    }
  }
