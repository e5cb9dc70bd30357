// Required first by the engine's worker threads (ShardedEngine's preload): their modules, loaded anew in each
// worker, come from the code cache too (see code-cache.ts).
import { installCodeCache } from './code-cache';

// Without the pack: a worker's modules are the engine's, and its main module is the engine's worker script.
installCodeCache(undefined, false);
import { lazyZodLocales } from './lazy-zod-locales';
lazyZodLocales();
