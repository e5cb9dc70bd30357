// Public API of @wirebeat/flows.
export { FlowTable } from './flow-table';
export type { FlowCounters } from './flow-table';
export { flowsConfigSchema, flowsOptions, DEFAULT_MAX_FLOWS } from './config';
export type { FlowsConfig, FlowsOptions } from './config';
export { flowFields } from './fields';
export { FlowsError, FlowsConfigError } from './errors';
