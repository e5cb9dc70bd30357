// Public API of @wirebeat/protocol-redis.
export { redisProtocol, redisConfigSchema, parseRedisConfig } from './redis';
export { REDIS_DEFAULT_PORTS, redisOptions } from './config';
export type { RedisConfig } from './config';
export { RedisConnection } from './trans';
export type { RedisCounters } from './trans';
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
  RespTooDeep,
  MAX_KEPT_ITEMS,
  MAX_NESTING,
  formatValue,
  itemsOf,
} from './resp';
export type { RespValue } from './resp';
export { redisTransaction, rootFields, resourceOf } from './pub';
export { redactArgs, REDACTED } from './redact';
export { redisFields } from './fields';
export { RedisError, RedisConfigError } from './errors';
