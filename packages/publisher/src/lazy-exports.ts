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

/** Defines export `name` as a getter of `load()` (Node caches the module; the getter stays cheap). */
function lazy(name: string, load: () => unknown): void {
  Object.defineProperty(exports, name, { enumerable: true, get: load });
}

export declare const fileOutputSchema: typeof FileSchema.fileOutputSchema;
lazy('fileOutputSchema', () => (require('./outputs/file/schema') as typeof FileSchema).fileOutputSchema);
export declare const FileOutput: typeof FileOutputModule.FileOutput;
export type FileOutput = FileOutputModule.FileOutput;
lazy('FileOutput', () => (require('./outputs/file/file-output') as typeof FileOutputModule).FileOutput);

export declare const elasticsearchOutputSchema: typeof EsSchema.elasticsearchOutputSchema;
lazy(
  'elasticsearchOutputSchema',
  () => (require('./outputs/elasticsearch/schema') as typeof EsSchema).elasticsearchOutputSchema,
);
const esOutput = () => require('./outputs/elasticsearch/output') as typeof EsOutput;
export declare const ElasticsearchOutput: typeof EsOutput.ElasticsearchOutput;
export type ElasticsearchOutput = EsOutput.ElasticsearchOutput;
lazy('ElasticsearchOutput', () => esOutput().ElasticsearchOutput);
export declare const installTemplate: typeof EsOutput.installTemplate;
lazy('installTemplate', () => esOutput().installTemplate);
export declare const templateNames: typeof EsOutput.templateNames;
lazy('templateNames', () => esOutput().templateNames);
const esTemplate = () => require('./outputs/elasticsearch/template') as typeof EsTemplate;
export declare const buildIndexTemplate: typeof EsTemplate.buildIndexTemplate;
lazy('buildIndexTemplate', () => esTemplate().buildIndexTemplate);
export declare const buildProperties: typeof EsTemplate.buildProperties;
lazy('buildProperties', () => esTemplate().buildProperties);
export declare const createClient: typeof EsClient.createClient;
lazy('createClient', () => (require('./outputs/elasticsearch/client') as typeof EsClient).createClient);
export declare const IndexNamer: typeof EsIndexName.IndexNamer;
export type IndexNamer = EsIndexName.IndexNamer;
lazy('IndexNamer', () => (require('./outputs/elasticsearch/index-name') as typeof EsIndexName).IndexNamer);
export declare const setupTemplate: typeof Setup.setupTemplate;
lazy('setupTemplate', () => (require('./setup') as typeof Setup).setupTemplate);

export declare const kafkaOutputSchema: typeof KafkaSchema.kafkaOutputSchema;
lazy('kafkaOutputSchema', () => (require('./outputs/kafka/schema') as typeof KafkaSchema).kafkaOutputSchema);
export declare const KafkaOutput: typeof KafkaOutputModule.KafkaOutput;
export type KafkaOutput = KafkaOutputModule.KafkaOutput;
lazy('KafkaOutput', () => (require('./outputs/kafka/output') as typeof KafkaOutputModule).KafkaOutput);
