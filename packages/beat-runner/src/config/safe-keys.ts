// Keys that would reach an object's prototype when a config path is walked or merged. Refused
// everywhere (file and -E), so that no setting can change Object.prototype.

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** True for a key that must never be a config key. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}

/** The path (`a.b.__proto__`) of the first forbidden key in a parsed tree, or undefined. */
export function findForbiddenKey(node: unknown, path: string[] = []): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  for (const key of Object.keys(node)) {
    const at = [...path, key];
    if (isForbiddenKey(key)) return at.join('.');
    const found = findForbiddenKey((node as Record<string, unknown>)[key], at);
    if (found !== undefined) return found;
  }
  return undefined;
}
