// The files engine workers load, named in one place: the engine is built with them, and workers
// prestarted on a hint of the command line (prestart-hint.ts) load them ahead. When this runs from
// its TypeScript source (tests), they are the .ts files: the engine maps them to their build.
import path from 'path';

const EXT = path.extname(__filename);

/** What each engine worker requires first: the code cache (its modules load anew in each worker, as the main thread's). */
export function workerPreload(): string[] {
  return [path.join(__dirname, '..', `code-cache-preload${EXT}`)];
}

/** The stage module of workers that enrich and encode their events (encode-stage.ts). */
export function encodeStageFile(): string {
  return path.join(__dirname, `encode-stage${EXT}`);
}

/** The feed module of workers that read the replayed capture themselves (file-feed.ts). */
export function fileFeedFile(): string {
  return path.join(__dirname, `file-feed${EXT}`);
}
