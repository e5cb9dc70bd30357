// The PostgreSQL analyzer on applayer's defineProtocol. It takes the connection form: the two
// directions depend on each other (the one-byte answer to an SSLRequest, statements named by
// Parse and used by Execute, requests published at ReadyForQuery).
import { defineProtocol } from '@wirebeat/applayer';
import { PGSQL_DEFAULT_PORTS, pgsqlOptions, type PgsqlConfig } from './config';
import { PgsqlConfigError } from './errors';
import { pgsqlFields } from './fields';
import type { PgsqlRequest, PgsqlResponse } from './message';
import { pgsqlTransaction } from './pub';
import { PgsqlConnection, pairKey } from './trans';

/** The pgsql protocol module: pass it to runBeat({ protocols: [pgsqlProtocol] }). */
export const pgsqlProtocol = defineProtocol<typeof pgsqlOptions, PgsqlRequest, PgsqlResponse>({
  name: 'pgsql',
  description: 'PostgreSQL: startup, simple and extended query protocols, COPY, errors with SQLSTATE.',
  ports: PGSQL_DEFAULT_PORTS,
  options: pgsqlOptions,
  fields: pgsqlFields,
  dashboard: { resource: 'method', error: 'pgsql.error_message' },
  // COPY data and passwords add to a request's size after it is queued: the budget keeps what it charged.
  pendingBytes: (req) => req.charged,
  pairBy: pairKey,
  // Connections whose client upgraded to TLS or GSSAPI encryption (not analysed further).
  counters: ['encrypted_connections'],
  connection: (ctx) => new PgsqlConnection(ctx),
  transaction: pgsqlTransaction,
});

/** The strict schema of the pgsql options (shared ones included, defaults applied). */
export const pgsqlConfigSchema = pgsqlProtocol.configSchema;

/** Validates raw pgsql options; throws PgsqlConfigError naming each bad option and what it expects. */
export const parsePgsqlConfig = (raw: unknown = {}): PgsqlConfig =>
  pgsqlProtocol.parseConfig(raw, (message) => new PgsqlConfigError(message));
