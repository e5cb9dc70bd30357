// Edits to files that already exist in the target: the repository's TypeScript references, a
// beat's entry point and its package.json. Each returns the new text, or null when nothing changes.

/** Adds `{ "path": refPath }` to a tsconfig's `references` array, keeping the file's layout. */
export function addTsconfigReference(text: string, refPath: string): string | null {
  const parsed = JSON.parse(text) as { references?: Array<{ path: string }> };
  if (parsed.references?.some((ref) => ref.path.replace(/\/$/, '') === refPath)) return null;
  const open = /"references"\s*:\s*\[/.exec(text);
  if (!open) {
    parsed.references = [{ path: refPath }];
    return JSON.stringify(parsed, null, 2) + '\n';
  }
  const close = findClosingBracket(text, open.index + open[0].length - 1);
  const inside = text.slice(open.index + open[0].length, close);
  const entry = `{ "path": ${JSON.stringify(refPath)} }`;
  if (inside.trim() === '') return text.slice(0, close) + entry + text.slice(close);
  const lastNonSpace = open.index + open[0].length + inside.trimEnd().length;
  if (!inside.includes('\n')) return text.slice(0, lastNonSpace) + `, ${entry}` + text.slice(lastNonSpace);
  const indent = /\n([ \t]*)\S[^\n]*\s*$/.exec(inside)?.[1] ?? ' ';
  return text.slice(0, lastNonSpace) + `,\n${indent}${entry}` + text.slice(lastNonSpace);
}

/** Index of the `]` matching the `[` at `openIndex` (strings and comments are not expected here). */
function findClosingBracket(text: string, openIndex: number): number {
  let depth = 0;
  for (let i = openIndex; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[' || ch === '{' || ch === '(') depth++;
    else if (ch === ']' || ch === '}' || ch === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error('unbalanced brackets');
}

/**
 * Registers a protocol module in a beat's entry point: an import after the last import and the
 * module added to the `protocols: [...]` list passed to runBeat. Null when there is no such list.
 */
export function registerProtocolInEntry(text: string, exportName: string, importPath: string): string | null {
  const list = /\bprotocols\s*:\s*\[/.exec(text);
  if (!list) return null;
  const close = findClosingBracket(text, list.index + list[0].length - 1);
  const inside = text.slice(list.index + list[0].length, close);
  const trimmed = inside.trimEnd();
  const separator = trimmed.trim() === '' ? '' : trimmed.endsWith(',') ? ' ' : ', ';
  const insertAt = list.index + list[0].length + trimmed.length;
  let out = text.slice(0, insertAt) + separator + exportName + text.slice(insertAt);
  const importLine = `import { ${exportName} } from '${importPath}';\n`;
  let lastImportEnd = 0;
  for (const match of out.matchAll(/^import\b[^;]*;[^\n]*\n/gm))
    lastImportEnd = match.index + match[0].length;
  out = out.slice(0, lastImportEnd) + importLine + out.slice(lastImportEnd);
  return out;
}

/** Adds missing dependencies to a package.json text (existing entries are kept as they are). */
export function addDependencies(
  text: string,
  dependencies: Record<string, string>,
  devDependencies: Record<string, string>,
): string | null {
  const pkg = JSON.parse(text) as Record<string, Record<string, string> | unknown>;
  let changed = false;
  const merge = (field: 'dependencies' | 'devDependencies', wanted: Record<string, string>): void => {
    const current = { ...((pkg[field] as Record<string, string> | undefined) ?? {}) };
    for (const [name, range] of Object.entries(wanted)) {
      const alreadyThere = (pkg.dependencies as Record<string, string> | undefined)?.[name] ?? current[name];
      if (alreadyThere === undefined) {
        current[name] = range;
        changed = true;
      }
    }
    if (Object.keys(current).length > 0) {
      pkg[field] = Object.fromEntries(Object.entries(current).sort(([a], [b]) => a.localeCompare(b)));
    }
  };
  merge('dependencies', dependencies);
  merge('devDependencies', devDependencies);
  return changed ? JSON.stringify(pkg, null, 2) + '\n' : null;
}
