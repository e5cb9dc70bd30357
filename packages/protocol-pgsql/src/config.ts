// Options of the PostgreSQL analyzer (defineProtocol adds the shared ones).
import { countOption, type DefinedConfig } from '@wirebeat/applayer';

/** PostgreSQL listens on 5432. */
export const PGSQL_DEFAULT_PORTS = [5432];

/**
 * The pgsql analyzer's own options, optional (besides the shared `enabled`, `ports`,
 * `send_request`, `send_response`, `transaction_timeout` and `max_pending_requests`), with
 * Packetbeat's defaults:
 * - `max_rows` (10): rows of a result kept for `response` when send_response is on;
 * - `max_row_length` (1024): bytes of one row kept for `response`;
 * - `max_statements` (1000): prepared statements and portals remembered per connection, so an
 *   Execute can name the statement text its Parse carried.
 */
export const pgsqlOptions = {
  max_rows: countOption(10),
  max_row_length: countOption(1024),
  max_statements: countOption(1000),
};

/** Validated pgsql options, defaults applied (transaction_timeout in ms). */
export type PgsqlConfig = DefinedConfig<typeof pgsqlOptions>;
