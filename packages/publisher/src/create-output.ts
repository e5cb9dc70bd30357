// Picks the enabled output from the `output` section and builds or tests it (outputs/registry.ts).
import { OutputConfigError } from './errors';
import {
  enabledOutputNames,
  outputDefinition,
  type OutputName,
  type OutputsConfig,
} from './outputs/registry';
import type { Output, OutputContext } from './types';

/** Which output is active: the enabled one, console when none is. */
export function activeOutputName(outputs: OutputsConfig): OutputName {
  const enabled = enabledOutputNames(outputs);
  if (enabled.length > 1)
    throw new OutputConfigError(`only one output may be enabled, got ${enabled.join(' and ')}`);
  return enabled[0] ?? 'console';
}

/** The active output's definition and its parsed section (console's defaults when none is set). */
function active(outputs: OutputsConfig) {
  const name = activeOutputName(outputs);
  const def = outputDefinition(name);
  const cfg: unknown = outputs[name] ?? def.schema.parse({});
  return { def, cfg };
}

/** Builds the active output (a parsed `output` section; see outputsConfigSchema). */
export function createOutput(outputs: OutputsConfig, ctx: OutputContext): Output {
  const { def, cfg } = active(outputs);
  return def.create(cfg, ctx);
}

/** Checks that the active output can be reached; returns a report, throws OutputConnectionError if not. */
export async function testOutput(outputs: OutputsConfig, ctx: OutputContext): Promise<string> {
  const { def, cfg } = active(outputs);
  return def.test(cfg, ctx);
}
