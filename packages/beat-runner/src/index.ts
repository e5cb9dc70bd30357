// Public API of @wirebeat/beat-runner.
export { runBeat, errorLine, exitCodeOf } from './run-beat';
export type { RunBeatOptions } from './run-beat';
export { parseCommandLine } from './cli';
export type { CliCommand, CliOptions } from './cli';
export { loadConfig, readConfigFile, validateConfig } from './config/load';
export type { ConfigSource } from './config/load';
export { parseOverride, applyOverride } from './config/overrides';
export type { ConfigOverride } from './config/overrides';
export {
  buildConfigSchema,
  interfacesSchema,
  beatSectionSchema,
  loggingSchema,
  protocolEntrySchema,
} from './config/schema';
export type { BeatConfig, BeatSection, ProtocolEntry } from './config/schema';
export {
  resolveProtocols,
  checkPortCollisions,
  enabledPorts,
  protocolModuleOf,
  isProtocolModule,
  requirePackage,
} from './protocols/registry';
export type { ResolvedProtocol, ModuleLoader } from './protocols/registry';
export { Beat, templateFields } from './beat';
export { checkRunResult } from './run-result';
export type { BeatOptions, BeatMetrics, BeatResult } from './beat';
export { FileSource } from './sources/file-source';
export type { FileSourceOptions } from './sources/file-source';
export { LiveSource } from './sources/live-source';
export type { LiveSourceOptions } from './sources/live-source';
export { loadCap, linktypeFromCap } from './sources/cap-loader';
export type { CapModule, CapDevice, CapHandle } from './sources/cap-loader';
export { buildBpfFilter } from './sources/bpf';
export { CaptureLossMonitor } from './sources/capture-loss';
export type { CaptureLossCounters, CaptureLossMonitorOptions, GapCounters } from './sources/capture-loss';
export type { PacketSource, FrameSink, SourceSummary } from './sources/types';
export { createLogger, createMetricsLogger } from './logger';
export type { BeatLogger, LoggerOptions } from './logger';
export { ProgressBar } from './progress';
export {
  BeatRunnerError,
  UsageError,
  ConfigFileError,
  ConfigValidationError,
  ConfigVariableError,
  InvalidOverrideError,
  ProtocolConfigError,
  PortCollisionError,
  CaptureUnavailableError,
  DamagedInputError,
  UndeliveredEventsError,
  NothingDecodedError,
  LostEventsError,
} from './errors';
