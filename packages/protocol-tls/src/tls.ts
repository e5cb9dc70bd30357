// The TLS analyzer on applayer's defineProtocol: one event per handshake, from what both
// directions show in clear. It takes the connection form: a handshake is one transaction whose
// "request" is the client's side and "response" the server's, complete when both turn encrypted.
import { defineProtocol } from '@wirebeat/applayer';
import { TLS_DEFAULT_PORTS, tlsOptions, type TlsConfig } from './config';
import { TlsConnection } from './connection';
import { TlsConfigError } from './errors';
import { tlsFields } from './fields';
import type { TlsMessage } from './message';
import { tlsTransaction } from './pub';

/** The TLS protocol module: pass it to runBeat({ protocols: [tlsProtocol] }). */
export const tlsProtocol = defineProtocol<typeof tlsOptions, TlsMessage, TlsMessage>({
  name: 'tls',
  description: 'TLS handshakes: versions, cipher, SNI, ALPN, resumption, JA3/JA3S/JA4, certificates, alerts.',
  ports: TLS_DEFAULT_PORTS,
  options: tlsOptions,
  fields: tlsFields,
  dashboard: { resource: 'tls.client.server_name', error: 'tls.detailed.alert_types' },
  connection: (ctx) => new TlsConnection(ctx),
  transaction: tlsTransaction,
});

/** The strict schema of the TLS options (shared ones included, defaults applied). */
export const tlsConfigSchema = tlsProtocol.configSchema;

/** Validates raw TLS options; throws TlsConfigError naming each bad option and what it expects. */
export const parseTlsConfig = (raw: unknown = {}): TlsConfig =>
  tlsProtocol.parseConfig(raw, (message) => new TlsConfigError(message));
