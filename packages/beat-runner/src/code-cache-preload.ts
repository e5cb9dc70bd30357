// Preloaded (`--require`) by the engine's worker threads: their modules, loaded anew in each
// worker, come from the code cache too (see code-cache.ts).
import { installCodeCache } from './code-cache';

installCodeCache();
