// Beats' path.* settings and the default config file: -c is optional, `<beat>.yml` is looked up in
// path.config and then in the working directory.
import fs from 'fs';
import path from 'path';

/** The four Beats paths, resolved to absolute directories. */
export interface BeatPaths {
  home: string;
  config: string;
  data: string;
  logs: string;
}

/** path.* as given on the command line or in the config (any may be missing). */
export interface PathSettings {
  home?: string;
  config?: string;
  data?: string;
  logs?: string;
}

/** Fills the defaults: home is the working directory; config = home; data = home/data; logs = home/logs. */
export function resolvePaths(given: PathSettings, cwd = process.cwd()): BeatPaths {
  const home = path.resolve(cwd, given.home ?? '.');
  const under = (p: string | undefined, dflt: string) => (p === undefined ? dflt : path.resolve(home, p));
  return {
    home,
    config: under(given.config, home),
    data: under(given.data, path.join(home, 'data')),
    logs: under(given.logs, path.join(home, 'logs')),
  };
}

/**
 * The config file to read: `-c FILE` (relative to path.config, as Beats does), otherwise
 * `<path.config>/<beat>.yml`, otherwise `./<beat>.yml`; undefined when there is none (defaults apply).
 */
export function locateConfigFile(
  beatName: string,
  given: string | undefined,
  configDir: string,
  cwd = process.cwd(),
): string | undefined {
  if (given !== undefined) return path.resolve(configDir, given);
  for (const dir of [configDir, cwd]) {
    const candidate = path.join(dir, `${beatName}.yml`);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
