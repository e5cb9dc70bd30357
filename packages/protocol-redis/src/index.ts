// Public API of @wirebeat/protocol-redis.
import type { ProtocolModule } from '@wirebeat/applayer';
import { REDIS_DEFAULT_PORTS, redisConfigSchema, type RedisConfig } from './config';
import { redisFields } from './fields';
import { RedisPlugin } from './redis';

/** The Redis protocol module: pass it to runBeat({ protocols: [redisProtocol] }). */
export const redisProtocol: ProtocolModule<RedisConfig> = {
  name: 'redis',
  defaultPorts: REDIS_DEFAULT_PORTS,
  description: 'Redis RESP2 and RESP3: commands, replies, errors, pipelining, pub/sub and MULTI/EXEC.',
  configSchema: redisConfigSchema,
  fields: redisFields,
  create: (config, ctx) => new RedisPlugin(config, ctx),
};

export { redisConfigSchema, parseRedisConfig, REDIS_DEFAULT_PORTS } from './config';
export type { RedisConfig } from './config';
export { RedisPlugin, RedisConnection } from './redis';
export { RespParser, RedisNotes } from './parser';
export type { RespParserOptions } from './parser';
export type { RedisMessage } from './message';
export {
  RespError,
  RespMap,
  RespSet,
  RespPush,
  RespBigNumber,
  RespLongString,
  MAX_KEPT_ITEMS,
  formatValue,
  itemsOf,
} from './resp';
export type { RespValue } from './resp';
export { RedisTransactions } from './trans';
export type { RedisCounters } from './trans';
export { publishRedisTransaction, eventFieldsJson, redactArgs, resourceOf, REDACTED } from './pub';
export { redisFields } from './fields';
export { RedisError, RedisConfigError } from './errors';
