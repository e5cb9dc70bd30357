// Dotted field paths on nested event objects (`client.ip` is event.client.ip), as processors and
// conditions name fields.

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a dotted path, or undefined. */
export function getField(event: Obj, dotted: string): unknown {
  let node: unknown = event;
  for (const key of dotted.split('.')) {
    if (!isObj(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/** Sets the value at a dotted path, creating objects on the way (a non-object on the way is replaced). */
export function setField(event: Obj, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = event;
  for (const key of keys.slice(0, -1)) {
    if (!isObj(node[key])) node[key] = {};
    node = node[key] as Obj;
  }
  node[keys[keys.length - 1]] = value;
}

/** Deletes the value at a dotted path; true when it was there. Objects left empty are removed too. */
export function deleteField(event: Obj, dotted: string): boolean {
  const keys = dotted.split('.');
  const chain: Obj[] = [event];
  for (const key of keys.slice(0, -1)) {
    const next = chain[chain.length - 1][key];
    if (!isObj(next)) return false;
    chain.push(next);
  }
  const last = keys[keys.length - 1];
  const parent = chain[chain.length - 1];
  if (!Object.prototype.hasOwnProperty.call(parent, last)) return false;
  delete parent[last];
  for (let i = chain.length - 1; i > 0 && Object.keys(chain[i]).length === 0; i--)
    delete chain[i - 1][keys[i - 1]];
  return true;
}

/** Merges `value` into `target` key by key (objects recursively; anything else replaces). */
export function deepMerge(target: Obj, value: Obj): void {
  for (const [k, v] of Object.entries(value)) {
    if (isObj(v) && isObj(target[k])) deepMerge(target[k] as Obj, v);
    else target[k] = isObj(v) ? structuredClone(v) : Array.isArray(v) ? structuredClone(v) : v;
  }
}

export { isObj };
