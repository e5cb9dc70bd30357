// Errors of @wirebeat/applayer: each subclass is a failure a caller can act on.
import { WirebeatError } from '@wirebeat/core';

/** Base class of every applayer error (`code` from @wirebeat/core's WirebeatError). */
export class ApplayerError extends WirebeatError {}

/** Two enabled protocols claim the same server port (the engine's dispatcher and the beat's config check). */
export class PortConflictError extends ApplayerError {
  constructor(
    readonly port: number,
    readonly protocols: [string, string],
  ) {
    super(`port ${port} is configured for both protocol ${protocols[0]} and protocol ${protocols[1]}`);
  }
}

/** A protocol's configuration is invalid; the message names the option and what was expected. */
export class ProtocolConfigError extends ApplayerError {
  constructor(
    readonly protocol: string,
    /** One line per problem, each starting with the option's path. */
    readonly problems: string[],
  ) {
    super(`invalid ${protocol} configuration: ${problems.join('; ')}`);
  }
}
