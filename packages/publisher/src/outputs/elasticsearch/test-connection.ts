// `test output` for Elasticsearch: every host answers with its version.
import type { Client } from '@elastic/elasticsearch';
import { OutputConnectionError } from '../../errors';
import { createClient, redactHost } from './client';
import { esLib } from './client-lib';
import { describeEsError } from './output';
import type { ElasticsearchOutputConfig } from './schema';

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

/** One line per host with its version; throws OutputConnectionError naming the first host that fails. */
export async function testElasticsearch(cfg: ElasticsearchOutputConfig): Promise<string> {
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
