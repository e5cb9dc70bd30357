// Everything that decides the effective config of a run: the paths, which file (-c or the default
// <beat>.yml), its permissions (--strict.perms), the -E overrides and the command line's path flags.
import type { CliOptions } from '../cli';
import { Keystore, keystorePath } from './keystore';
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
  // ${KEY} is looked up in the keystore first, then in the environment (as libbeat does).
  const secrets = new Keystore(keystoreFileOf(beatName, file, overrides)).values();
  const config = loadConfig({ beatName, file, overrides, env: { ...process.env, ...secrets } });
  const paths = resolvePaths(config.beats.path);
  return { config, file, overrides, paths };
}

/**
 * Where the keystore is: <path.data>/<beat>.keystore, path.data (and path.home) as the file and the
 * overrides set them, read before validation (the config may need the keystore to validate).
 */
export function keystoreFileOf(
  beatName: string,
  file: string | undefined,
  overrides: readonly string[],
): string {
  const raw = file !== undefined ? readConfigFile(file) : {};
  for (const text of overrides) applyOverride(raw, parseOverride(text));
  const p = (raw.path ?? {}) as Record<string, unknown>;
  const plain = (v: unknown) => (typeof v === 'string' && !v.includes('${') ? v : undefined);
  return keystorePath(resolvePaths({ home: plain(p.home), data: plain(p.data) }).data, beatName);
}

/** The merged config before validation (file + overrides), for `export config`. */
export function rawConfig(resolved: ResolvedConfig): Record<string, unknown> {
  const raw = resolved.file !== undefined ? readConfigFile(resolved.file) : {};
  for (const text of resolved.overrides) applyOverride(raw, parseOverride(text));
  return raw;
}
