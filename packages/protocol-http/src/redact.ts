// What an HTTP event must not reveal, and header names Elasticsearch can index: passwords in URLs
// and redacted headers (folded continuation lines included) are replaced, header names are
// published as plain own keys with dots made underscores.
import type { HttpMessage } from './message';

/** The value published in place of a secret. */
export const REDACTED = 'REDACTED';

/** What Packetbeat publishes in place of an Authorization value (redact_authorization). */
export const AUTH_MASK = '*';

/** Headers Packetbeat masks with `*` rather than REDACTED. */
const AUTHORIZATION = new Set(['authorization', 'proxy-authorization']);

/** A published header value: text, Content-Length as a number, or split cookies. */
export type HeaderValue = string | number | Record<string, string>;

/** Which headers to publish and which to hide; built once per plugin from the config. */
export interface HeaderPolicy {
  /** Publish every header. */
  all: boolean;
  /** Header names (lower-case) to publish. */
  include: ReadonlySet<string>;
  /** Publish Packetbeat's default headers: content-length (a number) and content-type. */
  defaults: boolean;
  /** Header names (lower-case) whose values are replaced by REDACTED (`*` for Authorization). */
  redact: ReadonlySet<string>;
  /** Publish Cookie (requests) and Set-Cookie (responses) as objects of cookie names. */
  splitCookie: boolean;
}

/** The mask of a redacted header's value. */
function maskOf(name: string): string {
  return AUTHORIZATION.has(name) ? AUTH_MASK : REDACTED;
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
 * undefined when none. As Packetbeat, content-length is the body's length as a number and
 * content-type is published by default. A null-prototype object: a header named `constructor` or
 * `__proto__` is just a header.
 */
export function publishedHeaders(
  msg: HttpMessage,
  policy: HeaderPolicy,
): Record<string, HeaderValue> | undefined {
  if (!policy.all && !policy.defaults && policy.include.size === 0) return undefined;
  if (!policy.all && policy.include.size === 0) return defaultHeaders(msg, policy);
  let out: Record<string, HeaderValue> | undefined;
  const h = msg.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i];
    if (name === 'content-length') continue;
    if (!policy.all && !policy.include.has(name) && !(policy.defaults && name === 'content-type')) continue;
    const value = policy.redact.has(name) ? maskOf(name) : h[i + 1];
    const key = headerFieldName(name);
    out ??= Object.create(null) as Record<string, HeaderValue>;
    out[key] = Object.hasOwn(out, key) ? `${String(out[key])}, ${value}` : value;
  }
  if (policy.all || policy.defaults || policy.include.has('content-length')) {
    out ??= Object.create(null) as Record<string, HeaderValue>;
    out['content-length'] = contentLengthValue(msg);
  }
  const cookie = msg.isRequest ? 'cookie' : 'set-cookie';
  if (policy.splitCookie && out !== undefined && typeof out[cookie] === 'string') {
    out[cookie] = splitCookies(headerJoined(msg, cookie), policy.redact.has(cookie));
  }
  return out;
}

/**
 * Packetbeat's default headers alone (the usual configuration): Content-Type (repeated ones
 * joined) and Content-Length, as publishedHeaders writes them, in one object of a fixed shape.
 */
function defaultHeaders(msg: HttpMessage, policy: HeaderPolicy): Record<string, HeaderValue> {
  const h = msg.headers;
  let type: string | undefined;
  for (let i = 0; i < h.length; i += 2) {
    if (h[i] !== 'content-type') continue;
    const value = policy.redact.has('content-type') ? REDACTED : h[i + 1];
    type = type === undefined ? value : `${type}, ${value}`;
  }
  const length = contentLengthValue(msg);
  return type === undefined
    ? { 'content-length': length }
    : { 'content-type': type, 'content-length': length };
}

/** Content-Length as Packetbeat publishes it: the header's number, else the body bytes seen. */
function contentLengthValue(msg: HttpMessage): number {
  const h = msg.headers;
  for (let i = 0; i < h.length; i += 2) {
    if (h[i] === 'content-length') {
      const value = h[i + 1];
      const comma = value.indexOf(',');
      const n = Number((comma < 0 ? value : value.slice(0, comma)).trim());
      if (Number.isSafeInteger(n) && n >= 0) return n;
    }
  }
  return msg.bodyBytes;
}

/** Every value of a header, joined with '; ' (several Cookie headers are one list of cookies). */
function headerJoined(msg: HttpMessage, name: string): string {
  const parts: string[] = [];
  for (let i = 0; i < msg.headers.length; i += 2) if (msg.headers[i] === name) parts.push(msg.headers[i + 1]);
  return parts.join('; ');
}

/**
 * `a=1; B="2"` as { a: '1', b: '2' } (names lower-cased, quotes stripped), as Packetbeat's
 * split_cookie; values REDACTED when the header is redacted (the names still show).
 */
export function splitCookies(header: string, redact: boolean): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name !== '') out[headerFieldName(name)] = redact ? REDACTED : value;
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
    // Packetbeat masks each character of an Authorization value with `*`.
    if (hiding && AUTHORIZATION.has(name))
      text += '\r\n' + line.slice(0, colon + 1) + AUTH_MASK.repeat(line.length - colon - 1);
    else text += '\r\n' + (hiding ? `${line.slice(0, colon)}: ${REDACTED}` : line);
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
