// Everything that decides the effective config of a run: the paths, which file (-c or the default
// <beat>.yml), its permissions (--strict.perms), the -E overrides and the command line's path flags.
import type { CliOptions } from '../cli';
import { loadConfig, readConfigFile } from './load';
import { applyOverride, parseOverride } from './overrides';
import { locateConfigFile, resolvePaths, type BeatPaths } from './paths';
import type { BeatConfig } from './schema';
import { checkConfigPermissions } from './strict-perms';

/** The effective config and where it came from. */
export interface ResolvedConfig {
  config: BeatConfig;
  /** The file read, if any (absolute). */
  file: string | undefined;
  /** Every override applied after the file: -E, then the --path.* flags. */
  overrides: string[];
  paths: BeatPaths;
}

const PATH_FLAGS = ['home', 'config', 'data', 'logs'] as const;

/** --path.* flags as `-E path.x=...` overrides (quoted so that a path is never read as a number). */
function pathOverrides(cli: CliOptions): string[] {
  return PATH_FLAGS.filter((k) => cli[`path.${k}`] !== undefined).map(
    (k) => `path.${k}=${JSON.stringify(cli[`path.${k}`])}`,
  );
}

/** Loads the config a command line asks for; throws the config errors (one line each). */
export function resolveConfig(beatName: string, cli: CliOptions): ResolvedConfig {
  // Where to look for the file only depends on the command line (the file cannot move itself).
  const cliPaths = resolvePaths({ home: cli['path.home'], config: cli['path.config'] });
  const file = locateConfigFile(beatName, cli.config, cliPaths.config);
  if (file !== undefined && cli['strict.perms'] !== false) checkConfigPermissions(file);
  const overrides = [...cli.E, ...pathOverrides(cli)];
  const config = loadConfig({ beatName, file, overrides });
  const paths = resolvePaths(config.beats.path);
  return { config, file, overrides, paths };
}

/** The merged config before validation (file + overrides), for `export config`. */
export function rawConfig(resolved: ResolvedConfig): Record<string, unknown> {
  const raw = resolved.file !== undefined ? readConfigFile(resolved.file) : {};
  for (const text of resolved.overrides) applyOverride(raw, parseOverride(text));
  return raw;
}
