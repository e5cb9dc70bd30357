// The package's exports that belong to outputs other than console (and `setup`): getters that load
// their modules on first use, so that a beat writing to the console never loads the Elasticsearch,
// file or Kafka code (nor Node's TLS) at start-up. Types are the modules' own.
/* eslint-disable @typescript-eslint/no-require-imports -- lazy requires: a static import loads at start-up */
import type * as EsClient from './outputs/elasticsearch/client';
import type * as EsIndexName from './outputs/elasticsearch/index-name';
import type * as EsOutput from './outputs/elasticsearch/output';
import type * as EsSchema from './outputs/elasticsearch/schema';
import type * as EsTemplate from './outputs/elasticsearch/template';
import type * as FileOutputModule from './outputs/file/file-output';
import type * as FileSchema from './outputs/file/schema';
import type * as KafkaOutputModule from './outputs/kafka/output';
import type * as KafkaSchema from './outputs/kafka/schema';
import type * as Setup from './setup';

// The exports, typed as their modules' own (no code: the getters below define them).
export declare const fileOutputSchema: typeof FileSchema.fileOutputSchema;
export declare const FileOutput: typeof FileOutputModule.FileOutput;
export type FileOutput = FileOutputModule.FileOutput;
export declare const elasticsearchOutputSchema: typeof EsSchema.elasticsearchOutputSchema;
export declare const ElasticsearchOutput: typeof EsOutput.ElasticsearchOutput;
export type ElasticsearchOutput = EsOutput.ElasticsearchOutput;
export declare const installTemplate: typeof EsOutput.installTemplate;
export declare const templateNames: typeof EsOutput.templateNames;
export declare const buildIndexTemplate: typeof EsTemplate.buildIndexTemplate;
export declare const buildProperties: typeof EsTemplate.buildProperties;
export declare const createClient: typeof EsClient.createClient;
export declare const IndexNamer: typeof EsIndexName.IndexNamer;
export type IndexNamer = EsIndexName.IndexNamer;
export declare const setupTemplate: typeof Setup.setupTemplate;
export declare const kafkaOutputSchema: typeof KafkaSchema.kafkaOutputSchema;
export declare const KafkaOutput: typeof KafkaOutputModule.KafkaOutput;
export type KafkaOutput = KafkaOutputModule.KafkaOutput;

/**
 * Defines each of `names` as a getter of that export of the module `file` (relative to this one),
 * required on first read (Node caches it: later reads stay cheap).
 */
function lazyFrom(file: string, names: string[]): void {
  for (const name of names)
    Object.defineProperty(exports, name, {
      enumerable: true,
      get: () => (require(file) as Record<string, unknown>)[name],
    });
}

lazyFrom('./outputs/file/schema', ['fileOutputSchema']);
lazyFrom('./outputs/file/file-output', ['FileOutput']);
lazyFrom('./outputs/elasticsearch/schema', ['elasticsearchOutputSchema']);
lazyFrom('./outputs/elasticsearch/output', ['ElasticsearchOutput', 'installTemplate', 'templateNames']);
lazyFrom('./outputs/elasticsearch/template', ['buildIndexTemplate', 'buildProperties']);
lazyFrom('./outputs/elasticsearch/client', ['createClient']);
lazyFrom('./outputs/elasticsearch/index-name', ['IndexNamer']);
lazyFrom('./setup', ['setupTemplate']);
lazyFrom('./outputs/kafka/schema', ['kafkaOutputSchema']);
lazyFrom('./outputs/kafka/output', ['KafkaOutput']);
