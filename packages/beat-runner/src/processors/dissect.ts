// `dissect`: splits a string field by a tokenizer (`%{client} - %{+ts} %{+ts} "%{method} %{path}"`)
// into fields, without regular expressions. Beats' key modifiers: `%{+k}` appends (joined with a
// space), `%{?k}` and `%{}` skip, `%{k->}` eats repeated delimiters, `%{*k}`/`%{&k}` take a key
// from one token and its value from another, `%{k|integer}` converts (integer, long, float,
// double, boolean, string, ip).
import { ProcessorConfigError } from '../errors';
import { checkKeys, flag } from './field-processors';
import { getField, setField } from './field-path';
import type { Processor } from './processor';
import { CONVERT_TYPES, convertValue } from './value-processors';

type Obj = Record<string, unknown>;

interface Token {
  name: string;
  kind: 'plain' | 'append' | 'skip' | 'key' | 'value';
  padded: boolean;
  type?: string;
  /** Literal text between this key and the next (empty for the last key: the rest is taken). */
  delimiter: string;
}

/** Parses a tokenizer into its leading literal and keys; throws on a malformed one. */
export function parseTokenizer(text: string, where: string): { prefix: string; tokens: Token[] } {
  const re = /%\{([^}]*)\}/g;
  const tokens: Token[] = [];
  let last = 0;
  let prefix = '';
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const literal = text.slice(last, m.index);
    if (tokens.length === 0) prefix = literal;
    else {
      if (literal === '')
        throw new ProcessorConfigError(`${where}: two keys without a delimiter between them`);
      tokens[tokens.length - 1].delimiter = literal;
    }
    tokens.push(parseKey(m[1]));
    last = re.lastIndex;
  }
  if (tokens.length === 0) throw new ProcessorConfigError(`${where}: the tokenizer has no %{key}`);
  tokens[tokens.length - 1].delimiter = text.slice(last);
  return { prefix, tokens };
}

function parseKey(raw: string): Token {
  let body = raw;
  const padded = body.endsWith('->');
  if (padded) body = body.slice(0, -2);
  let type: string | undefined;
  const bar = body.indexOf('|');
  if (bar >= 0) [body, type] = [body.slice(0, bar), body.slice(bar + 1)];
  const c = body[0];
  const kind =
    body === '' || c === '?'
      ? 'skip'
      : c === '+'
        ? 'append'
        : c === '*'
          ? 'key'
          : c === '&'
            ? 'value'
            : 'plain';
  const name = kind === 'plain' || body === '' ? body : body.slice(1);
  return { name, kind, padded, type, delimiter: '' };
}

/** Splits `s` by the tokenizer: the fields found, or undefined when it does not match. */
export function dissectString(
  s: string,
  t: { prefix: string; tokens: Token[] },
  trim: (v: string) => string,
): Record<string, unknown> | undefined {
  if (!s.startsWith(t.prefix)) return undefined;
  let pos = t.prefix.length;
  const out: Record<string, unknown> = {};
  const refKeys: Record<string, string> = {};
  const refValues: Record<string, string> = {};
  for (const tok of t.tokens) {
    let value: string;
    if (tok.delimiter === '') {
      value = s.slice(pos);
      pos = s.length;
    } else {
      const at = s.indexOf(tok.delimiter, pos);
      if (at < 0) return undefined;
      value = s.slice(pos, at);
      pos = at + tok.delimiter.length;
      if (tok.padded) while (s.startsWith(tok.delimiter, pos)) pos += tok.delimiter.length;
    }
    value = trim(value);
    if (tok.kind === 'skip') continue;
    if (tok.kind === 'key') refKeys[tok.name] = value;
    else if (tok.kind === 'value') refValues[tok.name] = value;
    else if (tok.kind === 'append' && typeof out[tok.name] === 'string') out[tok.name] += ` ${value}`;
    else out[tok.name] = value;
  }
  for (const [ref, key] of Object.entries(refKeys)) if (ref in refValues) out[key] = refValues[ref];
  for (const tok of t.tokens) {
    if (tok.type === undefined || !(tok.name in out)) continue;
    const v = convertValue(out[tok.name], tok.type as Parameters<typeof convertValue>[1]);
    if (v instanceof Error) return undefined;
    out[tok.name] = v;
  }
  return out;
}

const TRIMS = ['none', 'left', 'right', 'all'];

/** `dissect: {tokenizer, field: message, target_prefix: dissect, ...}` as in Beats. */
export function dissect(opts: Obj, where: string): Processor {
  checkKeys(
    opts,
    [
      'tokenizer',
      'field',
      'target_prefix',
      'ignore_failure',
      'overwrite_keys',
      'trim_values',
      'trim_chars',
      'tag',
    ],
    where,
  );
  if (typeof opts.tokenizer !== 'string' || opts.tokenizer === '')
    throw new ProcessorConfigError(`${where}.tokenizer: expects a pattern such as "%{key1} %{key2}"`);
  const parsed = parseTokenizer(opts.tokenizer, `${where}.tokenizer`);
  for (const tok of parsed.tokens)
    if (tok.type !== undefined && !(CONVERT_TYPES as readonly string[]).includes(tok.type))
      throw new ProcessorConfigError(
        `${where}.tokenizer: unknown type ${tok.type} in %{${tok.name}|${tok.type}}`,
      );
  const field = typeof opts.field === 'string' ? opts.field : 'message';
  const prefix = typeof opts.target_prefix === 'string' ? opts.target_prefix : 'dissect';
  const ignoreFailure = flag(opts, 'ignore_failure', false, where);
  const overwrite = flag(opts, 'overwrite_keys', false, where);
  const trimMode = opts.trim_values ?? 'none';
  if (typeof trimMode !== 'string' || !TRIMS.includes(trimMode))
    throw new ProcessorConfigError(`${where}.trim_values: expects one of ${TRIMS.join(', ')}`);
  const chars = typeof opts.trim_chars === 'string' ? opts.trim_chars : ' ';
  const trim = (v: string): string => {
    let a = 0;
    let b = v.length;
    if (trimMode === 'left' || trimMode === 'all') while (a < b && chars.includes(v[a])) a++;
    if (trimMode === 'right' || trimMode === 'all') while (b > a && chars.includes(v[b - 1])) b--;
    return v.slice(a, b);
  };
  const failed = (e: Obj, why: string) => {
    if (ignoreFailure) return true;
    const flags = getField(e, 'log.flags');
    const list = Array.isArray(flags) ? flags : [];
    if (!list.includes('dissect_parsing_error')) setField(e, 'log.flags', [...list, 'dissect_parsing_error']);
    return why;
  };
  return {
    kind: 'dissect',
    run: (e) => {
      const v = getField(e, field);
      if (typeof v !== 'string') return failed(e, `field ${field} is missing or not a string`);
      const found = dissectString(v, parsed, trim);
      if (found === undefined)
        return failed(
          e,
          `could not find delimiter in field ${field} with tokenizer ${String(opts.tokenizer)}`,
        );
      const names = Object.keys(found).map((k) => (prefix === '' ? k : `${prefix}.${k}`));
      if (!overwrite) {
        const taken = names.find((n) => getField(e, n) !== undefined);
        if (taken !== undefined) return failed(e, `cannot override existing key with ${taken}`);
      }
      Object.values(found).forEach((val, i) => setField(e, names[i], val));
      return true;
    },
  };
}
