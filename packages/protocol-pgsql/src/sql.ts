// The statements of a simple query. PostgreSQL runs each `;`-separated statement of a Query
// message in turn and answers each with its own result, so the analyzer splits the text the same
// way: outside quoted strings ('...', E'...', "..."), dollar quotes ($tag$...$tag$) and comments
// (-- and nested /* */), which Packetbeat's plain split on `;` does not respect.

/** The statements of `sql`, trimmed, empty ones left out; [''] when there is none (EmptyQueryResponse). */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  const push = (end: number) => {
    const s = sql.slice(start, end).trim();
    if (s !== '' && hasCode(s)) out.push(s);
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 0x3b /* ; */) {
      push(i);
      start = ++i;
    } else if (c === 0x27 /* ' */) {
      const escapes = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !wordChar(sql.charCodeAt(i - 2));
      i = endOfQuoted(sql, i + 1, 0x27, escapes);
    } else if (c === 0x22 /* " */) i = endOfQuoted(sql, i + 1, 0x22, false);
    else if (c === 0x2d /* - */ && sql.charCodeAt(i + 1) === 0x2d) {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === 0x2f /* / */ && sql.charCodeAt(i + 1) === 0x2a) i = endOfComment(sql, i);
    else if (c === 0x24 /* $ */ && !wordChar(sql.charCodeAt(i - 1))) i = endOfDollar(sql, i);
    else i++;
  }
  push(n);
  return out.length === 0 ? [''] : out;
}

/** Packetbeat's method of a statement: its first word, upper-case (comments before it skipped). */
export function methodOf(sql: string): string {
  const s = skipComments(sql, 0);
  let e = s;
  while (e < sql.length && wordChar(sql.charCodeAt(e))) e++;
  return sql.slice(s, e).toUpperCase();
}

function wordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** Whether a statement holds anything besides comments and blanks. */
function hasCode(s: string): boolean {
  return skipComments(s, 0) < s.length;
}

/** The first index at or after `i` that is neither blank nor inside a comment. */
function skipComments(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x28) i++;
    else if (c === 0x2d && s.charCodeAt(i + 1) === 0x2d) {
      const eol = s.indexOf('\n', i);
      i = eol < 0 ? s.length : eol + 1;
    } else if (c === 0x2f && s.charCodeAt(i + 1) === 0x2a) i = endOfComment(s, i);
    else break;
  }
  return i;
}

/** Past the closing quote of a string opened before `i` (a doubled quote stays inside). */
function endOfQuoted(s: string, i: number, quote: number, backslashes: boolean): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (backslashes && c === 0x5c) i += 2;
    else if (c === quote) {
      if (s.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else i++;
  }
  return s.length;
}

/** Past the end of the (nested) block comment starting at `i`. */
function endOfComment(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s.charCodeAt(i) === 0x2f && s.charCodeAt(i + 1) === 0x2a) {
      depth++;
      i += 2;
    } else if (s.charCodeAt(i) === 0x2a && s.charCodeAt(i + 1) === 0x2f) {
      i += 2;
      if (--depth === 0) return i;
    } else i++;
  }
  return s.length;
}

/** Past the end of the dollar-quoted string starting at `i`, or just past `$` when it is not one. */
function endOfDollar(s: string, i: number): number {
  let e = i + 1;
  while (e < s.length && wordChar(s.charCodeAt(e)) && !(e === i + 1 && s.charCodeAt(e) <= 0x39)) e++;
  if (s.charCodeAt(e) !== 0x24) return i + 1; // $1 parameters and the like
  const tag = s.slice(i, e + 1);
  const close = s.indexOf(tag, e + 1);
  return close < 0 ? s.length : close + tag.length;
}
