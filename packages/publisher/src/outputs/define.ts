// What makes an output: its `output.<name>` schema, a factory and the `test output` check. Each
// output folder exports one definition; outputs/registry.ts lists them.
import type { z } from 'zod';
import type { Output, OutputContext } from '../types';

/** One output: `name` is its key under `output`, `schema` validates that section. */
export interface OutputDefinition<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  /** Strict zod schema of `output.<name>`, with an `enabled` flag and Beats' defaults. */
  readonly schema: S;
  /** Builds the output from its parsed section. */
  create(cfg: z.output<S>, ctx: OutputContext): Output;
  /** `test output`: reaches the servers; resolves with report lines, throws OutputConnectionError. */
  test(cfg: z.output<S>, ctx: OutputContext): Promise<string>;
}

/** Declares an output (identity function that keeps the schema's types). */
export function defineOutput<N extends string, S extends z.ZodType<{ enabled: boolean }>>(
  def: OutputDefinition<N, S>,
): OutputDefinition<N, S> {
  return def;
}
