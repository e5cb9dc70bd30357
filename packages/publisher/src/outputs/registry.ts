// The one list of outputs. Adding an output: a folder under outputs/ with its schema module and a
// definition (defineOutput), and one entry in each table here; the `output` schema, createOutput
// and `test output` follow. Only console loads with the beat: another output's modules (schema,
// client, TLS) load when the config names it, which keeps them out of every other run's start-up.
import { z } from 'zod';
import { consoleOutput, consoleOutputSchema } from './console';
import type { OutputDefinition } from './define';
import type * as Elasticsearch from './elasticsearch';
import type * as ElasticsearchSchema from './elasticsearch/schema';
import type * as File from './file';
import type * as FileSchema from './file/schema';
import type * as Kafka from './kafka';
import type * as KafkaSchema from './kafka/schema';

/* eslint-disable @typescript-eslint/no-require-imports -- lazy requires: a static import loads at start-up */
const definitions = {
  console: () => consoleOutput,
  file: () => (require('./file') as typeof File).fileOutput,
  elasticsearch: () => (require('./elasticsearch') as typeof Elasticsearch).elasticsearchOutput,
  kafka: () => (require('./kafka') as typeof Kafka).kafkaOutput,
};
const schemas = {
  file: () => (require('./file/schema') as typeof FileSchema).fileOutputSchema,
  elasticsearch: () =>
    (require('./elasticsearch/schema') as typeof ElasticsearchSchema).elasticsearchOutputSchema,
  kafka: () => (require('./kafka/schema') as typeof KafkaSchema).kafkaOutputSchema,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Name of a known output (`console`, `file`, ...). */
export type OutputName = keyof typeof definitions;

/** Every output wirebeat knows, by `output.<name>`, in registry order. */
export const outputNames = Object.keys(definitions) as OutputName[];

/** The definition registered under `name` (its modules load now). */
export function outputDefinition(name: OutputName): OutputDefinition {
  return definitions[name]() as unknown as OutputDefinition;
}

/**
 * A section checked by the schema `load` returns, loaded on first use (a section that is absent
 * loads nothing). Its problems are reported as the schema's own, under the section's path. Code
 * that walks the schema tree (unknown keys, "did you mean") finds `load` as `loadsSchema`.
 */
function lazySection<S extends z.ZodType>(load: () => S) {
  const section = z.unknown().transform((value, ctx): z.output<S> => {
    const parsed = load().safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
  return Object.assign(section, { loadsSchema: load }).optional();
}

/** The names of the enabled outputs of a parsed `output` section, in registry order. */
export function enabledOutputNames(
  o: Partial<Record<OutputName, { enabled: boolean } | undefined>>,
): OutputName[] {
  return outputNames.filter((n) => o[n]?.enabled);
}

/** The `output` section: at most one output enabled; none means console. */
export const outputsConfigSchema = z
  .strictObject({
    console: consoleOutputSchema.optional(),
    file: lazySection(schemas.file),
    elasticsearch: lazySection(schemas.elasticsearch),
    kafka: lazySection(schemas.kafka),
  })
  .superRefine((o, ctx) => {
    const enabled = enabledOutputNames(o);
    if (enabled.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `only one output may be enabled, got ${enabled.join(' and ')}`,
      });
    }
  });

export type OutputsConfig = z.output<typeof outputsConfigSchema>;
export type OutputsConfigInput = z.input<typeof outputsConfigSchema>;
