// Options of the memcache analyzer (defineProtocol adds the shared ones).
import { countOption, type DefinedConfig } from '@wirebeat/applayer';

/** memcached listens on 11211, TCP and UDP. */
export const MEMCACHE_DEFAULT_PORTS = [11211];

/**
 * The memcache analyzer's own options, optional (besides the shared `enabled`, `ports`,
 * `send_request`, `send_response`, `transaction_timeout` and `max_pending_requests`):
 * - `max_keys` (100): keys published per request or reply (a multi-get may name thousands);
 * - `max_stats` (500): lines of a stats reply published.
 */
export const memcacheOptions = { max_keys: countOption(100), max_stats: countOption(500) };

/** Validated memcache options, defaults applied (transaction_timeout in ms). */
export type MemcacheConfig = DefinedConfig<typeof memcacheOptions>;
