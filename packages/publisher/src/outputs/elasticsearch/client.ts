// Builds the @elastic/elasticsearch client from `output.elasticsearch`: hosts, auth, TLS.
import fs from 'fs';
import { deferredCaCertificates } from '@wirebeat/core';
import type { Client, ClientOptions } from '@elastic/elasticsearch';
import { esLib } from './client-lib';
import { recoveringWeightedPool } from './pool';
import type * as Tls from 'tls';
import type { ConnectionOptions, SecureContext } from 'tls';
import { OutputConfigError } from '../../errors';
import type { ElasticsearchOutputConfig } from './schema';

/** `localhost:9200` -> `http://localhost:9200` (Beats accepts hosts without a scheme). */
export function normaliseHost(host: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
}

/** A host URL fit for logs: credentials embedded in it are masked. */
export function redactHost(host: string): string {
  try {
    const u = new URL(normaliseHost(host));
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid host>';
  }
}

/** `id:key` is encoded as Elasticsearch expects; an already encoded key is used as is. */
function encodeApiKey(key: string): string {
  return key.includes(':') ? Buffer.from(key).toString('base64') : key;
}

let deferredTrust: SecureContext | undefined;

/**
 * The default trust when the launcher deferred NODE_EXTRA_CA_CERTS (see core's extra-ca-certs):
 * bundled roots and the extra CAs, in one context made once (a `ca` list would be parsed again for
 * every connection). Undefined when Node's default trust already holds them.
 */
function defaultTrust(): ConnectionOptions | undefined {
  const ca = deferredCaCertificates();
  if (ca === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- TLS loads with the first client
  deferredTrust ??= (require('tls') as typeof Tls).createSecureContext({ ca });
  return { secureContext: deferredTrust };
}

function tlsOptions(cfg: ElasticsearchOutputConfig): ConnectionOptions | undefined {
  if (!cfg.ssl) return defaultTrust();
  const cas = cfg.ssl.certificate_authorities ?? [];
  const tls: ConnectionOptions = cas.length ? {} : { ...defaultTrust() };
  if (cas.length) {
    tls.ca = cas.map((file) => {
      try {
        return fs.readFileSync(file);
      } catch (e) {
        throw new OutputConfigError(
          `output.elasticsearch.ssl.certificate_authorities: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    });
  }
  if (cfg.ssl.verification_mode === 'none') tls.rejectUnauthorized = false;
  // 'certificate': the chain must be trusted but the host name need not match.
  if (cfg.ssl.verification_mode === 'certificate') tls.checkServerIdentity = () => undefined;
  return tls;
}

/**
 * A client for the given hosts (all of them by default). Requests go round-robin over the live
 * hosts (`loadbalance`), or to the first live one; a request whose host fails (connection refused,
 * reset, timeout, 502-504) is sent once to each other host before the failure reaches the caller.
 * Bulk requests carry each event's deterministic _id, so a request resent elsewhere stores nothing twice.
 */
export function createClient(cfg: ElasticsearchOutputConfig, hosts: string[] = cfg.hosts): Client {
  const opts: ClientOptions = {
    nodes: hosts.map(normaliseHost),
    maxRetries: hosts.length - 1,
    requestTimeout: cfg.timeout,
    compression: false,
    tls: tlsOptions(cfg),
  };
  // Without loadbalance, the first live connection in `hosts` order: the cluster pool offers only
  // live ones to the selector (the weighted pool has no selector and spreads requests).
  if (!cfg.loadbalance) {
    opts.ConnectionPool = esLib().ClusterConnectionPool;
    opts.nodeSelector = (connections) => connections[0];
  } else opts.ConnectionPool = recoveringWeightedPool();
  if (cfg.api_key) opts.auth = { apiKey: encodeApiKey(cfg.api_key) };
  else if (cfg.username !== undefined) opts.auth = { username: cfg.username, password: cfg.password ?? '' };
  return new (esLib().Client)(opts);
}
