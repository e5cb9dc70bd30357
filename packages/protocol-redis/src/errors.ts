// Errors of @wirebeat/protocol-redis.

/** Base class of every Redis analyzer error. */
export class RedisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The Redis protocol options are invalid; the message names the option and the expected value. */
export class RedisConfigError extends RedisError {}
