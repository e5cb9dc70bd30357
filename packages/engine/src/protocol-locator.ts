// A worker thread has its own module registry: the protocol modules a beat was built with (objects
// its main script imported) must be loaded there again. The loaded module that exports the very
// same object tells which file and which export to require in the worker.
import type { ProtocolModule } from '@wirebeat/applayer';
import { ProtocolNotLocatableError } from './errors';

/** Where a worker finds a protocol module: a file to require and the export holding the module. */
export interface ProtocolLocation {
  file: string;
  /** Export name; undefined when the module itself is the protocol module. */
  exportName?: string;
}

/** Finds the loaded file that exports `module`; throws when no loaded file does (it was built at run time). */
export function locateProtocol(module: ProtocolModule): ProtocolLocation {
  // Files of the protocol's own package first (most likely), then everything else loaded.
  const entries = Object.values(require.cache).filter((m): m is NodeJS.Module => m !== undefined);
  entries.sort((a, b) => Number(b.filename.includes(module.name)) - Number(a.filename.includes(module.name)));
  for (const m of entries) {
    const exp: unknown = m.exports;
    if (exp === module) return { file: m.filename };
    if (exp === null || typeof exp !== 'object') continue;
    for (const key of Object.keys(exp)) {
      // Reading a CommonJS re-export runs a getter: harmless, and the only way to compare.
      if ((exp as Record<string, unknown>)[key] === module) return { file: m.filename, exportName: key };
    }
  }
  throw new ProtocolNotLocatableError(
    `protocol ${module.name}: no loaded file exports it, so worker threads cannot load it (set workers: 1)`,
  );
}

/** Loads a located protocol module (in a worker). */
export function loadProtocol(loc: ProtocolLocation): ProtocolModule {
  // The file was chosen at run time by locateProtocol: a static import cannot name it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exp = require(loc.file) as Record<string, unknown>;
  const m = loc.exportName === undefined ? exp : exp[loc.exportName];
  if (m === undefined || m === null)
    throw new ProtocolNotLocatableError(`${loc.file} no longer exports ${loc.exportName}`);
  return m as unknown as ProtocolModule;
}
