import { EchoUsageError } from './errors';

/** Parses a non-negative integer option, naming the option when the value is not one. */
export function intOption(
  name: string,
  value: string | undefined,
  dflt: number,
  min = 0,
  max = 2 ** 31,
): number {
  if (value === undefined) return dflt;
  if (!/^\d+$/.test(value))
    throw new EchoUsageError(`--${name} must be an integer, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min || n > max) throw new EchoUsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Prints one line for a known error and exits non-zero; anything else is a bug and keeps its stack. */
export function exitOnError(prog: string, err: unknown): never {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${prog}: ${msg}\n`);
  process.exit(1);
}
