// Start-up: zod's entry modules load all of its ~60 message locales (one file each, and the only
// non-Latin-1 text, which doubles the module pack), though a beat speaks English only and zod's
// schemas load English themselves. Here `z.locales` and `z.core.locales` become a stand-in that
// loads zod's real list on first use, so nothing changes for code that does use a locale.
import Module from 'module';
import type { ModuleInternals } from './module-internals';

const LOCALE_LIST = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.cjs$/;
const ZOD_ENTRY = /[\\/]zod[\\/]v4[\\/](?:classic[\\/]external|core[\\/]index)\.cjs$/;

/** An ES-module-like object that reads as `load()`'s exports, calling `load` on first use only. */
export function lazyModuleExports(load: () => object): object {
  const target: Record<string | symbol, unknown> = {};
  // Read (and only this) by TypeScript's and zod's `__importStar` when they import the list.
  Object.defineProperty(target, '__esModule', { value: true });
  let real: object | undefined;
  const fill = (): void => {
    if (real !== undefined) return;
    const loaded = load();
    real = loaded;
    for (const key of Reflect.ownKeys(loaded))
      if (key !== '__esModule')
        Object.defineProperty(target, key, {
          enumerable: true,
          get: () => (loaded as Record<string | symbol, unknown>)[key],
        });
  };
  return new Proxy(target, {
    get: (t, key, receiver) => {
      if (key !== '__esModule') fill();
      return Reflect.get(t, key, receiver);
    },
    has: (t, key) => (fill(), Reflect.has(t, key)),
    ownKeys: (t) => (fill(), Reflect.ownKeys(t)),
    getOwnPropertyDescriptor: (t, key) => {
      if (key !== '__esModule') fill();
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
  });
}

let installed = false;

/** Makes zod's entry modules get the stand-in for its locale list (once per thread, before zod loads). */
export function lazyZodLocales(): void {
  if (installed) return;
  installed = true;
  const M = Module as unknown as ModuleInternals & { _cache: Record<string, Module | undefined> };
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    const file = resolve.call(this, request, parent, isMain, options);
    const from = (parent as { filename?: unknown } | undefined)?.filename;
    if (typeof from !== 'string' || !ZOD_ENTRY.test(from) || !LOCALE_LIST.test(file)) return file;
    const key = `${file}?lazy`;
    if (M._cache[key] === undefined) {
      const mod = new Module(key);
      mod.filename = key;
      mod.loaded = true;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real list, on first use
      mod.exports = lazyModuleExports(() => require(file) as object);
      M._cache[key] = mod;
    }
    return key;
  };
}
