// The `setup` and `test output` subcommands.
import * as fs from 'fs';
import * as path from 'path';
import { templateConfigSchema, type OutputsConfig } from './config';
import { activeOutputName } from './create-output';
import { createClient, redactHost } from './outputs/elasticsearch/client';
import { describeEsError, installTemplate } from './outputs/elasticsearch/output';
import { OutputConnectionError, TemplateSetupError } from './errors';
import type { OutputContext } from './types';
import type { Client } from '@elastic/elasticsearch';
import { esLib } from './outputs/elasticsearch/client-lib';

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

/** The server's version: `GET /`, or the nodes API where `/` is not served (integ-test builds). */
async function serverVersion(client: Client): Promise<string> {
  try {
    const info = (await client.transport.request({ method: 'GET', path: '/' })) as {
      version?: { number?: string };
    };
    if (info.version?.number) return info.version.number;
  } catch (e) {
    if (!(e instanceof esLib().errors.ResponseError) || ![404, 405].includes(e.statusCode ?? 0)) throw e;
  }
  const nodes = (await client.transport.request({
    method: 'GET',
    path: '/_nodes/_local',
    querystring: { filter_path: 'nodes.*.version' },
  })) as { nodes?: Record<string, { version?: string }> };
  return Object.values(nodes.nodes ?? {})[0]?.version ?? 'unknown';
}

/** Checks that the active output can be reached; returns a report, throws OutputConnectionError if not. */
export async function testOutput(outputs: OutputsConfig, ctx: OutputContext): Promise<string> {
  const which = activeOutputName(outputs);
  if (which === 'console') return 'console: OK (events go to stdout)';
  if (which === 'file' && outputs.file) {
    const file = path.join(outputs.file.path, outputs.file.filename ?? ctx.beatName);
    try {
      await fs.promises.mkdir(outputs.file.path, { recursive: true });
      await fs.promises.access(outputs.file.path, fs.constants.W_OK);
    } catch (e) {
      throw new OutputConnectionError(
        `file: ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    return `file: ${file} OK`;
  }
  const cfg = outputs.elasticsearch!;
  const lines: string[] = [];
  for (const host of cfg.hosts) {
    const client = createClient(cfg, [host]);
    try {
      const version = await serverVersion(client);
      const tls = host.startsWith('https:')
        ? ` (TLS, verification ${cfg.ssl?.verification_mode ?? 'full'})`
        : '';
      lines.push(`elasticsearch: ${redactHost(host)}${tls} OK, version ${version}`);
    } catch (e) {
      throw new OutputConnectionError(`elasticsearch: ${redactHost(host)}: ${describeEsError(e)}`);
    } finally {
      await client.close();
    }
  }
  return lines.join('\n');
}
