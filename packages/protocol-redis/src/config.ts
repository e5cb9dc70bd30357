// Options of the Redis analyzer: the shared protocol options plus value limits.
import { protocolConfigSchema, describeConfigIssues } from '@wirebeat/applayer';
import { z } from 'zod';
import { RedisConfigError } from './errors';

/** Redis listens on 6379. */
export const REDIS_DEFAULT_PORTS = [6379];

/**
 * Redis options, all optional:
 * - `enabled` (true), `ports` ([6379]), `send_request` / `send_response` (false): publish the
 *   command line and the reply text as `request` / `response`; `transaction_timeout` ('10s');
 * - `max_bulk_bytes` (1024): bytes of each bulk string kept as text; longer strings are counted;
 * - `max_pending_requests` (1000): pipelined commands waiting for a reply per connection.
 */
export const redisConfigSchema = protocolConfigSchema(REDIS_DEFAULT_PORTS, {
  max_bulk_bytes: z
    .number({ error: 'expected a number of bytes (a positive integer)' })
    .int({ error: 'expected a number of bytes (a positive integer)' })
    .positive({ error: 'expected a number of bytes (a positive integer)' })
    .default(1024),
  max_pending_requests: z
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .positive({ error: 'expected a positive integer' })
    .default(1000),
});

/** Validated Redis options, defaults applied (transaction_timeout in ms). */
export type RedisConfig = z.output<typeof redisConfigSchema>;

/** Validates raw Redis options; throws RedisConfigError naming each bad option and what it expects. */
export function parseRedisConfig(raw: unknown = {}): RedisConfig {
  const result = redisConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new RedisConfigError(
      `invalid redis configuration: ${describeConfigIssues(result.error).join('; ')}`,
    );
  }
  return result.data;
}
