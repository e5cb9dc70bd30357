// One metadata request to the bootstrap brokers, for `test output` and the output's start-up check.
import type { ClusterMetadata } from '@platformatic/kafka';
import { kafkaLib } from './client-lib';
import { producerOptions } from './options';
import type { KafkaOutputConfig } from './schema';

/** The cluster's metadata, asked once of each bootstrap broker (no retries), within `timeoutMs`. */
export async function clusterMetadata(cfg: KafkaOutputConfig, timeoutMs: number): Promise<ClusterMetadata> {
  const opts = producerOptions(cfg);
  const admin = new (kafkaLib().Admin)({
    clientId: opts.clientId,
    bootstrapBrokers: cfg.hosts,
    connectTimeout: timeoutMs,
    timeout: timeoutMs,
    retries: 0,
    tls: opts.tls,
    sasl: opts.sasl,
  });
  try {
    return await admin.metadata({ topics: [] });
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** How the output talks to the brokers, for `test output`: ` (TLS, verification full; SASL PLAIN as u)`. */
export function securityLabel(cfg: KafkaOutputConfig): string {
  const parts: string[] = [];
  if (cfg.ssl?.enabled) parts.push(`TLS, verification ${cfg.ssl.verification_mode}`);
  if (cfg.username !== undefined) parts.push(`SASL ${cfg.sasl?.mechanism ?? 'PLAIN'} as ${cfg.username}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}
