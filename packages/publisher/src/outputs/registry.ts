// The one list of outputs. Adding an output: a folder under outputs/ exporting a definition
// (defineOutput), and one entry here; the `output` schema, createOutput and `test output` follow.
import { z } from 'zod';
import { consoleOutput } from './console';
import { elasticsearchOutput } from './elasticsearch';
import { fileOutput } from './file';
import { kafkaOutput } from './kafka';
import type { OutputDefinition } from './define';

/** Every output wirebeat knows, by `output.<name>`. */
export const outputDefinitions = [consoleOutput, fileOutput, elasticsearchOutput, kafkaOutput] as const;

type Definition = (typeof outputDefinitions)[number];
/** Name of a known output (`console`, `file`, ...). */
export type OutputName = Definition['name'];
type Shape = { [D in Definition as D['name']]: z.ZodOptional<D['schema']> };

/** The definition registered under `name`. */
export function outputDefinition(name: OutputName): OutputDefinition {
  return outputDefinitions.find((d) => d.name === name) as unknown as OutputDefinition;
}

/** The names of the enabled outputs of a parsed `output` section, in registry order. */
export function enabledOutputNames(
  o: Partial<Record<OutputName, { enabled: boolean } | undefined>>,
): OutputName[] {
  return outputDefinitions.map((d) => d.name).filter((n) => o[n]?.enabled);
}

/** The `output` section: at most one output enabled; none means console. */
export const outputsConfigSchema = z
  .strictObject(Object.fromEntries(outputDefinitions.map((d) => [d.name, d.schema.optional()])) as Shape)
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
