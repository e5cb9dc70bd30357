// Public API of @wirebeat/publisher.
export type {
  BeatEvent,
  BatchResult,
  FieldDefinition,
  FieldType,
  Logger,
  Output,
  OutputBatching,
  OutputContext,
} from './types';
export {
  PublisherError,
  OutputConfigError,
  OutputConnectionError,
  TlsVerificationError,
  TemplateSetupError,
  FieldMappingError,
  PipelineClosedError,
} from './errors';
export {
  durationSchema,
  consoleOutputSchema,
  fileOutputSchema,
  elasticsearchOutputSchema,
  outputsConfigSchema,
  queueConfigSchema,
  templateConfigSchema,
  setupConfigSchema,
} from './config';
export type {
  ConsoleOutputConfig,
  FileOutputConfig,
  ElasticsearchOutputConfig,
  OutputsConfig,
  OutputsConfigInput,
  QueueConfig,
  TemplateConfig,
  TemplateConfigInput,
  SetupConfig,
} from './config';
export { Pipeline, pipelineOptionsFromConfig } from './pipeline';
export type { PipelineOptions, PipelineCounters } from './pipeline';
export { createOutput, activeOutputName } from './create-output';
export { setupTemplate, testOutput } from './setup';
export { ConsoleOutput } from './outputs/console';
export type { ConsoleOutputOptions } from './outputs/console';
export { FileOutput } from './outputs/file';
export type { FileOutputOptions } from './outputs/file';
export { ElasticsearchOutput, installTemplate, templateNames } from './elasticsearch/output';
export { createClient } from './elasticsearch/client';
export { buildIndexTemplate, buildProperties } from './elasticsearch/template';
export { commonFields } from '@wirebeat/core';
export { IndexNamer } from './elasticsearch/index-name';
