// A top-speed replay with engine workers starts them before the beat loads its modules and its
// config (~100 ms of the main thread on a fresh process): their own start (Node, the engine's
// modules) then overlaps it. The command line is only a hint, read before anything else is
// loaded: the config decides, and createEngine ends the workers it does not take.
import { autoWorkers, prestartWorkers } from '@wirebeat/engine';
import { encodeStageFile, fileFeedFile, workerPreload } from './worker-files';

/**
 * The engines a command line of the form `-I FILE -t -E <beat>.workers=N|auto` (any order) will
 * likely run; 1 for any other (live capture, a paced replay, no workers setting on the command line).
 */
export function replayWorkersHint(argv: readonly string[]): number {
  let file = false;
  let topSpeed = false;
  let workers = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-I')) {
      file = true;
      if (a === '-I') i++;
    } else if (a === '-t') topSpeed = true;
    else if (a.startsWith('-E')) {
      const kv = a === '-E' ? (argv[++i] ?? '') : a.slice(2);
      // `<beat>.workers`: the last one counts, as in the config.
      const m = /^[\w-]+\.workers=(auto|\d+)$/.exec(kv);
      if (m !== null) workers = m[1] === 'auto' ? autoWorkers() : Number(m[1]);
    }
  }
  return file && topSpeed ? workers : 1;
}

/**
 * Prestarts the workers of a top-speed replay the command line asks for: the main thread's engine
 * is one of the n, so n - 1 (file replay: each reads the file itself, see FileSource.workerFeed).
 */
export function prestartReplayWorkers(argv: readonly string[]): void {
  const n = replayWorkersHint(argv);
  if (n > 1)
    prestartWorkers(Math.min(n, 256) - 1, {
      preload: workerPreload(),
      warm: [fileFeedFile(), encodeStageFile()],
    });
}
