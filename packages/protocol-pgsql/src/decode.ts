// Decoders of message bodies. Bodies may be cut short (a long message is kept only in part, a
// fuzzer sends anything): every reader stops at the end of what it was given.
import { decodeUtf8 } from '@wirebeat/streambuf';
import type { PgsqlDiagnostic } from './message';

/** A NUL-terminated string at `at`, and the offset after its NUL (past the end when unterminated). */
export function cstring(body: Uint8Array, at: number): [string, number] {
  let end = body.indexOf(0, at);
  if (end < 0) end = body.length;
  return [decodeUtf8(body, Math.min(at, end), end), end + 1];
}

/** A big-endian 16-bit unsigned integer, or 0 past the end. */
export function u16(body: Uint8Array, at: number): number {
  return at + 2 <= body.length ? (body[at] << 8) | body[at + 1] : 0;
}

/** A big-endian 32-bit signed integer, or -1 past the end. */
export function i32(body: Uint8Array, at: number): number {
  return at + 4 <= body.length
    ? (body[at] << 24) | (body[at + 1] << 16) | (body[at + 2] << 8) | body[at + 3]
    : -1;
}

/** The severity, SQLSTATE and message of an ErrorResponse or NoticeResponse. */
export function diagnostic(body: Uint8Array): PgsqlDiagnostic {
  const d: PgsqlDiagnostic = { severity: '', code: '', message: '' };
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const field = body[at];
    const [value, next] = cstring(body, at + 1);
    at = next;
    // V is the severity never localised (9.6+); S may be translated: V wins when present.
    if (field === 0x56 /* V */ || (field === 0x53 /* S */ && d.severity === '')) d.severity = value;
    else if (field === 0x43 /* C */) d.code = value;
    else if (field === 0x4d /* M */) d.message = value;
  }
  return d;
}

/** Column names and formats of a RowDescription. */
export function rowDescription(body: Uint8Array): { names: string[]; formats: number[] } {
  const count = u16(body, 0);
  const names: string[] = [];
  const formats: number[] = [];
  let at = 2;
  for (let i = 0; i < count && at < body.length; i++) {
    const [name, next] = cstring(body, at);
    names.push(name);
    // table oid 4, column 2, type oid 4, type size 2, type modifier 4, then the format (2).
    formats.push(u16(body, next + 16));
    at = next + 18;
  }
  return { names, formats };
}

/**
 * The columns of a DataRow as text, at most `maxLength` bytes in all (as Packetbeat cuts rows):
 * NULL as '', binary columns as \x and hex digits.
 */
export function dataRow(
  body: Uint8Array,
  formats: readonly number[] | undefined,
  maxLength: number,
): string[] {
  const count = u16(body, 0);
  const row: string[] = [];
  let at = 2;
  let used = 0;
  for (let i = 0; i < count && at + 4 <= body.length && used < maxLength; i++) {
    const len = i32(body, at);
    at += 4;
    if (len < 0) {
      row.push('');
      continue;
    }
    const end = Math.min(at + len, body.length, at + (maxLength - used));
    const text =
      formats?.[i] === 1
        ? '\\x' + Buffer.from(body.subarray(at, end)).toString('hex')
        : decodeUtf8(body, at, end);
    row.push(text);
    used += end - at;
    at += len;
  }
  return row;
}

/** How an Authentication message asks the client to authenticate (undefined: not a request). */
export function authMethod(body: Uint8Array): string | undefined {
  switch (i32(body, 0)) {
    case 0:
      return 'ok';
    case 2:
      return 'kerberos_v5';
    case 3:
      return 'cleartext';
    case 5:
      return 'md5';
    case 7:
      return 'gss';
    case 9:
      return 'sspi';
    case 10: {
      // SASL: the mechanisms offered (SCRAM-SHA-256...), NUL-separated.
      const mechanisms: string[] = [];
      for (let at = 4; at < body.length && body[at] !== 0;) {
        const [m, next] = cstring(body, at);
        mechanisms.push(m);
        at = next;
      }
      return `sasl ${mechanisms.join(',')}`.trimEnd();
    }
    default:
      return undefined;
  }
}
