// What an HTTP event must not reveal, and header names Elasticsearch can index: passwords in URLs
// and redacted headers (folded continuation lines included) are replaced, header names are
// published as plain own keys with dots made underscores.
import type { HttpMessage } from './message';

/** The value published in place of a secret. */
export const REDACTED = 'REDACTED';

/** Which headers to publish and which to hide; built once per plugin from the config. */
export interface HeaderPolicy {
  /** Publish every header. */
  all: boolean;
  /** Header names (lower-case) to publish. */
  include: ReadonlySet<string>;
  /** Header names (lower-case) whose values are replaced by REDACTED. */
  redact: ReadonlySet<string>;
}

// scheme://userinfo@ at the start of an absolute-form target (RFC 3986: userinfo has no '/', '?', '#').
const USERINFO = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#@]*)@/;

/** A request target with the password of its `user:password@` replaced by REDACTED. */
export function redactTarget(target: string): string {
  const m = USERINFO.exec(target);
  if (m === null) return target;
  const colon = m[2].indexOf(':');
  if (colon < 0) return target;
  return m[1] + m[2].slice(0, colon) + ':' + REDACTED + '@' + target.slice(m[0].length);
}

/** An authority (`user:password@host:port`) without its userinfo. */
export function hostOfAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  return at < 0 ? authority : authority.slice(at + 1);
}

/**
 * The field name a header is published under. Elasticsearch reads dots in field names as object
 * paths, so `Host.x` beside `Host` would make the event unindexable: dots become underscores.
 */
export function headerFieldName(name: string): string {
  return name.includes('.') ? name.replace(/\./g, '_') : name;
}

/**
 * The configured headers (repeated ones joined with ', '), redacted, keyed by headerFieldName;
 * undefined when none. A null-prototype object: a header named `constructor` or `__proto__` is
 * just a header.
 */
export function publishedHeaders(msg: HttpMessage, policy: HeaderPolicy): Record<string, string> | undefined {
  if (!policy.all && policy.include.size === 0) return undefined;
  let out: Record<string, string> | undefined;
  const h = msg.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i];
    if (!policy.all && !policy.include.has(name)) continue;
    const value = policy.redact.has(name) ? REDACTED : h[i + 1];
    const key = headerFieldName(name);
    out ??= Object.create(null) as Record<string, string>;
    out[key] = Object.hasOwn(out, key) ? `${out[key]}, ${value}` : value;
  }
  return out;
}

/**
 * The head of a message as text, redacted: the start line without URL passwords, and the values of
 * redacted headers replaced, their folded continuation lines (leading space or tab) dropped.
 */
export function redactedHead(msg: HttpMessage, policy: HeaderPolicy): string {
  let text = msg.isRequest ? redactStartLine(msg.headLines[0] ?? '') : (msg.headLines[0] ?? '');
  let hiding = false;
  for (let i = 1; i < msg.headLines.length; i++) {
    const line = msg.headLines[i];
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // obs-fold: the line continues the previous header's value.
      if (!hiding) text += '\r\n' + line;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    hiding = policy.redact.has(name);
    text += '\r\n' + (hiding ? `${line.slice(0, colon)}: ${REDACTED}` : line);
  }
  return text;
}

/** A request line with the password of its target's userinfo redacted. */
function redactStartLine(line: string): string {
  const sp = line.indexOf(' ');
  if (sp < 0) return line;
  const end = line.indexOf(' ', sp + 1);
  const target = end < 0 ? line.slice(sp + 1) : line.slice(sp + 1, end);
  const safe = redactTarget(target);
  return safe === target ? line : line.slice(0, sp + 1) + safe + (end < 0 ? '' : line.slice(end));
}
