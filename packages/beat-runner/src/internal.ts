// Everything beat-runner has, for its own tests and benchmarks; beat authors use index.ts.
export * from './index';
export { readConfigFile, validateConfig } from './config/load';
export { parseOverride, applyOverride } from './config/overrides';
export type { ConfigOverride } from './config/overrides';
export {
  buildConfigSchema,
  interfacesSchema,
  beatSectionSchema,
  loggingSchema,
  protocolEntrySchema,
} from './config/schema';
export type { BeatSection, ProtocolEntry } from './config/schema';
export {
  checkPortCollisions,
  enabledPorts,
  protocolModuleOf,
  isProtocolModule,
  requirePackage,
} from './protocols/registry';
export type { ModuleLoader } from './protocols/registry';
export { templateFields } from './beat';
export { checkRunResult } from './run-result';
export type { FileSourceOptions } from './sources/file-source';
export type { LiveSourceOptions } from './sources/live-source';
export { loadCap, linktypeFromCap } from './sources/cap-loader';
export type { CapModule, CapDevice, CapHandle } from './sources/cap-loader';
export { buildBpfFilter } from './sources/bpf';
export { CaptureLossMonitor } from './sources/capture-loss';
export type { CaptureLossCounters, CaptureLossMonitorOptions, GapCounters } from './sources/capture-loss';
export { createLogger, createMetricsLogger } from './logger';
export type { BeatLogger, LoggerOptions } from './logger';
export { ProgressBar } from './progress';
export { ReportWriteError, DashboardQueryError } from './errors';
export { resolvePaths, locateConfigFile } from './config/paths';
export type { BeatPaths, PathSettings } from './config/paths';
export { checkConfigPermissions, modeString } from './config/strict-perms';
export { resolveConfig, rawConfig } from './config/resolve';
export type { ResolvedConfig } from './config/resolve';
export {
  beatsTopLevelShape,
  processorEntrySchema,
  pathSchema,
  httpEndpointSchema,
  procsSchema,
} from './config/beats-schema';
export type { BeatsSettings, ProcsConfig } from './config/beats-schema';
export { compileCondition } from './processors/conditions';
export type { Condition } from './processors/conditions';
export { buildProcessors } from './processors/build';
export { runProcessors, guarded } from './processors/processor';
export type { ProcessorResult, ProcessorFailureSink } from './processors/processor';
export { getField, setField, deleteField } from './processors/field-path';
export { EventEnricher } from './events/enricher';
export type {
  EnricherOptions,
  EnrichableEvent,
  ProcessInfo,
  ProcessLookup,
  EnricherCounters,
} from './events/enricher';
export { hostInfo, hostAddresses, machineId } from './events/host-info';
export type { HostInfo, HostOs } from './events/host-info';
export { agentInfo, persistentAgentId } from './events/agent-info';
export type { AgentInfo } from './events/agent-info';
export { ProcessTable } from './procs/process-table';
export type { ProcessTableCounters } from './procs/process-table';
export {
  parseProcNetTcp,
  decodeProcAddress,
  readTcpSockets,
  socketInodesOf,
  processDetails,
} from './procs/proc-net';
export type { SocketEntry, ProcessDetails } from './procs/proc-net';
export { startStatsEndpoint } from './http-stats';
export type { StatsEndpoint, StatsEndpointOptions, BeatInfo } from './http-stats';
export { prepareIndexSettings, resolveIndexFields, globMatches } from './es-index';
export type { IndexFieldValues } from './es-index';
export { exportConfig, exportTemplate, maskSecrets } from './export';
export { formatDeviceList, resolveDeviceSpec } from './sources/devices';
export type { DashboardHandler } from './http-stats';
export { TrafficAggregator } from './dashboard/aggregator';
export type { AggregatorOptions, TransactionFacts } from './dashboard/aggregator';
export { LiveDashboard } from './dashboard/live';
export type { LiveDashboardOptions, HealthMetrics } from './dashboard/live';
export { dashboardPage } from './dashboard/page';
export type { PageOptions } from './dashboard/page';
export { buildReport, writeReport } from './dashboard/report';
export type { ReportOptions, ReportResult } from './dashboard/report';
export type {
  DashboardSnapshot,
  ProtocolView,
  HealthView,
  ErrorRow,
  SlowRow,
  TopRow,
} from './dashboard/snapshot';
