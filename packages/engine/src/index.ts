// Public API of @wirebeat/engine.
export { Engine } from './engine';
export type { EngineOptions, EngineCounters, FinishFlow } from './engine';
export { ShardedEngine, autoWorkers } from './sharded-engine';
export { prestartWorkers, prestartedWorkers, discardPrestarted } from './prestart';
export type { FrameEngine, OutputRoom, ShardedEngineOptions } from './sharded-engine';
export type { FeedSink, FrameFeed, StageSetup } from './worker-protocol';
export type { ProtocolLocation } from './protocol-locator';
export { flowShard } from './flow-shard';
export { EngineError, EngineWorkerError, ProtocolNotLocatableError } from './errors';
