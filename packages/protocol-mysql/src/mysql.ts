// The MySQL/MariaDB analyzer on applayer's defineProtocol. It takes the connection form: the
// answer to a command is read according to that command and to what the login agreed.
import { defineProtocol } from '@wirebeat/applayer';
import { MYSQL_DEFAULT_PORTS, mysqlOptions, type MysqlConfig } from './config';
import { MysqlConnection } from './connection';
import { MysqlConfigError } from './errors';
import { mysqlFields } from './fields';
import type { MysqlRequest, MysqlResponse } from './message';
import { mysqlTransaction } from './pub';

/** The MySQL protocol module: pass it to runBeat({ protocols: [mysqlProtocol] }). */
export const mysqlProtocol = defineProtocol<typeof mysqlOptions, MysqlRequest, MysqlResponse>({
  name: 'mysql',
  description: 'MySQL and MariaDB: queries, prepared statements, result sets, errors.',
  ports: MYSQL_DEFAULT_PORTS,
  options: mysqlOptions,
  fields: mysqlFields,
  dashboard: { resource: 'path', error: 'mysql.error_message' },
  // Logins completed and refused; connections upgraded to TLS, or otherwise not followed
  // (compressed protocol, binlog streams): their commands are not seen.
  counters: ['logins', 'failed_logins', 'tls_connections', 'unanalysed_connections'],
  connection: (ctx) => new MysqlConnection(ctx),
  transaction: mysqlTransaction,
});

/** The strict schema of the MySQL options (shared ones included, defaults applied). */
export const mysqlConfigSchema = mysqlProtocol.configSchema;

/** Validates raw MySQL options; throws MysqlConfigError naming each bad option and what it expects. */
export const parseMysqlConfig = (raw: unknown = {}): MysqlConfig =>
  mysqlProtocol.parseConfig(raw, (message) => new MysqlConfigError(message));
