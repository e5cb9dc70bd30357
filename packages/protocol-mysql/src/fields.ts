// Field definitions of MySQL events (Packetbeat's mysql.* and top-level names and meanings).
import type { FieldDefinition } from '@wirebeat/applayer';

/** The MySQL analyzer's own event fields. */
export const mysqlFields: FieldDefinition[] = [
  { name: 'mysql.affected_rows', type: 'long', description: 'Rows changed by the statement (OK packet).' },
  { name: 'mysql.insert_id', type: 'long', description: 'Id of the row an INSERT created (OK packet).' },
  {
    name: 'mysql.num_fields',
    type: 'long',
    description: 'Columns of the result set (or of the prepared statement).',
  },
  { name: 'mysql.num_rows', type: 'long', description: 'Rows of the result sets returned.' },
  { name: 'mysql.iserror', type: 'boolean', description: 'The server answered with an error.' },
  { name: 'mysql.error_code', type: 'long', description: 'The error code returned by the server.' },
  { name: 'mysql.error_message', type: 'keyword', description: 'SQLSTATE and message of the error.' },
  {
    name: 'method',
    type: 'keyword',
    description: 'First word of the query, upper-case (SELECT, INSERT...).',
  },
  {
    name: 'query',
    type: 'keyword',
    description: 'The SQL text (for a prepared statement, the one prepared).',
  },
  {
    name: 'path',
    type: 'keyword',
    description: 'Tables the result columns come from, db.table, comma-separated.',
  },
  { name: 'params', type: 'keyword', description: 'Parameters of COM_STMT_EXECUTE, as text.' },
];
