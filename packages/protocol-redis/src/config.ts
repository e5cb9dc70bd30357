// Options of the Redis analyzer: value limits (defineProtocol adds the shared ones).
import { byteSizeOption, type DefinedConfig } from '@wirebeat/applayer';

/** Redis listens on 6379. */
export const REDIS_DEFAULT_PORTS = [6379];

/**
 * Redis's own option, optional (besides the shared `enabled`, `ports`, `send_request`,
 * `send_response`, `transaction_timeout` and `max_pending_requests`):
 * - `max_bulk_bytes` (1024): bytes of each bulk string kept as text; longer strings are counted.
 */
export const redisOptions = { max_bulk_bytes: byteSizeOption(1024) };

/** Validated Redis options, defaults applied (transaction_timeout in ms). */
export type RedisConfig = DefinedConfig<typeof redisOptions>;
