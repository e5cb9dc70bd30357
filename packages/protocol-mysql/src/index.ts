// Public API of @wirebeat/protocol-mysql.
export { mysqlProtocol, mysqlConfigSchema, parseMysqlConfig } from './mysql';
export { MysqlConnection, MAX_STATEMENTS, UNKNOWN_STATEMENT_NOTE } from './connection';
export type { MysqlContext } from './connection';
export { ResponseReader } from './response';
export type { Session } from './response';
export { PacketFramer, MAX_PHYSICAL_PAYLOAD, MAX_KEPT_PAYLOAD } from './framer';
export type { PacketInfo, PacketSink } from './framer';
export { commandInfo } from './commands';
export type { CommandInfo, ResponseShape } from './commands';
export type { MysqlRequest, MysqlResponse, ResponseKind } from './message';
export { mysqlTransaction, mysqlStatus, mysqlNamespace, queryText, methodOf } from './pub';
export { mysqlFields } from './fields';
export { binaryValue, csvText, limitRow } from './values';
export { MYSQL_DEFAULT_PORTS, mysqlOptions } from './config';
export type { MysqlConfig } from './config';
export { MysqlError, MysqlConfigError } from './errors';
