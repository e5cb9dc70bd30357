// Errors of @wirebeat/protocol-redis.
import { ApplayerError } from '@wirebeat/applayer';

/** Base class of every Redis analyzer error (`code` from @wirebeat/core's WirebeatError). */
export class RedisError extends ApplayerError {}

/** The Redis protocol options are invalid; the message names the option and the expected value. */
export class RedisConfigError extends RedisError {}
