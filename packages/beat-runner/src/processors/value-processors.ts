// copy_fields, truncate_fields, replace, convert: Beats' processors that change field values. All
// share libbeat's failure rule: `fail_on_error` (default true) restores the event as it was before
// the processor and sets error.message; with false the failing field is skipped. A missing source
// field is a failure unless `ignore_missing` (default false).
import net from 'net';
import { ProcessorConfigError } from '../errors';
import { checkKeys, flag } from './field-processors';
import { deleteField, getField, isObj, replaceFields, setField } from './field-path';
import type { Processor, ProcessorResult } from './processor';

type Obj = Record<string, unknown>;

/** `fields:` as a list of mappings, each with the string keys `required`. */
function entries(opts: Obj, where: string, required: string[], shape: string): Obj[] {
  const list = opts.fields;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((p) => isObj(p) && required.every((k) => typeof p[k] === 'string' && p[k] !== ''))
  )
    throw new ProcessorConfigError(`${where}.fields: expects a list of ${shape}`);
  return list as Obj[];
}

/** Runs `one` on each entry with libbeat's failure handling; `one` returns why it failed, if it did. */
function withFailures<T>(
  kind: string,
  opts: Obj,
  where: string,
  list: T[],
  one: (e: Obj, item: T, ignoreMissing: boolean) => string | undefined,
): Processor {
  const ignoreMissing = flag(opts, 'ignore_missing', false, where);
  const failOnError = flag(opts, 'fail_on_error', true, where);
  return {
    kind,
    run: (e): ProcessorResult => {
      const backup = failOnError ? structuredClone(e) : undefined;
      let failure: string | undefined;
      for (const item of list) {
        const why = one(e, item, ignoreMissing);
        if (why === undefined) continue;
        failure ??= why;
        if (backup !== undefined) {
          replaceFields(e, backup);
          setField(e, 'error.message', why);
          return why;
        }
      }
      return failure ?? true;
    },
  };
}

/** `copy_fields: {fields: [{from, to}]}`: copies a value; an existing target is never overwritten. */
export function copyFields(opts: Obj, where: string): Processor {
  checkKeys(opts, ['fields', 'ignore_missing', 'fail_on_error'], where);
  const list = entries(opts, where, ['from', 'to'], '{from: field, to: field}');
  return withFailures('copy_fields', opts, where, list, (e, p, ignoreMissing) => {
    const from = p.from as string;
    const to = p.to as string;
    const v = getField(e, from);
    if (v === undefined)
      return ignoreMissing ? undefined : `could not fetch value for key: ${from}: key not found`;
    if (getField(e, to) !== undefined)
      return `target field ${to} already exists, drop or rename this field first`;
    setField(e, to, structuredClone(v));
    return undefined;
  });
}

/** The longest prefix of `s` whose UTF-8 form fits in `max` bytes (never half a character). */
function cutBytes(s: string, max: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= max) return s;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to a character boundary.
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * `truncate_fields: {fields: [...], max_bytes | max_characters}`: shortens string values; a
 * shortened event gets `truncated` in log.flags (as libbeat marks it).
 */
export function truncateFields(opts: Obj, where: string): Processor {
  checkKeys(opts, ['fields', 'max_bytes', 'max_characters', 'ignore_missing', 'fail_on_error'], where);
  const fields = opts.fields;
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && f))
    throw new ProcessorConfigError(`${where}.fields: expects a list of field names`);
  const { max_bytes: bytes, max_characters: chars } = opts;
  if ((bytes === undefined) === (chars === undefined))
    throw new ProcessorConfigError(`${where}: set exactly one of max_bytes and max_characters`);
  const limit = (bytes ?? chars) as unknown;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)
    throw new ProcessorConfigError(
      `${where}.${bytes !== undefined ? 'max_bytes' : 'max_characters'}: expects a positive integer`,
    );
  const cut =
    bytes !== undefined ? (s: string) => cutBytes(s, limit) : (s: string) => [...s].slice(0, limit).join('');
  return withFailures('truncate_fields', opts, where, fields as string[], (e, f, ignoreMissing) => {
    const v = getField(e, f);
    if (v === undefined)
      return ignoreMissing ? undefined : `could not fetch value for key: ${f}: key not found`;
    if (typeof v !== 'string') return `value of field ${f} is not a string: cannot truncate`;
    const short = cut(v);
    if (short === v) return undefined;
    setField(e, f, short);
    const flags = getField(e, 'log.flags');
    const list = Array.isArray(flags) ? flags : [];
    if (!list.includes('truncated')) setField(e, 'log.flags', [...list, 'truncated']);
    return undefined;
  });
}

