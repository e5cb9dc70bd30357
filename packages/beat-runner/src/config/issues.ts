import type { z } from 'zod';

/** The closest known key to an unknown `key` under `path`, if one is close. */
export type KeySuggester = (path: readonly (string | number)[], key: string) => string | undefined;

/** Turns zod issues into `path: message` lines; unknown keys are named with their full path. */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: (string | number)[] = [],
  suggest?: KeySuggester,
): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        const hint = suggest?.(path, k);
        const dym = hint === undefined ? '' : ` (did you mean ${configPath([...path, hint])}?)`;
        out.push(`unknown key ${configPath([...path, k])}${dym}`);
      }
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The first branch's complaint is the one users can act on (e.g. the duration format).
      const branch =
        issue.errors.find((e) => e.length > 0 && e[0].code !== 'invalid_type') ?? issue.errors[0];
      out.push(...formatIssues(branch, path, suggest));
    } else {
      out.push(`${configPath(path) || '(top level)'}: ${issue.message}`);
    }
  }
  return out;
}

/** `a.b[0].c` for a path: list indices in brackets, as users read them in messages. */
export function configPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}
