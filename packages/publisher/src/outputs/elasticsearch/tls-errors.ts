// A server certificate that does not verify is a configuration problem (missing CA, wrong host
// name, self-signed certificate), not an outage: retrying cannot fix it, so it ends the start-up.
import { esLib } from './client-lib';
import type { ElasticsearchOutputConfig } from './schema';
import { TlsVerificationError } from '../../errors';
import { createClient, redactHost } from './client';

/** Messages Node's TLS layer gives for a certificate it refuses (the transport keeps only the message). */
const VERIFICATION_FAILURE =
  /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate has expired|certificate is not yet valid|does not match certificate's altnames|certificate signature failure|unsuitable certificate purpose|certificate revoked|CERT_|ERR_TLS_CERT/i;

/** The node a transport error came from, when the error says. */
function nodeOf(e: unknown): string | undefined {
  const meta = (e as { meta?: { meta?: { connection?: { url?: URL } } } }).meta;
  const url = meta?.meta?.connection?.url;
  return url === undefined ? undefined : redactHost(url.toString());
}

/**
 * One line for a TLS verification failure (`https://host:9200: TLS verification failed: self-signed
 * certificate ...`), or undefined when the error is something else.
 */
export function tlsVerificationFailure(e: unknown, hosts: readonly string[]): string | undefined {
  if (!(e instanceof esLib().errors.ConnectionError)) return undefined;
  const reason = e.message.split(' - Local:')[0];
  if (!VERIFICATION_FAILURE.test(reason)) return undefined;
  const node = nodeOf(e) ?? hosts.map(redactHost).join(', ');
  return (
    `elasticsearch ${node}: TLS verification failed: ${reason} ` +
    '(trust its CA with output.elasticsearch.ssl.certificate_authorities, or set ssl.verification_mode)'
  );
}

/** How long the start-up check waits for one host: a silent host is an outage, left to the pipeline's retries. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Checks the certificate of every https host with one request each, so that a host the others hide
 * (round-robin) cannot fail later; throws TlsVerificationError for the first that does not verify.
 * Any other failure (down, not authorised yet) is left to the pipeline's retries.
 */
export async function verifyTlsHosts(cfg: ElasticsearchOutputConfig): Promise<void> {
  for (const host of cfg.hosts.filter((h) => /^https:/i.test(h))) {
    const client = createClient({ ...cfg, timeout: Math.min(cfg.timeout, PROBE_TIMEOUT_MS) }, [host]);
    try {
      await client.transport.request({ method: 'HEAD', path: '/' }, { maxRetries: 0 });
    } catch (e) {
      const problem = tlsVerificationFailure(e, [host]);
      if (problem !== undefined) throw new TlsVerificationError(problem);
    } finally {
      await client.close();
    }
  }
}
