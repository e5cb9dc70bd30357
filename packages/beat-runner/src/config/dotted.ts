// Beats (go-ucfg) reads `a.b.c: 1` as `a: {b: {c: 1}}` anywhere in a file, list items included,
// and merges it with nested keys of the same section. The loader expands the tree once, before
// validation, so every later step sees the nested form only.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets an own data property (a key named `__proto__` never reaches the prototype). */
function put(node: Obj, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Merges `value` into `node[key]`: mappings merge key by key, anything else replaces (later wins, as in go-ucfg). */
function mergeAt(node: Obj, key: string, value: unknown): void {
  const cur = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
  if (isObj(cur) && isObj(value)) for (const [k, v] of Object.entries(value)) mergeAt(cur, k, v);
  else put(node, key, value);
}

/** A copy of the tree with every dotted key expanded into nested mappings and merged with its siblings. */
export function expandDottedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandDottedKeys);
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [key, raw] of Object.entries(value)) {
    const v = expandDottedKeys(raw);
    const parts = key.split('.');
    // `a..b`, a leading or trailing dot: not a path, kept as written so validation names it.
    if (parts.length === 1 || parts.some((p) => p === '')) {
      mergeAt(out, key, v);
      continue;
    }
    let nested: unknown = v;
    for (let i = parts.length - 1; i > 0; i--) {
      const o: Obj = {};
      put(o, parts[i], nested);
      nested = o;
    }
    mergeAt(out, parts[0], nested);
  }
  return out;
}
