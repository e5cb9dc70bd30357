// Options of the MySQL analyzer (defineProtocol adds the shared ones).
import { countOption, durationSchema, type DefinedConfig } from '@wirebeat/applayer';

/** MySQL and MariaDB listen on 3306. */
export const MYSQL_DEFAULT_PORTS = [3306];

/**
 * The MySQL analyzer's own options, optional, as Packetbeat's (besides the shared `enabled`,
 * `ports`, `send_request`, `send_response`, `transaction_timeout` and `max_pending_requests`):
 * - `max_rows` (10): rows of a result set published in `response`;
 * - `max_row_length` (1024): characters of each of those rows;
 * - `statement_timeout` (1h): a prepared statement unused this long (packet time) is forgotten.
 */
export const mysqlOptions = {
  max_rows: countOption(10),
  max_row_length: countOption(1024),
  statement_timeout: durationSchema.default(3_600_000),
};

/** Validated MySQL options, defaults applied (durations in ms). */
export type MysqlConfig = DefinedConfig<typeof mysqlOptions>;
