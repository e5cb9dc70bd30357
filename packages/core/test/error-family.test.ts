// One error family: every error a package or example throws on purpose derives from WirebeatError
// (so it has a code), one class per failure.
import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';

const repo = join(__dirname, '../../..');

/** The TypeScript sources of every package and example. */
function sources(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return walk(full);
      return name.endsWith('.ts') ? [full] : [];
    });
  return ['packages', 'examples'].flatMap((top) =>
    readdirSync(join(repo, top))
      .map((name) => join(repo, top, name, 'src'))
      .filter(
        (src) => statSync(join(src, '..')).isDirectory() && readdirSync(join(src, '..')).includes('src'),
      )
      .flatMap(walk),
  );
}

describe('the error family', () => {
  const classes = sources().flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/class (\w+)(?:<[^>]*>)? extends (\w+)/g)].map((m) => ({
      file: file.slice(repo.length + 1),
      name: m[1],
      base: m[2],
    })),
  );

  it('has no error outside WirebeatError: nothing extends Error directly but WirebeatError itself', () => {
    const builtins = ['Error', 'TypeError', 'RangeError', 'SyntaxError'];
    expect(classes.filter((c) => builtins.includes(c.base) && c.name !== 'WirebeatError')).toEqual([]);
  });

  it('has one class per failure: one port-conflict error', () => {
    const names = classes.filter((c) => /Error$/.test(c.name)).map((c) => c.name);
    expect(names).toContain('PortConflictError');
    expect(names.filter((n) => /^Port(Conflict|Collision|Clash)/.test(n))).toEqual(['PortConflictError']);
  });
});
