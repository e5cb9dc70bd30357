// Options of the TLS analyzer (defineProtocol adds the shared ones).
import { z } from 'zod';
import type { DefinedConfig } from '@wirebeat/applayer';

/** Packetbeat's default TLS ports: HTTPS, IMAPS, POP3S, XMPP, HTTPS-alt, MQTT over TLS, Elasticsearch. */
export const TLS_DEFAULT_PORTS = [443, 993, 995, 5223, 8443, 8883, 9243];

const BOOLEAN = 'expected true or false';

/** Certificate fingerprint algorithms, by the names (and aliases) Packetbeat accepts. */
export const FINGERPRINT_ALGORITHMS: Record<string, 'md5' | 'sha1' | 'sha256'> = {
  md5: 'md5',
  sha1: 'sha1',
  'sha-1': 'sha1',
  sha256: 'sha256',
  'sha-256': 'sha256',
};

const fingerprint = z.string({ error: 'expected md5, sha1 or sha256' }).transform((s, ctx) => {
  const algo = FINGERPRINT_ALGORITHMS[s.toLowerCase()];
  if (algo === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown fingerprint algorithm '${s}': expected md5, sha1 or sha256`,
    });
    return z.NEVER;
  }
  return algo;
});

/**
 * TLS's own options, as Packetbeat's (besides the shared `enabled`, `ports`, `send_request`,
 * `send_response`, `transaction_timeout` and `max_pending_requests`):
 * - `send_certificates` (true): the certificates under tls.server.x509 / tls.client.x509 and the
 *   rest of the chains under tls.detailed;
 * - `include_raw_certificates` (false): the chains as PEM in tls.server/client.certificate_chain;
 * - `include_detailed_fields` (true): tls.detailed (hellos, extensions, alerts) and the x509 objects;
 * - `fingerprints` ([sha1]): the hashes of the leaf certificates in tls.server/client.hash.
 */
export const tlsOptions = {
  send_certificates: z.boolean({ error: BOOLEAN }).default(true),
  include_raw_certificates: z.boolean({ error: BOOLEAN }).default(false),
  include_detailed_fields: z.boolean({ error: BOOLEAN }).default(true),
  fingerprints: z.array(fingerprint, { error: 'expected a list of md5, sha1, sha256' }).default(['sha1']),
};

/** Validated TLS options, defaults applied (transaction_timeout in ms). */
export type TlsConfig = DefinedConfig<typeof tlsOptions>;
