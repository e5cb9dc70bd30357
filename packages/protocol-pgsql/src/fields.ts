// Field definitions of pgsql events: Packetbeat's pgsql.* names and meanings, then wirebeat's own.
import type { FieldDefinition, FieldType } from '@wirebeat/applayer';

const f = (name: string, type: FieldType, description: string): FieldDefinition => ({
  name: `pgsql.${name}`,
  type,
  description,
});

/** The pgsql analyzer's own event fields. */
export const pgsqlFields: FieldDefinition[] = [
  f('num_rows', 'long', 'Rows returned or affected: the CommandComplete count, else the DataRows seen.'),
  f('num_fields', 'long', 'Columns of the result (its RowDescription), 0 without one.'),
  f('error_code', 'keyword', 'SQLSTATE of the ErrorResponse (e.g. 42P01).'),
  f('error_message', 'keyword', 'Message of the ErrorResponse.'),
  f('error_severity', 'keyword', 'Severity of the ErrorResponse: ERROR, FATAL, PANIC.'),
  f('command_tag', 'keyword', 'CommandComplete tag as sent (SELECT 3, INSERT 0 1, UPDATE 2...).'),
  f('notices', 'keyword', 'NoticeResponses received with the result: severity, SQLSTATE and message.'),
  f('copy', 'keyword', 'COPY direction: in (client sends data), out (server sends it) or both.'),
  f('statement_name', 'keyword', 'Name of the prepared statement executed (extended protocol), when named.'),
  f(
    'encryption',
    'keyword',
    'Answer to an SSLRequest or GSSENCRequest: accepted (rest not analysed) or refused.',
  ),
  f('protocol_version', 'keyword', 'Protocol version of the startup message (3.0).'),
  f(
    'auth_method',
    'keyword',
    'How the server authenticated the client: trust, md5, cleartext, sasl SCRAM-SHA-256...',
  ),
  f('server_version', 'keyword', 'server_version the server reported at startup.'),
  f('application_name', 'keyword', 'application_name of the startup message.'),
  f('user', 'keyword', 'User named by the startup message of the connection.'),
  f('database', 'keyword', 'Database named by the startup message of the connection.'),
  {
    name: 'method',
    type: 'keyword',
    description: 'First word of the SQL, upper-case; STARTUP, SSLREQUEST, PARSE...',
  },
  {
    name: 'query',
    type: 'keyword',
    description: 'The SQL statement (one of a simple query, or the one a Parse prepared).',
  },
];
