// `--from-clone <path>`: before the packages are on the public registry, a protocol generated
// outside the repository depends on a clone's packages through `file:` links (npm links the
// folders; their own dependencies resolve in the clone's node_modules). Build the clone first.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidOptionError } from './errors';
import type { Template } from './template';

/** The clone's @wirebeat package names and their folders (`@wirebeat/applayer` -> /clone/packages/applayer). */
export function clonePackages(clone: string): Map<string, string> {
  const root = path.resolve(clone);
  const packages = path.join(root, 'packages');
  if (!fs.existsSync(path.join(packages, 'applayer', 'package.json')))
    throw new InvalidOptionError(
      `--from-clone ${clone}: not a wirebeat clone (no packages/applayer/package.json)`,
    );
  const out = new Map<string, string>();
  for (const dir of fs.readdirSync(packages)) {
    const manifest = path.join(packages, dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
    if (name?.startsWith('@wirebeat/')) out.set(name, path.join(packages, dir));
  }
  const unbuilt = [...out].find(([, dir]) => !fs.existsSync(path.join(dir, 'dist')));
  if (unbuilt !== undefined)
    throw new InvalidOptionError(
      `--from-clone ${clone}: ${unbuilt[0]} is not built (run \`npm ci && npx tsc -b\` in the clone first)`,
    );
  return out;
}

/** The template with its @wirebeat dependencies pointing at the clone's folders (`file:`). */
export function withCloneDependencies(template: Template, clone: string): Template {
  const folders = clonePackages(clone);
  const link = (deps: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(deps).map(([name, spec]) => {
        const dir = folders.get(name);
        return [name, dir === undefined ? spec : `file:${dir}`];
      }),
    );
  // The protocol's exported types name zod's (defineProtocol's schemas): declarations need zod
  // resolvable from the package itself, and the clone's own copy keeps one zod at run time.
  const zod = path.join(path.resolve(clone), 'node_modules', 'zod');
  const extra: Record<string, string> = fs.existsSync(path.join(zod, 'package.json'))
    ? { zod: `file:${zod}` }
    : {};
  return {
    ...template,
    pkg: {
      ...template.pkg,
      dependencies: { ...link(template.pkg.dependencies), ...extra },
      devDependencies: link(template.pkg.devDependencies),
    },
  };
}
