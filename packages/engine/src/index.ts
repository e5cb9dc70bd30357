// Public API of @wirebeat/engine.
export { Engine } from './engine';
export type { EngineOptions, EngineCounters, FinishFlow } from './engine';
