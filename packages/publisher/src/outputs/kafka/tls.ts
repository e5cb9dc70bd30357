// output.kafka.ssl -> Node's TLS options for the client. Beats' verification modes: full (chain and
// host name), strict (full, and the certificate must carry a subjectAltName), certificate (chain
// only), none (no check).
import fs from 'fs';
import { deferredCaCertificates } from '@wirebeat/core';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'tls';
import { OutputConfigError } from '../../errors';
import type { KafkaOutputConfig } from './schema';

/** A PEM file's content, or the value itself when it is PEM text (Beats accepts both). */
function readPem(value: string, setting: string): Buffer {
  if (value.trimStart().startsWith('-----BEGIN')) return Buffer.from(value);
  try {
    return fs.readFileSync(value);
  } catch (e) {
    throw new OutputConfigError(
      `output.kafka.${setting}: cannot read ${value}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** `strict`: Node's host-name check, after refusing a certificate without subjectAltName (no CN fallback). */
export function strictServerIdentity(host: string, cert: PeerCertificate): Error | undefined {
  if (!cert.subjectaltname) {
    return Object.assign(
      new Error(`certificate of ${host} has no subjectAltName (ssl.verification_mode strict)`),
      // Node's own code for a host-name mismatch: the failure is classed with the other TLS ones.
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    );
  }
  return checkServerIdentity(host, cert);
}

/** TLS settings for the client from `ssl` (undefined: plain TCP). */
export function tlsOptions(cfg: KafkaOutputConfig): ConnectionOptions | undefined {
  const ssl = cfg.ssl;
  if (!ssl?.enabled) return undefined;
  const tls: ConnectionOptions = {};
  // Without CAs of its own: NODE_EXTRA_CA_CERTS when the launcher deferred it (Node's default
  // trust, rebuilt: see core), else Node's default.
  const ca =
    ssl.certificate_authorities?.map((f) => readPem(f, 'ssl.certificate_authorities')) ??
    deferredCaCertificates();
  if (ca !== undefined) tls.ca = ca;
  if (ssl.certificate && ssl.key) {
    tls.cert = readPem(ssl.certificate, 'ssl.certificate');
    tls.key = readPem(ssl.key, 'ssl.key');
    if (ssl.key_passphrase !== undefined) tls.passphrase = ssl.key_passphrase;
  }
  if (ssl.supported_protocols) {
    const sorted = [...ssl.supported_protocols].sort();
    tls.minVersion = sorted[0];
    tls.maxVersion = sorted[sorted.length - 1];
  }
  if (ssl.verification_mode === 'none') tls.rejectUnauthorized = false;
  if (ssl.verification_mode === 'certificate') tls.checkServerIdentity = () => undefined;
  if (ssl.verification_mode === 'strict') tls.checkServerIdentity = strictServerIdentity;
  return tls;
}
