// Picks the enabled output from the `output` section and builds it.
import { templateConfigSchema, type OutputsConfig } from './config';
import { ElasticsearchOutput } from './outputs/elasticsearch/output';
import { OutputConfigError } from './errors';
import { ConsoleOutput } from './outputs/console/console-output';
import { FileOutput } from './outputs/file/file-output';
import type { Output, OutputContext } from './types';

/** Which output is active: the enabled one, console when none is. */
export function activeOutputName(outputs: OutputsConfig): 'console' | 'file' | 'elasticsearch' {
  const enabled = (['console', 'file', 'elasticsearch'] as const).filter((k) => outputs[k]?.enabled);
  if (enabled.length > 1)
    throw new OutputConfigError(`only one output may be enabled, got ${enabled.join(' and ')}`);
  return enabled[0] ?? 'console';
}

/** Builds the active output (a parsed `output` section; see outputsConfigSchema). */
export function createOutput(outputs: OutputsConfig, ctx: OutputContext): Output {
  const which = activeOutputName(outputs);
  if (which === 'elasticsearch' && outputs.elasticsearch) {
    const template = templateConfigSchema.parse(ctx.template ?? {});
    return new ElasticsearchOutput(outputs.elasticsearch, ctx, template);
  }
  if (which === 'file' && outputs.file) {
    const f = outputs.file;
    return new FileOutput({
      path: f.path,
      filename: f.filename ?? ctx.beatName,
      rotateBytes: f.rotate_every_kb * 1024,
      numberOfFiles: f.number_of_files,
    });
  }
  return new ConsoleOutput({ pretty: outputs.console?.pretty ?? false });
}
