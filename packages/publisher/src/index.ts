// Public API of @wirebeat/publisher.
export type {
  BeatEvent,
  BatchResult,
  BlockResult,
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
export { durationSchema, queueConfigSchema, templateConfigSchema, setupConfigSchema } from './config';
export type { QueueConfig, TemplateConfig, TemplateConfigInput, SetupConfig } from './config';
export { Pipeline, pipelineOptionsFromConfig } from './pipeline';
export { blockEvents, type EventBlock } from './event-block';
export { BlockWriter, joinIds } from './block-writer';
export type { PipelineOptions, PipelineCounters } from './pipeline';
export { createOutput, activeOutputName, testOutput } from './create-output';
export { outputNames, outputsConfigSchema } from './outputs/registry';
export type { OutputName, OutputsConfig, OutputsConfigInput } from './outputs/registry';
export { defineOutput } from './outputs/define';
export type { OutputDefinition } from './outputs/define';
export { consoleOutputSchema, type ConsoleOutputConfig } from './outputs/console';
export type { FileOutputConfig } from './outputs/file/schema';
export type { ElasticsearchOutputConfig } from './outputs/elasticsearch/schema';
export type { KafkaOutputConfig } from './outputs/kafka/schema';
export { ConsoleOutput } from './outputs/console/console-output';
export type { ConsoleOutputOptions } from './outputs/console/console-output';
export type { FileOutputOptions } from './outputs/file/file-output';
export { commonFields } from '@wirebeat/core';
export * from './lazy-exports';
