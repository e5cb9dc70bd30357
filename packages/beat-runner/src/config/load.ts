import * as fs from 'fs';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigFileError, ConfigValidationError } from '../errors';
import { formatIssues } from './issues';
import { applyOverride, firstLine, parseOverride } from './overrides';
import { BeatConfig, buildConfigSchema } from './schema';

/** Where the config comes from. */
export interface ConfigSource {
  /** The beat's name: its section in the file (`pb_echo:`). */
  beatName: string;
  /** YAML file (`-c`); without it the built-in defaults apply. */
  file?: string;
  /** `-E key=value` overrides, applied in order after the file. */
  overrides?: string[];
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
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    const at = ` (line ${pos.line}, column ${pos.col})`;
    throw new ConfigFileError(`invalid YAML in ${file}${at}: ${firstLine(e)}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigFileError(
      `config file ${file} must hold a mapping of settings, not a ${Array.isArray(value) ? 'list' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

/** Merges file and overrides and validates the result; throws ConfigFileError / ConfigValidationError / InvalidOverrideError. */
export function loadConfig(src: ConfigSource): BeatConfig {
  const raw = src.file ? readConfigFile(src.file) : {};
  for (const text of src.overrides ?? []) applyOverride(raw, parseOverride(text));
  return validateConfig(src.beatName, raw);
}

/** Validates a raw config object (as read from YAML) for the beat. */
export function validateConfig(beatName: string, raw: Record<string, unknown>): BeatConfig {
  const res = buildConfigSchema(beatName).safeParse(raw);
  if (!res.success) throw new ConfigValidationError(formatIssues(res.error.issues));
  const v = res.data as Record<string, unknown>;
  return {
    beatName,
    beat: v[beatName] as BeatConfig['beat'],
    output: v.output as BeatConfig['output'],
    queue: v.queue as BeatConfig['queue'],
    setup: v.setup as BeatConfig['setup'],
    logging: v.logging as BeatConfig['logging'],
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
