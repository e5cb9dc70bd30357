// add_fields, drop_event, drop_fields, include_fields, rename: Beats' processors on event fields.
import { ProcessorConfigError } from '../errors';
import { deepMerge, deleteField, getField, isObj, replaceFields, setField } from './field-path';
import type { Processor } from './processor';

type Obj = Record<string, unknown>;

function fieldList(opts: Obj, where: string): string[] {
  const f = opts.fields;
  if (!Array.isArray(f) || f.length === 0 || !f.every((x) => typeof x === 'string' && x !== ''))
    throw new ProcessorConfigError(`${where}.fields: expects a list of field names`);
  return f as string[];
}

/** Refuses options other than `allowed` (and `when`), naming the allowed ones. */
export function checkKeys(opts: Obj, allowed: string[], where: string): void {
  for (const k of Object.keys(opts))
    if (!allowed.includes(k) && k !== 'when')
      throw new ProcessorConfigError(
        `${where}: unknown option ${k} (allowed: ${[...allowed, 'when'].join(', ')})`,
      );
}

/** `add_fields: {target: project, fields: {name: x}}`; target defaults to `fields`, '' is the root. */
export function addFields(opts: Obj, where: string): Processor {
  checkKeys(opts, ['target', 'fields'], where);
  if (!isObj(opts.fields))
    throw new ProcessorConfigError(`${where}.fields: expects a mapping of fields to add`);
  const target = opts.target === undefined ? 'fields' : opts.target;
  if (typeof target !== 'string') throw new ProcessorConfigError(`${where}.target: expects a field name`);
  const fields = opts.fields;
  return {
    kind: 'add_fields',
    run: (e) => {
      if (target === '') deepMerge(e, fields);
      else {
        const cur = getField(e, target);
        if (isObj(cur)) deepMerge(cur, fields);
        else setField(e, target, structuredClone(fields));
      }
      return true;
    },
  };
}

/** `drop_event` (normally with a `when`). */
export function dropEvent(opts: Obj, where: string): Processor {
  checkKeys(opts, [], where);
  return { kind: 'drop_event', run: () => false };
}

/** A boolean option, or its default. */
export function flag(opts: Obj, key: string, fallback: boolean, where: string): boolean {
  const v = opts[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new ProcessorConfigError(`${where}.${key}: expects true or false`);
  return v;
}

/**
 * `drop_fields: {fields: [...], ignore_missing}`; `@timestamp` and `type` are never dropped (as in
 * Beats). A missing field is a failure unless `ignore_missing` (default false); the others are
 * dropped all the same.
 */
export function dropFields(opts: Obj, where: string): Processor {
  checkKeys(opts, ['fields', 'ignore_missing'], where);
  const ignoreMissing = flag(opts, 'ignore_missing', false, where);
  const fields = fieldList(opts, where).filter((f) => f !== '@timestamp' && f !== 'type');
  return {
    kind: 'drop_fields',
    run: (e) => {
      let missing: string[] | undefined;
      for (const f of fields) if (!deleteField(e, f) && !ignoreMissing) (missing ??= []).push(f);
      return missing === undefined ? true : `failed to drop fields [${missing.join(', ')}]: key not found`;
    },
  };
}

/** `include_fields: {fields: [...]}`: keeps only these (and `@timestamp`, `type`). */
export function includeFields(opts: Obj, where: string): Processor {
  checkKeys(opts, ['fields'], where);
  const fields = [...new Set(['@timestamp', 'type', ...fieldList(opts, where)])];
  return {
    kind: 'include_fields',
    run: (e) => {
      const kept: Obj = {};
      for (const f of fields) {
        const v = getField(e, f);
        if (v !== undefined) setField(kept, f, v);
      }
      replaceFields(e, kept);
      return true;
    },
  };
}

/**
 * `rename: {fields: [{from: a, to: b}], ignore_missing, fail_on_error}` as in Beats: an existing
 * target is never overwritten, a missing source is a failure unless `ignore_missing` (default
 * false). On a failure, `fail_on_error` (default true) restores the event as it was before this
 * processor and sets `error.message`; with `fail_on_error: false` the failing pair is skipped.
 */
export function rename(opts: Obj, where: string): Processor {
  checkKeys(opts, ['fields', 'ignore_missing', 'fail_on_error'], where);
  const ignoreMissing = flag(opts, 'ignore_missing', false, where);
  const failOnError = flag(opts, 'fail_on_error', true, where);
  const pairs = opts.fields;
  if (
    !Array.isArray(pairs) ||
    pairs.length === 0 ||
    !pairs.every((p) => isObj(p) && typeof p.from === 'string' && typeof p.to === 'string' && p.from && p.to)
  )
    throw new ProcessorConfigError(`${where}.fields: expects a list of {from: field, to: field}`);
  const list = pairs as Array<{ from: string; to: string }>;
  return {
    kind: 'rename',
    run: (e) => {
      const backup = failOnError ? structuredClone(e) : undefined;
      let failure: string | undefined;
      for (const { from, to } of list) {
        const why = renameOne(e, from, to, ignoreMissing);
        if (why === undefined) continue;
        failure ??= `Failed to rename fields in processor: ${why}`;
        if (backup !== undefined) {
          replaceFields(e, backup);
          setField(e, 'error.message', failure);
          return failure;
        }
      }
      return failure ?? true;
    },
  };
}

/** Renames one field; undefined when done (or ignored), else why it could not. */
function renameOne(e: Obj, from: string, to: string, ignoreMissing: boolean): string | undefined {
  if (getField(e, to) !== undefined)
    return `target field ${to} already exists, drop or rename this field first`;
  const v = getField(e, from);
  if (v === undefined)
    return ignoreMissing ? undefined : `could not fetch value for key: ${from}: key not found`;
  // Deleted first, so that `a` can become `a.b`.
  deleteField(e, from);
  setField(e, to, v);
  return undefined;
}
