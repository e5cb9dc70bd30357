// Errors of @wirebeat/protocol-pgsql.
import { WirebeatError } from '@wirebeat/applayer';

/** Base class of every PostgreSQL analyzer error. */
export class PgsqlError extends WirebeatError {}

/** The pgsql protocol options are invalid; the message names the option and the expected value. */
export class PgsqlConfigError extends PgsqlError {}