/** `replace: {fields: [{field, pattern, replacement}]}`: every match of the regexp is replaced. */
export function replace(opts: Obj, where: string): Processor {
  checkKeys(opts, ['fields', 'ignore_missing', 'fail_on_error'], where);
  const list = opts.fields;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every(
      (p) =>
        isObj(p) &&
        typeof p.field === 'string' &&
        typeof p.pattern === 'string' &&
        typeof p.replacement === 'string',
    )
  )
    throw new ProcessorConfigError(`${where}.fields: expects a list of {field, pattern, replacement}`);
  const compiled = (list as Obj[]).map((p, i) => {
    try {
      return {
        field: p.field as string,
        re: new RegExp(p.pattern as string, 'g'),
        to: goReplacement(p.replacement as string),
      };
    } catch (err) {
      throw new ProcessorConfigError(
        `${where}.fields.${i}.pattern: invalid regular expression: ${(err as Error).message}`,
      );
    }
  });
  return withFailures('replace', opts, where, compiled, (e, p, ignoreMissing) => {
    const v = getField(e, p.field);
    if (v === undefined)
      return ignoreMissing ? undefined : `could not fetch value for key: ${p.field}: key not found`;
    if (typeof v !== 'string') return `value of field ${p.field} is not a string: cannot replace`;
    setField(e, p.field, v.replace(p.re, p.to));
    return undefined;
  });
}

/** Go's `$1` / `${name}` replacement syntax as JavaScript's (`$$` stays a dollar in both). */
function goReplacement(s: string): string {
  return s.replace(/\$\{(\w+)\}/g, (_, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`));
}

/** The types `convert` and dissect's `|type` know. */
export const CONVERT_TYPES = ['integer', 'long', 'float', 'double', 'boolean', 'string', 'ip'] as const;
type ConvertType = (typeof CONVERT_TYPES)[number];

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** The value as `type` (Go's strconv rules: `1.5` is not an integer), or an Error saying why not. */
export function convertValue(v: unknown, type: ConvertType): unknown {
  const text = typeof v === 'string' ? v.trim() : v;
  switch (type) {
    case 'integer':
    case 'long': {
      if (typeof text === 'number' && Number.isFinite(text)) return Math.trunc(text);
      if (typeof text === 'boolean') return text ? 1 : 0;
      if (typeof text === 'string' && /^[+-]?(\d+|0x[0-9a-f]+)$/i.test(text))
        return Number(text.replace(/^\+/, ''));
      break;
    }
    case 'float':
    case 'double': {
      if (typeof text === 'number') return text;
      if (typeof text === 'boolean') return text ? 1 : 0;
      if (typeof text === 'string' && text !== '' && !Number.isNaN(Number(text))) return Number(text);
      break;
    }
    case 'boolean': {
      if (typeof text === 'boolean') return text;
      if (typeof text === 'number') return text !== 0;
      if (typeof text === 'string' && TRUE_WORDS.has(text)) return true;
      if (typeof text === 'string' && FALSE_WORDS.has(text)) return false;
      break;
    }
    case 'string':
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      break;
    case 'ip':
      if (typeof text === 'string' && net.isIP(text) !== 0) return text;
      break;
  }
  return new Error(`unable to convert value [${JSON.stringify(v)}]: to ${type}`);
}

/**
 * `convert: {fields: [{from, to?, type}], mode: copy|rename}`: converts a value's type in place, or
 * into `to` (copying, or moving with mode rename).
 */
export function convert(opts: Obj, where: string): Processor {
  checkKeys(opts, ['fields', 'ignore_missing', 'fail_on_error', 'mode', 'tag'], where);
  const list = entries(opts, where, ['from'], '{from: field, to?: field, type}');
  for (const [i, p] of list.entries()) {
    if (p.type !== undefined && !CONVERT_TYPES.includes(p.type as ConvertType))
      throw new ProcessorConfigError(`${where}.fields.${i}.type: expects one of ${CONVERT_TYPES.join(', ')}`);
    if (p.to !== undefined && (typeof p.to !== 'string' || p.to === ''))
      throw new ProcessorConfigError(`${where}.fields.${i}.to: expects a field name`);
  }
  const mode = opts.mode ?? 'copy';
  if (mode !== 'copy' && mode !== 'rename')
    throw new ProcessorConfigError(`${where}.mode: expects copy or rename`);
  return withFailures('convert', opts, where, list, (e, p, ignoreMissing) => {
    const from = p.from as string;
    const v = getField(e, from);
    if (v === undefined) return ignoreMissing ? undefined : `field [${from}] is missing`;
    const out = p.type === undefined ? v : convertValue(v, p.type as ConvertType);
    if (out instanceof Error) return `${out.message} (field ${from})`;
    const to = (p.to as string | undefined) ?? from;
    if (mode === 'rename' && to !== from) deleteField(e, from);
    setField(e, to, out);
    return undefined;
  });
}
