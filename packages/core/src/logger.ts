// The logger shape every package logs through.

/** A pino-compatible logger subset, so that any pino logger (or console-like object) fits. */
export interface Logger {
  debug(msg: string | object, ...args: unknown[]): void;
  info(msg: string | object, ...args: unknown[]): void;
  warn(msg: string | object, ...args: unknown[]): void;
  error(msg: string | object, ...args: unknown[]): void;
}
