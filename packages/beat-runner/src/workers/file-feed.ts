// Runs in an engine worker that reads the replayed capture itself (FileSource.workerFeed): the
// same reader as the main thread's, so the worker sees the same frames with the same packet times.
import type { FrameFeed } from '@wirebeat/engine';
import { FileSource, type FileSourceOptions } from '../sources/file-source';

/** The feed of one worker: the capture file read at top speed (its options come from the main thread). */
export function createFileFeed(opts: FileSourceOptions): FrameFeed {
  return new FileSource(opts);
}
