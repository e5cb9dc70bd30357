// Built-in protocols given as `{ name, package }` (or lazy loaders) load only when the config runs
// them; a package that is missing or names another protocol is one plain error.
import * as path from 'path';
import { protocolPackage, resolveProtocols, type LazyProtocol } from '../src/protocols/registry';
import { ProtocolSetupError } from '../src/internal';

const linecountPkg = path.join(__dirname, 'fixtures', 'protocol-packages', 'wirebeat-protocol-linecount');

/** A lazy protocol that records whether it was loaded. */
function counted(inner: LazyProtocol): LazyProtocol & { loads: number } {
  const c = { name: inner.name, loads: 0, load: () => (c.loads++, inner.load()) };
  return c;
}

describe('lazy built-in protocols', () => {
  it('loads only the protocols the config names', () => {
    const used = counted(protocolPackage('linecount', linecountPkg));
    const unused = counted({
      name: 'other',
      load: () => {
        throw new Error('must not be loaded');
      },
    });
    const r = resolveProtocols('beat', [{ type: 'linecount', ports: [4000] }], [used, unused]);
    expect(r.map((p) => [p.module.name, p.config.ports])).toEqual([['linecount', [4000]]]);
    expect([used.loads, unused.loads]).toEqual([1, 0]);
  });

  it('loads a { name, package } entry from its package', () => {
    const r = resolveProtocols(
      'beat',
      [{ type: 'linecount' }],
      [{ name: 'linecount', package: linecountPkg }],
    );
    expect(r.map((p) => [p.module.name, p.config.ports])).toEqual([['linecount', [3030]]]);
  });

  it('loads every built-in protocol when the config lists none', () => {
    const used = counted(protocolPackage('linecount', linecountPkg));
    expect(resolveProtocols('beat', undefined, [used]).map((p) => p.module.name)).toEqual(['linecount']);
    expect(used.loads).toBe(1);
  });

  it('names the built-in protocols in the unknown-type error without loading them', () => {
    const lazy = counted(protocolPackage('linecount', linecountPkg));
    expect(() => resolveProtocols('beat', [{ type: 'nope' }], [lazy])).toThrow(
      new ProtocolSetupError(
        'beat.protocols[0]: unknown protocol type "nope" (built in: linecount; use package: to load one)',
      ),
    );
    expect(lazy.loads).toBe(0);
  });

  it('a missing package is one plain error', () => {
    const missing = { name: 'ghost', package: '@wirebeat/protocol-ghost-not-installed' };
    expect(() => resolveProtocols('beat', [{ type: 'ghost' }], [missing])).toThrow(
      new ProtocolSetupError(
        'cannot find protocol package @wirebeat/protocol-ghost-not-installed (install it next to the beat or give a path)',
      ),
    );
  });

  it('a package providing another protocol than its name is refused', () => {
    const wrong = { name: 'http', package: linecountPkg };
    expect(() => resolveProtocols('beat', [{ type: 'http' }], [wrong])).toThrow(
      new ProtocolSetupError('built-in protocol http loaded a module named linecount'),
    );
  });
});
