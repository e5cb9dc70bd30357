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
  /**
   * Debug selectors (`-d`): debug lines are written only for loggers whose `selector` binding is
   * listed (`*` lists all); giving any selector lowers the level to debug.
   */
  selectors?: string[];
  /** Write to this file (path.logs) instead of the file descriptor. */
  file?: string;
  /** Write here instead (logging.files rotation, the text format); takes precedence over file and fd. */
  destination?: pino.DestinationStream;
}

const QUIET_LEVELS = new Set(['trace', 'debug', 'info']);

/** JSON logs on stderr, written synchronously so that nothing is lost at exit. */
export function createLogger(opts: LoggerOptions): BeatLogger {
  const selectors = opts.selectors ?? [];
  let level = opts.toStderr || !QUIET_LEVELS.has(opts.level) ? opts.level : 'warn';
  if (selectors.length > 0 && level !== 'trace') level = 'debug';
  const all = selectors.includes('*');
  const destination =
    opts.destination ??
    (opts.file !== undefined
      ? pino.destination({ dest: opts.file, sync: true, mkdir: true })
      : pino.destination({ fd: opts.fd ?? 2, sync: true }));
  return pino(
    {
      name: opts.beatName,
      level,
      base: { pid: process.pid },
      ...(selectors.length === 0 || all
        ? {}
        : {
            hooks: {
              // Only debug lines are filtered: info and above are written whatever the selector.
              logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, lvl: number) {
                if (lvl <= 20 && !selectors.includes(String(this.bindings().selector))) return;
                method.apply(this, args);
              },
            },
          }),
    },
    destination,
  );
}

/** The metrics line is written whatever the log level: it is the run's summary; it goes where the logs go. */
export function createMetricsLogger(
  beatName: string,
  fd = 2,
  destination?: pino.DestinationStream,
): BeatLogger {
  return pino(
    { name: beatName, level: 'info', base: { pid: process.pid } },
    destination ?? pino.destination({ fd, sync: true }),
  );
}
