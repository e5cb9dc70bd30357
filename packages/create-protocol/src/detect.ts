// Decides where to generate: the wirebeat repository, a beat built on beat-runner, or a new
// standalone package. Detection only reads package.json files, walking up from the start folder.
import fs from 'node:fs';
import path from 'node:path';

/** Contents of a package.json that the generator looks at. */
export interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  main?: string;
  bin?: string | Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Where the generator writes, with what it found there. */
export type GenerationSite =
  | { mode: 'monorepo'; root: string }
  | { mode: 'beat'; root: string; pkg: PackageJson }
  | { mode: 'standalone'; dir: string };

/** Reads and parses a package.json, or undefined when there is none (or it is not JSON). */
export function readPackageJson(dir: string): PackageJson | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** True for the root of the wirebeat repository: a workspaces root holding packages/applayer. */
export function isWirebeatMonorepo(dir: string): boolean {
  const pkg = readPackageJson(dir);
  if (!pkg || !pkg.workspaces) return false;
  return readPackageJson(path.join(dir, 'packages', 'applayer'))?.name === '@wirebeat/applayer';
}

/** True when the package depends on @wirebeat/beat-runner: it is a beat. */
export function isBeatProject(pkg: PackageJson): boolean {
  return Boolean(
    pkg.dependencies?.['@wirebeat/beat-runner'] ?? pkg.devDependencies?.['@wirebeat/beat-runner'],
  );
}

/**
 * The nearest package.json decides: a beat's one means beat mode; otherwise the wirebeat
 * repository anywhere above means monorepo mode; otherwise a standalone package in `start`.
 */
export function detectSite(start: string): GenerationSite {
  const from = path.resolve(start);
  let nearestChecked = false;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = readPackageJson(dir);
    if (pkg && !nearestChecked) {
      nearestChecked = true;
      if (isBeatProject(pkg)) return { mode: 'beat', root: dir, pkg };
    }
    if (pkg && isWirebeatMonorepo(dir)) return { mode: 'monorepo', root: dir };
    if (path.dirname(dir) === dir) break;
  }
  return { mode: 'standalone', dir: from };
}
