// Reads one field of a serialised event without parsing the whole document: the dashboard is fed
// every event of the beat, and a walk over the text that skips strings costs a fraction of
// JSON.parse and allocates only the value it returns.

/** The value at a dotted path (`url.path`, `event.duration`) of a JSON object text; undefined when absent. */
export function jsonValueAt(json: string, path: readonly string[]): string | number | boolean | undefined {
  let depth = 0;
  // Path components matched so far: the walk is inside the object of path[matched - 1].
  let matched = 0;
  let i = 0;
  const n = json.length;
  while (i < n) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(json, i);
      const key = path[matched];
      // Compared in place: slicing every key out would allocate a string per key.
      if (
        depth === matched + 1 &&
        end - i - 1 === key.length &&
        json.charCodeAt(end + 1) === 0x3a /* : */ &&
        json.startsWith(key, i + 1)
      ) {
        const v = end + 2;
        if (matched === path.length - 1) return readValue(json, v);
        if (json.charCodeAt(v) !== 0x7b /* { */) return undefined;
        matched++;
        depth++;
        i = v + 1;
        continue;
      }
      i = end + 1;
    } else if (c === 0x7b || c === 0x5b /* { [ */) {
      depth++;
      i++;
    } else if (c === 0x7d || c === 0x5d /* } ] */) {
      depth--;
      // Left the object that held the path so far without finding the rest: it is not there.
      if (depth < matched) return undefined;
      i++;
    } else i++;
  }
  return undefined;
}

/** Index of the closing quote of the string opening at `start`. */
function stringEnd(json: string, start: number): number {
  let j = start;
  for (;;) {
    j = json.indexOf('"', j + 1);
    if (j < 0) return json.length;
    let backslashes = 0;
    while (json.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
}

/** A scalar at `i`: strings are unescaped, numbers and booleans converted; objects give undefined. */
function readValue(json: string, i: number): string | number | boolean | undefined {
  const c = json.charCodeAt(i);
  if (c === 0x22) {
    const end = stringEnd(json, i);
    const raw = json.slice(i + 1, end);
    return raw.includes('\\') ? (JSON.parse('"' + raw + '"') as string) : raw;
  }
  if (c === 0x7b || c === 0x5b) return undefined;
  let j = i;
  while (j < json.length && ',}]'.indexOf(json[j]) < 0) j++;
  const text = json.slice(i, j).trim();
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return undefined;
  const num = Number(text);
  return Number.isNaN(num) ? undefined : num;
}

/** The value at a dotted path of a parsed document; objects and arrays give undefined. */
export function objectValueAt(doc: unknown, path: readonly string[]): string | number | boolean | undefined {
  let v: unknown = doc;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

/**
 * The values at several dotted paths in one walk over the text (`out[k]` for `paths[k]`, undefined
 * when absent); the walk stops once every path is found.
 */
export function jsonValuesAt(
  json: string,
  paths: ReadonlyArray<readonly string[]>,
  out: Array<string | number | boolean | undefined>,
): void {
  out.length = paths.length;
  out.fill(undefined);
  let missing = paths.length;
  // Keys of the objects the walk is in (the top-level object has none; arrays push '').
  const stack: string[] = [];
  let afterKey: string | undefined;
  // Skip the top-level object's brace: its members are at depth 1.
  let i = json.indexOf('{') + 1;
  if (i === 0) return;
  const n = json.length;
  while (i < n && missing > 0) {
    const c = json.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(json, i);
      if (json.charCodeAt(end + 1) === 0x3a /* : */) {
        const depth = stack.length + 1;
        const v = end + 2;
        for (let k = 0; k < paths.length; k++) {
          const p = paths[k];
          if (p.length !== depth || out[k] !== undefined) continue;
          const key = p[depth - 1];
          if (end - i - 1 !== key.length || !json.startsWith(key, i + 1)) continue;
          let same = true;
          for (let j = 0; j < depth - 1 && same; j++) same = stack[j] === p[j];
          if (!same) continue;
          const value = readValue(json, v);
          out[k] = value;
          if (value !== undefined) missing--;
        }
        const next = json.charCodeAt(v);
        // Only keys opening an object or array are kept (they are the ancestors of later keys).
        afterKey = next === 0x7b || next === 0x5b ? json.slice(i + 1, end) : undefined;
        i = v;
        continue;
      }
      i = end + 1;
    } else if (c === 0x7b || c === 0x5b /* { [ */) {
      stack.push(afterKey ?? '');
      afterKey = undefined;
      i++;
    } else if (c === 0x7d || c === 0x5d /* } ] */) {
      stack.pop();
      i++;
    } else i++;
  }
}
