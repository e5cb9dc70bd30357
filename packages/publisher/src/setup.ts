// The `setup` subcommand: installs the Elasticsearch index template.
import { templateConfigSchema } from './config';
import { activeOutputName } from './create-output';
import { createClient } from './outputs/elasticsearch/client';
import { describeEsError, installTemplate } from './outputs/elasticsearch/output';
import type { OutputsConfig } from './outputs/registry';
import { TemplateSetupError } from './errors';
import type { OutputContext } from './types';

/** Installs the index template (even when `setup.template.enabled` is false); needs the Elasticsearch output. */
export async function setupTemplate(outputs: OutputsConfig, ctx: OutputContext): Promise<void> {
  if (activeOutputName(outputs) !== 'elasticsearch' || !outputs.elasticsearch) {
    throw new TemplateSetupError('setup needs output.elasticsearch to be configured and enabled');
  }
  const template = templateConfigSchema.parse({ ...(ctx.template ?? {}), enabled: true });
  const client = createClient(outputs.elasticsearch);
  try {
    const name = await installTemplate(client, template, ctx);
    ctx.logger.info(`index template ${name} installed`);
  } catch (e) {
    throw new TemplateSetupError(`index template not installed: ${describeEsError(e)}`);
  } finally {
    await client.close();
  }
}
