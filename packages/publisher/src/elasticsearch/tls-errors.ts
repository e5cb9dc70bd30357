// A server certificate that does not verify is a configuration problem (missing CA, wrong host
// name, self-signed certificate), not an outage: retrying cannot fix it, so it ends the start-up.
import { esLib } from './client-lib';
import { redactHost } from './client';

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
