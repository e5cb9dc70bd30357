// Beats format strings: `%{[field.path]}` (or `%{[field]:fallback}`) replaced by the event's value.
import { OutputConfigError } from '../../errors';

/** A compiled format string: the text for an event, or undefined when a field is missing. */
export type Formatter = (fields: Record<string, unknown>) => string | undefined;

const PART = /%\{\[([^\]]+)\](?::([^}]*))?\}/g;

/** The value at a dotted path (`a.b` reads `{a: {b}}` or the flat key `a.b`). */
function lookup(fields: Record<string, unknown>, dotted: string): unknown {
  if (dotted in fields) return fields[dotted];
  let cur: unknown = fields;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Compiles `spec`; `where` names the setting in errors. */
export function compileFormat(spec: string, where: string): Formatter {
  const rest = spec.replace(PART, '');
  if (rest.includes('%{'))
    throw new OutputConfigError(
      `${where}: ${JSON.stringify(spec)}: only %{[field]} and %{[field]:default} are supported`,
    );
  const parts: Array<string | { field: string; fallback?: string }> = [];
  let last = 0;
  for (const m of spec.matchAll(PART)) {
    if (m.index > last) parts.push(spec.slice(last, m.index));
    parts.push({ field: m[1], fallback: m[2] });
    last = m.index + m[0].length;
  }
  if (last < spec.length) parts.push(spec.slice(last));
  if (parts.every((p) => typeof p === 'string')) return () => spec;
  return (fields) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const v = lookup(fields, p.field);
      if (v === undefined || v === null || typeof v === 'object') {
        if (p.fallback === undefined) return undefined;
        out += p.fallback;
      } else out += String(v);
    }
    return out;
  };
}

export { lookup as fieldValue };
