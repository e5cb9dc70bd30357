// Event serialisation from a protocol's field definitions. Protocols return plain objects; the
// framework writes them as JSON with a writer compiled once per protocol from its field list: keys
// in the declared order, each value written by its declared type (no generic walk of every
// object, no key order left to how the protocol happened to build it). A key the definitions do
// not name is still written, after the declared ones, by JSON.stringify.
import type { FieldDefinition, FieldType } from './plugin';

/** The compiled writers of one protocol: its namespace object and its top-level fields. */
export interface ProtocolSerialiser {
  /** The namespace object as JSON (`{...}`). */
  namespace(fields: object): string;
  /** The top-level fields as object members, each preceded by a comma (`,"url":{...}`); '' when none. */
  rootMembers(root: object): string;
}

/** Compiles the writers of a protocol's fields: `namespace.*` ones and the top-level others. */
export function compileSerialiser(fields: readonly FieldDefinition[], namespace: string): ProtocolSerialiser {
  const tree = new FieldTree();
  for (const def of fields) tree.add(def.name.split('.'), def.type);
  const nsNode = tree.children.get(namespace) ?? new FieldTree();
  const root = new FieldTree();
  for (const [key, node] of tree.children) if (key !== namespace) root.children.set(key, node);
  // The writers are generated as source and compiled once: straight-line code reading known keys
  // and appending to one string, which V8 optimises like hand-written serialisation.
  const code = new CodeWriter();
  const ns = code.writer(nsNode, false);
  const members = code.writer(root, true);
  const source = `return { namespace: ${ns}, rootMembers: ${members} };`;
  const make = new Function('J', 'extras', 'keys', 'Q', source) as (
    json: typeof JSON.stringify,
    extras: typeof writeExtras,
    keys: Array<ReadonlySet<string>>,
    quote: typeof jsonString,
  ) => ProtocolSerialiser;
  return make(JSON.stringify, writeExtras, code.keySets, jsonString);
}

/** The declared fields as a tree of names, in the order they are first declared. */
class FieldTree {
  readonly children = new Map<string, FieldTree>();
  type: FieldType | undefined = undefined;

  /** Adds the field at `path`. */
  add(path: string[], type: FieldType): void {
    let node = this.children.get(path[0]);
    if (node === undefined) this.children.set(path[0], (node = new FieldTree()));
    if (path.length === 1) node.type = type;
    else node.add(path.slice(1), type);
  }

  /** Levels of objects below this node. */
  depth(): number {
    let d = 0;
    for (const child of this.children.values()) if (child.children.size > 0) d = Math.max(d, child.depth());
    return d + 1;
  }
}

/** Generates the source of the writers of field trees. */
class CodeWriter {
  /** The declared keys of each object node, for the generic writing of the others. */
  readonly keySets: Array<ReadonlySet<string>> = [];

  /**
   * The source of a function `(o)` writing an object node with its nested objects inline. With
   * `members`, the members alone, each preceded by a comma; else the object in braces.
   */
  writer(node: FieldTree, members: boolean): string {
    const vars: string[] = [];
    for (let d = 0; d < node.depth(); d++) vars.push(`v${d}`, `c${d} = 0`, `p${d} = 0`);
    const body = this.members(node, 'o', 0, members);
    const start = members ? `''` : `'{'`;
    const result = members ? 's' : `s + '}'`;
    return `(o) => {\nlet s = ${start}, t, m, ${vars.join(', ')};\np0 = s.length;\n${body}return ${result};\n}`;
  }

  /**
   * Statements appending the members of `obj` (an object of `node`, at nesting `d`) to `s`:
   * declared keys in order, then any others. `p<d>` is the length of `s` before the first member.
   */
  private members(node: FieldTree, obj: string, d: number, comma: boolean): string {
    const id = this.keySets.length;
    this.keySets.push(new Set(node.children.keys()));
    const v = `v${d}`;
    // Each key's text for the first member and for the others, so that appending a member is one
    // concatenation, as in hand-written serialisation.
    const lead = (k: string, open: string): string =>
      `(s.length === p${d} ? ${JSON.stringify((comma ? ',' : '') + k + ':' + open)} : ${JSON.stringify(',' + k + ':' + open)})`;
    let code = '';
    for (const [key, child] of node.children) {
      const k = JSON.stringify(key);
      const leaf = `t = ${leafCode(child.type ?? 'object', v)}; if (t !== undefined) s += ${lead(k, '')} + t;`;
      let write = leaf;
      if (child.children.size > 0) {
        write =
          `if (typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v})) {\n` +
          `s += ${lead(k, '{')}; p${d + 1} = s.length; c${d + 1} = 0;\n` +
          this.members(child, v, d + 1, false) +
          `s += '}';\n} else { ${leaf} }`;
      }
      code += `${v} = ${obj}[${k}];\nif (${v} !== undefined) { c${d}++; ${write} }\nelse if (${k} in ${obj}) c${d}++;\n`;
    }
    return (
      code +
      `m = 0; for (const _ in ${obj}) m++;\n` +
      `if (m !== c${d}) s += extras(${obj}, keys[${id}], s.length === p${d} ? ${comma ? `','` : `''`} : ',');\n`
    );
  }
}

/** An expression writing `v` as a value of a declared type; other shapes are written generically. */
function leafCode(type: FieldType, v: string): string {
  switch (type) {
    case 'long':
    case 'integer':
    case 'double':
      return `(typeof ${v} === 'number' && Number.isFinite(${v}) ? '' + ${v} : J(${v}))`;
    case 'boolean':
      return `(${v} === true ? 'true' : ${v} === false ? 'false' : J(${v}))`;
    default:
      return `(typeof ${v} === 'string' ? Q(${v}) : J(${v}))`;
  }
}

/** Strings longer than this are quoted by JSON.stringify directly (its per-call cost no longer dominates). */
const QUOTE_SCAN_MAX = 256;

/**
 * A string as JSON text, exactly as JSON.stringify writes it. Most values (names, paths, numbers
 * as text) need no escape: those are found by a scan in JS and quoted by concatenation, which is
 * several times cheaper than a call into JSON.stringify per value.
 */
export function jsonString(v: string): string {
  const n = v.length;
  if (n > QUOTE_SCAN_MAX) return JSON.stringify(v);
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    // Control characters, quote, backslash and surrogates (a lone one is escaped) need JSON.stringify.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(v);
  }
  return '"' + v + '"';
}

/** The members of `obj` whose keys are not declared (`lead` before the first), generically. */
function writeExtras(obj: Record<string, unknown>, declared: ReadonlySet<string>, lead: string): string {
  let out = '';
  for (const key in obj) {
    if (declared.has(key)) continue;
    const text = JSON.stringify(obj[key]);
    if (text === undefined) continue;
    out += (out === '' ? lead : ',') + JSON.stringify(key) + ':' + text;
  }
  return out;
}
