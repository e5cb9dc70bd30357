// The base class of every wirebeat error. Each package derives its own base from it and one
// subclass per failure a caller can act on; `code` names the failure for programs (stable across
// message rewording), the message explains it to people.

/** `PortConflictError` -> `ERR_PORT_CONFLICT`. */
export function errorCodeOf(className: string): string {
  const words = className.replace(/Error$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return `ERR_${words.toUpperCase()}`;
}

/** Options of a WirebeatError. */
export interface WirebeatErrorOptions {
  /** What caused it (kept as `cause`). */
  cause?: unknown;
  /** Overrides the code derived from the class name. */
  code?: string;
}

/** Base class of every error a wirebeat package throws on purpose. */
export class WirebeatError extends Error {
  /** Stable identifier of the failure, e.g. `ERR_PORT_CONFLICT` (derived from the class name). */
  readonly code: string;

  /** A one-line message, and optionally a cause and an explicit code. */
  constructor(message: string, options: WirebeatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? errorCodeOf(new.target.name);
  }
}
