// Errors of @wirebeat/protocol-mysql.
import { WirebeatError } from '@wirebeat/applayer';

/** Base class of every MySQL analyzer error. */
export class MysqlError extends WirebeatError {}

/** The mysql protocol options are invalid; the message names the option and the expected value. */
export class MysqlConfigError extends MysqlError {}
