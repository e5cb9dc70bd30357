// The Redis analyzer (RESP2 and RESP3) on applayer's defineProtocol. It takes the connection form:
// pub/sub pushes and multiple confirmations must be told apart from replies before pairing.
import { defineProtocol } from '@wirebeat/applayer';
import { REDIS_DEFAULT_PORTS, redisOptions, type RedisConfig } from './config';
import { RedisConfigError } from './errors';
import { redisFields } from './fields';
import type { RedisMessage } from './message';
import { redisTransaction } from './pub';
import { RedisConnection } from './trans';

/** The Redis protocol module: pass it to runBeat({ protocols: [redisProtocol] }). */
export const redisProtocol = defineProtocol<typeof redisOptions, RedisMessage, RedisMessage>({
  name: 'redis',
  description: 'Redis RESP2 and RESP3: commands, replies, errors, pipelining, pub/sub and MULTI/EXEC.',
  ports: REDIS_DEFAULT_PORTS,
  options: redisOptions,
  fields: redisFields,
  dashboard: { resource: 'method', error: 'redis.error' },
  counters: ['push_messages'],
  connection: (ctx) => new RedisConnection(ctx),
  transaction: redisTransaction,
});

/** The strict schema of the Redis options (shared ones included, defaults applied). */
export const redisConfigSchema = redisProtocol.configSchema;

/** Validates raw Redis options; throws RedisConfigError naming each bad option and what it expects. */
export const parseRedisConfig = (raw: unknown = {}): RedisConfig =>
  redisProtocol.parseConfig(raw, (message) => new RedisConfigError(message));
