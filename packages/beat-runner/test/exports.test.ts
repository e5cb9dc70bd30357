// beat-runner's public surface is what a beat author uses; the rest is internal.
import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

const repo = join(__dirname, '../../..');

/** Names a TypeScript source exports with `export { ... }` / `export type { ... }`. */
function exportedNames(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
    m[1]
      .split(',')
      .map((n) => n.trim().replace(/^type /, ''))
      .filter((n) => n !== ''),
  );
}

/** Every .ts / .js file under `dir`, node_modules and build output aside. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|js)$/.test(name) ? [full] : [];
  });
}

describe('@wirebeat/beat-runner exports', () => {
  const names = exportedNames(join(__dirname, '../src/index.ts'));

  it('are at most 40 names', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeLessThanOrEqual(40);
  });

  it('cover what the examples and the generator templates import', () => {
    const users = [
      ...sources(join(repo, 'examples')),
      ...sources(join(repo, 'packages/create-protocol')),
      ...sources(join(repo, 'packages/protocol-template')),
    ];
    const imported = users.flatMap((file) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /\{([^{}]*)\}\s*(?:from|=\s*require\()\s*'@wirebeat\/beat-runner'/g,
        ),
      ].flatMap((m) =>
        m[1].split(',').map(
          (n) =>
            n
              .trim()
              .replace(/^type /, '')
              .split(/\s*:\s*|\s+as\s+/)[0],
        ),
      ),
    );
    expect(imported).toContain('runBeat');
    expect(imported.filter((n) => n !== '' && !names.includes(n))).toEqual([]);
  });
});
