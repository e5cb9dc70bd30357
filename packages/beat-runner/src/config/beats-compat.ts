// A Packetbeat config, renamed to the beat's section, loads: Beats' layout is mapped onto ours
// where the setting exists, and a documented Beats setting the beat does not implement is removed
// before validation and named (one start-up warning lists them all). Anything else unknown stays
// an error, with the closest known key as a suggestion.
import { beatsKeysUnder, closest, isBeatsKey, keyPattern } from './beats-keys';
import type { KeySuggester } from './issues';
import { configPath } from './issues';
import { schemaKeysAt, unwrap, type ZodLike } from './schema-keys';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Beats' level names (`warning`, `critical`) as pino names them. */
const LEVELS: Record<string, string> = { warning: 'warn', critical: 'fatal' };

/** `setup.template.settings.index.*` keys the template schema has at its own level. */
const TEMPLATE_INDEX_KEYS = ['number_of_shards', 'number_of_replicas', 'refresh_interval'];

/**
 * Removes keys whose value is null, at any depth (in list items too, whose own null entries stay),
 * in place. As go-ucfg reads them: a section whose every setting is commented out
 * (`logging.files:` alone in packetbeat.reference.yml, `real_ip_header:` in a protocol) or
 * `key: ~` is not set; processor lists are left as written.
 */
function dropNullKeys(node: Obj): void {
  for (const [k, v] of Object.entries(node)) {
    if (v === null) delete node[k];
    else if (isObj(v)) dropNullKeys(v);
    // In a processor list a null value is the processor with its defaults (`add_cloud_metadata: ~`).
    else if (Array.isArray(v) && k !== 'processors')
      for (const item of v) if (isObj(item)) dropNullKeys(item);
  }
}

/** Rewrites Beats' spellings of settings we implement into ours, in place. */
export function normaliseBeatsLayout(raw: Obj): void {
  dropNullKeys(raw);
  // `fields: []` (an empty list in many stock files) means no fields.
  if (Array.isArray(raw.fields) && raw.fields.length === 0) raw.fields = {};
  if (isObj(raw.logging) && typeof raw.logging.level === 'string')
    raw.logging.level = LEVELS[raw.logging.level] ?? raw.logging.level;
  const setup = raw.setup;
  const settings = isObj(setup) && isObj(setup.template) ? setup.template.settings : undefined;
  if (isObj(settings) && isObj(settings.index)) {
    const index = settings.index;
    for (const k of TEMPLATE_INDEX_KEYS) {
      if (index[k] === undefined) continue;
      settings[k] = k === 'refresh_interval' ? String(index[k]) : index[k];
      delete index[k];
    }
    if (Object.keys(index).length === 0) delete settings.index;
  }
}

interface ZodDefLike {
  shape?: Record<string, unknown>;
  catchall?: { _zod?: { def?: { type?: string } } };
}

/** True when the schema at `path` is a strict object (unknown keys there are refused). */
function isStrictAt(schema: unknown, path: (string | number)[]): boolean {
  let cur = unwrap(schema as ZodLike);
  for (const seg of path) {
    const d = cur?._zod?.def;
    if (d === undefined) return false;
    cur = unwrap(typeof seg === 'number' ? d.element : d.shape?.[seg]);
  }
  const d = cur?._zod?.def as ZodDefLike | undefined;
  return d?.shape !== undefined && d.catchall?._zod?.def?.type === 'never';
}

/**
 * Removes the documented Beats settings the schema does not implement and returns their paths
 * (with the beat's section as written). Walks only strict sections: loose ones check their own keys.
 */
export function stripUnsupported(beatName: string, schema: unknown, raw: Obj): string[] {
  const found: string[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    if (!isObj(node) || !isStrictAt(schema, path)) return;
    const known = new Set(schemaKeysAt(schema, path));
    for (const key of Object.keys(node)) {
      if (known.has(key)) walk(node[key], [...path, key]);
      else if (isBeatsKey(keyPattern(beatName, [...path, key]))) {
        found.push(configPath([...path, key]));
        delete node[key];
      }
    }
  };
  walk(raw, []);
  return found;
}

/** Suggests the closest key the schema or Beats' reference knows at the unknown key's place. */
export function suggester(beatName: string, schema?: unknown): KeySuggester {
  return (path, key) => {
    const candidates = new Set(beatsKeysUnder(keyPattern(beatName, path)));
    if (schema !== undefined) for (const k of schemaKeysAt(schema, path)) candidates.add(k);
    if (path.length === 0) candidates.add(beatName);
    return closest(key, candidates);
  };
}
