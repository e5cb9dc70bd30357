import fs from 'fs';
import { yaml } from './yaml';
import { ConfigFileError, ConfigValidationError } from '../errors';
import { expandEnvVars, type TypedExpansion } from './env-vars';
import { formatIssues } from './issues';
import { normaliseBeatsLayout, stripUnsupported, suggester } from './beats-compat';
import { expandDottedKeys } from './dotted';
import { applyOverride, firstLine, parseOverride } from './overrides';
import { findForbiddenKey } from './safe-keys';
import { BeatConfig, buildConfigSchema } from './schema';

/** Where the config comes from. */
export interface ConfigSource {
  /** The beat's name: its section in the file (`pb_echo:`). */
  beatName: string;
  /** YAML file (`-c`); without it the built-in defaults apply. */
  file?: string;
  /** `-E key=value` overrides, applied in order after the file. */
  overrides?: string[];
  /** Where `${VAR}` references are looked up (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Reads a YAML config file into a plain object; an empty file is an empty config. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : firstLine(err);
    throw new ConfigFileError(`cannot read config file ${file}: ${why}`);
  }
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    const at = ` (line ${pos.line}, column ${pos.col})`;
    throw new ConfigFileError(`invalid YAML in ${file}${at}: ${firstLine(e)}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  const forbidden = findForbiddenKey(value);
  if (forbidden !== undefined) {
    throw new ConfigFileError(
      `config file ${file}: key ${forbidden} is not allowed ("${forbidden.split('.').pop()}")`,
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigFileError(
      `config file ${file} must hold a mapping of settings, not a ${Array.isArray(value) ? 'list' : typeof value}`,
    );
  }
  return expandDottedKeys(value) as Record<string, unknown>;
}

/** Merges file and overrides and validates the result; throws ConfigFileError / ConfigValidationError / InvalidOverrideError. */
export function loadConfig(src: ConfigSource): BeatConfig {
  const raw = src.file ? readConfigFile(src.file) : {};
  for (const text of src.overrides ?? []) applyOverride(raw, parseOverride(text));
  const whole = expandEnvVars(raw, src.env ?? process.env);
  return validateExpanded(src.beatName, raw, whole);
}

/**
 * A value that was one whole reference is first typed as YAML would type it (`${PORT}` -> 9200,
 * `${ON:false}` -> false); where the schema then wants text (a numeric password) it stays text.
 */
function validateExpanded(
  beatName: string,
  raw: Record<string, unknown>,
  whole: TypedExpansion[],
): BeatConfig {
  const schema = buildConfigSchema(beatName);
  const typed = whole.filter((w) => setAt(raw, w.path, typedScalar(w.text)));
  normaliseBeatsLayout(raw);
  const unsupported = stripUnsupported(beatName, schema, raw);
  let res = schema.safeParse(raw);
  if (!res.success && typed.length > 0) {
    const issues = res.error.issues;
    const refused = typed.filter((w) => issues.some((i) => samePath(i.path, w.path)));
    for (const w of refused) setAt(raw, w.path, w.text);
    if (refused.length > 0) res = schema.safeParse(raw);
  }
  return toBeatConfig(beatName, res, unsupported);
}

function samePath(a: readonly PropertyKey[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((seg, i) => String(seg) === String(b[i]));
}

/** The YAML scalar a text reads as (number, boolean, null), or the text itself. */
function typedScalar(text: string): unknown {
  try {
    const v: unknown = yaml().parse(text);
    return v === null || typeof v === 'object' ? text : v;
  } catch {
    return text;
  }
}

/** Sets a value at a path of the tree; true when it changed it. */
function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): boolean {
  let node = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) {
    node = node[seg] as Record<string | number, unknown>;
    if (typeof node !== 'object' || node === null) return false;
  }
  const last = path[path.length - 1];
  if (node[last] === value) return false;
  node[last] = value;
  return true;
}

/** Validates a raw config object (as read from YAML) for the beat. */
export function validateConfig(beatName: string, raw: Record<string, unknown>): BeatConfig {
  const schema = buildConfigSchema(beatName);
  const tree = expandDottedKeys(raw) as Record<string, unknown>;
  normaliseBeatsLayout(tree);
  const unsupported = stripUnsupported(beatName, schema, tree);
  return toBeatConfig(beatName, schema.safeParse(tree), unsupported);
}

function toBeatConfig(
  beatName: string,
  res: ReturnType<ReturnType<typeof buildConfigSchema>['safeParse']>,
  unsupported: string[],
): BeatConfig {
  if (!res.success)
    throw new ConfigValidationError(
      formatIssues(res.error.issues, [], suggester(beatName, buildConfigSchema(beatName))),
    );
  const v = res.data as Record<string, unknown>;
  return {
    beatName,
    beat: v[beatName] as BeatConfig['beat'],
    output: v.output as BeatConfig['output'],
    queue: v.queue as BeatConfig['queue'],
    setup: v.setup as BeatConfig['setup'],
    logging: v.logging as BeatConfig['logging'],
    unsupported,
    beats: {
      name: v.name as string | undefined,
      tags: v.tags as string[],
      fields: v.fields as Record<string, unknown>,
      fields_under_root: v.fields_under_root as boolean,
      processors: v.processors as Array<Record<string, unknown>>,
      path: v.path as BeatConfig['beats']['path'],
      http: v.http as BeatConfig['beats']['http'],
    },
  };
}
