// Public API of @wirebeat/protocol-pgsql.
export { pgsqlProtocol, pgsqlConfigSchema, parsePgsqlConfig } from './pgsql';
export { PgsqlConnection, PgsqlNotes, pairKey } from './trans';
export type { PgsqlContext } from './trans';
export type { PgsqlRequest, PgsqlResponse, PgsqlDiagnostic, RequestKind } from './message';
export { Framer, KEEP } from './framer';
export type { MessageSink } from './framer';
export { splitStatements, methodOf } from './sql';
export { tagRows } from './backend';
export { pgsqlTransaction, pgsqlStatus, requestText, responseText } from './pub';
export { pgsqlFields } from './fields';
export { PGSQL_DEFAULT_PORTS, pgsqlOptions } from './config';
export type { PgsqlConfig } from './config';
export { PgsqlError, PgsqlConfigError } from './errors';
