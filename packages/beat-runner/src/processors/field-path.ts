// Dotted field paths on nested event objects (`client.ip` is event.client.ip), as processors and
// conditions name fields.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const has = (node: Obj, key: string): boolean => Object.prototype.hasOwnProperty.call(node, key);

/** The node's own value under `key` (never one inherited: `__proto__` is a plain field name here). */
function own(node: Obj, key: string): unknown {
  return has(node, key) ? node[key] : undefined;
}

/**
 * Sets an own property. Plain assignment of `__proto__` would replace the object's prototype (and a
 * path through it would write into Object.prototype); a field of that name is stored as data.
 */
function put(node: Obj, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
  else node[key] = value;
}

/** The value at a dotted path, or undefined. */
export function getField(event: Obj, dotted: string): unknown {
  let node: unknown = event;
  for (const key of dotted.split('.')) {
    if (!isObj(node) || !has(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** Sets the value at a dotted path, creating objects on the way (a non-object on the way is replaced). */
export function setField(event: Obj, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = event;
  for (const key of keys.slice(0, -1)) {
    if (!isObj(own(node, key))) put(node, key, {});
    node = node[key] as Obj;
  }
  put(node, keys[keys.length - 1], value);
}

/** Deletes the value at a dotted path; true when it was there. Objects left empty are removed too. */
export function deleteField(event: Obj, dotted: string): boolean {
  const keys = dotted.split('.');
  const chain: Obj[] = [event];
  for (const key of keys.slice(0, -1)) {
    const next = own(chain[chain.length - 1], key);
    if (!isObj(next)) return false;
    chain.push(next);
  }
  const last = keys[keys.length - 1];
  const parent = chain[chain.length - 1];
  if (!has(parent, last)) return false;
  delete parent[last];
  for (let i = chain.length - 1; i > 0 && Object.keys(chain[i]).length === 0; i--)
    delete chain[i - 1][keys[i - 1]];
  return true;
}

/** Merges `value` into `target` key by key (objects recursively; anything else replaces). */
export function deepMerge(target: Obj, value: Obj): void {
  for (const [k, v] of Object.entries(value)) {
    const cur = own(target, k);
    if (isObj(v) && isObj(cur)) deepMerge(cur, v);
    else put(target, k, isObj(v) || Array.isArray(v) ? structuredClone(v) : v);
  }
}

/** Makes `target` hold exactly the own fields of `source` (an own `__proto__` stays a field). */
export function replaceFields(target: Obj, source: Obj): void {
  for (const k of Object.keys(target)) delete target[k];
  for (const k of Object.keys(source)) put(target, k, source[k]);
}

export { isObj };
