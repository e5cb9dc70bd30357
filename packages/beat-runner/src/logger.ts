import pino from 'pino';

/** Logger type used by the runner (pino's). */
export type BeatLogger = pino.Logger;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  beatName: string;
  /** Configured level (`logging.level`). */
  level: string;
  /** `-e`: log at the configured level; without it only warnings and errors are written. */
  toStderr: boolean;
  /** File descriptor to write to; 2 (stderr) except in tests. Never stdout: it carries the events. */
  fd?: number;
}

const QUIET_LEVELS = new Set(['trace', 'debug', 'info']);

/** JSON logs on stderr, written synchronously so that nothing is lost at exit. */
export function createLogger(opts: LoggerOptions): BeatLogger {
  const level = opts.toStderr || !QUIET_LEVELS.has(opts.level) ? opts.level : 'warn';
  return pino(
    { name: opts.beatName, level, base: { pid: process.pid } },
    pino.destination({ fd: opts.fd ?? 2, sync: true }),
  );
}

/** The metrics line is written whatever the log level: it is the run's summary. */
export function createMetricsLogger(beatName: string, fd = 2): BeatLogger {
  return pino(
    { name: beatName, level: 'info', base: { pid: process.pid } },
    pino.destination({ fd, sync: true }),
  );
}
