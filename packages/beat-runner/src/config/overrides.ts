import { yaml } from './yaml';
import { InvalidOverrideError } from '../errors';
import { findForbiddenKey, isForbiddenKey } from './safe-keys';

/** One parsed `-E key=value` override. */
export interface ConfigOverride {
  path: string[];
  value: unknown;
}

/** Parses `a.b.c=value`; the value is YAML (`-E 'x.ports=[1,2]'`), an empty value is the empty string. */
export function parseOverride(text: string): ConfigOverride {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidOverrideError(`-E expects key=value, got ${JSON.stringify(text)}`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  const path = key.split('.');
  if (path.some((p) => p === '')) throw new InvalidOverrideError(`-E ${key}: empty segment in the key`);
  const forbidden = path.find(isForbiddenKey);
  if (forbidden !== undefined) {
    throw new InvalidOverrideError(`-E ${key}: "${forbidden}" is not allowed as a config key`);
  }
  let value: unknown = raw;
  if (raw.trim() !== '') {
    try {
      value = yaml().parse(raw);
    } catch (err) {
      throw new InvalidOverrideError(`-E ${key}: value is not valid YAML: ${firstLine(err)}`);
    }
    const inValue = findForbiddenKey(value);
    if (inValue !== undefined) {
      throw new InvalidOverrideError(`-E ${key}: "${inValue}" in the value is not allowed as a config key`);
    }
  }
  return { path, value };
}

/** Sets the override's value in the config tree, creating objects on the way; numeric segments index arrays. */
export function applyOverride(root: Record<string, unknown>, o: ConfigOverride): void {
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < o.path.length; i++) {
    const seg = o.path[i];
    const last = i === o.path.length - 1;
    if (Array.isArray(node)) {
      const idx = Number(seg);
      if (!/^\d+$/.test(seg) || idx > node.length) {
        throw new InvalidOverrideError(
          `-E ${o.path.join('.')}: ${o.path.slice(0, i).join('.')} is a list, ${seg} is not an index in it`,
        );
      }
      if (last) node[idx] = o.value;
      else node = descend(node, idx, o, i);
    } else {
      if (last) node[seg] = o.value;
      else node = descend(node, seg, o, i);
    }
  }
}

function descend(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  o: ConfigOverride,
  i: number,
) {
  const rec = container as Record<string | number, unknown>;
  const cur = rec[key];
  if (cur === undefined || cur === null) {
    // `protocols.0.type=echo` on a missing list starts the list.
    const created = /^\d+$/.test(o.path[i + 1]) ? [] : {};
    rec[key] = created;
    return created;
  }
  if (typeof cur !== 'object') {
    throw new InvalidOverrideError(
      `-E ${o.path.join('.')}: ${o.path.slice(0, i + 1).join('.')} is a ${typeof cur}, not a section`,
    );
  }
  return cur as Record<string, unknown> | unknown[];
}

/** First line of an error message (YAML errors carry a code excerpt after it). */
export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].trim();
}
