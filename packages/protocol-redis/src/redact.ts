// Passwords a Redis command may carry, replaced before the command is published (query, request).
import { commandName } from './command-name';

/** Published in place of passwords. */
export const REDACTED = 'REDACTED';

/** CONFIG SET parameters whose values are passwords. */
const SECRET_PARAMETERS = new Set(['requirepass', 'masterauth', 'masteruser-password', 'tls-key-file-pass']);

/**
 * The command arguments with passwords replaced by REDACTED: AUTH, HELLO ... AUTH user pass,
 * CONFIG SET requirepass|masterauth, ACL SETUSER rules `>pass` `<pass` `#hash` `!hash`,
 * MIGRATE ... AUTH pass | AUTH2 user pass.
 */
export function redactArgs(args: string[]): string[] {
  const method = commandName(args[0] ?? '').upper;
  switch (method) {
    case 'AUTH':
      return args.map((a, i) => (i === 0 ? a : REDACTED));
    case 'HELLO':
      return redactAfter(args, 'AUTH', 2, 1);
    case 'MIGRATE': {
      const auth = redactAfter(args, 'AUTH', 1, 1);
      return redactAfter(auth, 'AUTH2', 2, 1);
    }
    case 'CONFIG':
      if ((args[1] ?? '').toUpperCase() !== 'SET') return args;
      // CONFIG SET name value [name value ...]
      return args.map((a, i) =>
        i >= 3 && (i - 3) % 2 === 0 && SECRET_PARAMETERS.has(args[i - 1].toLowerCase()) ? REDACTED : a,
      );
    case 'ACL':
      if ((args[1] ?? '').toUpperCase() !== 'SETUSER') return args;
      return args.map((a, i) => (i >= 3 && isPasswordRule(a) ? a[0] + REDACTED : a));
    default:
      return args;
  }
}

/** An ACL SETUSER rule that names a password or its hash. */
function isPasswordRule(rule: string): boolean {
  const c = rule.charAt(0);
  return c === '>' || c === '<' || c === '#' || c === '!';
}

/** Replaces the `count` arguments `skip`..`skip+count-1` places after the keyword (case-insensitive). */
function redactAfter(args: string[], keyword: string, skip: number, count: number): string[] {
  const at = args.findIndex((a, i) => i > 0 && a.toUpperCase() === keyword);
  if (at < 0) return args;
  return args.map((a, i) => (i >= at + skip && i < at + skip + count ? REDACTED : a));
}
