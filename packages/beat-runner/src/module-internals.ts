// Node's CommonJS loader internals that the code cache and the module pack hook into (stable since
// Node 12, absent from Node's type definitions).

/** The parts of `Module` used here. */
export interface ModuleInternals {
  prototype: {
    _compile(content: string, filename: string, format?: string): unknown;
    require(id: string): unknown;
  };
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _nodeModulePaths(from: string): string[];
  _extensions: unknown;
  _cache: unknown;
  wrap(script: string): string;
}

/** The parts of a module object used here. */
export interface NodeModule {
  exports: unknown;
  require(id: string): unknown;
}

/** A `require` for a module compiled here, as Node's own loader gives it. */
export function requireFor(mod: NodeModule, M: ModuleInternals): NodeJS.Require {
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    M._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => M._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  req.main = require.main;
  req.extensions = M._extensions as NodeJS.RequireExtensions;
  req.cache = M._cache as NodeJS.Dict<NodeJS.Module>;
  return req;
}
