// protocol-echo is the analyzer every author copies: it stays short and plain, and its README
// says how long it is.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..');
const sources = readdirSync(join(root, 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(root, 'src', f), 'utf8') }));

/** Lines that are neither blank nor comments. */
function codeLines(text: string): string[] {
  return text.split('\n').filter((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('//') && !t.startsWith('/*') && !t.startsWith('*');
  });
}

describe('protocol-echo as the example to copy', () => {
  const code = sources.flatMap((s) => codeLines(s.text).map((line) => ({ file: s.file, line })));

  it('is at most 60 lines of code over its whole src, and the README says how many', () => {
    expect(code.length).toBeLessThanOrEqual(60);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`${code.length} lines of code`);
  });

  it('has no casts, bit operators, getters or module-level caches', () => {
    const offending = code.filter(({ line }) =>
      [
        /\bas [A-Z{]/,
        /\bas unknown\b/,
        /<[A-Z]\w*>\w/,
        /<<|>>|~|\^|[|&]=|[&|]\s*\d|\d\s*[&|][^&|]|\b[a-z]\w*\s[&|]\s[A-Z_]+\b/,
        /\b[gs]et \w+\(/,
        /new Map\b|new WeakMap\b/,
      ].some((pattern) => pattern.test(line.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''"))),
    );
    expect(offending).toEqual([]);
  });
});
