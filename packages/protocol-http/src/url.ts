// ECS url.* fields of a request, from its target and Host header.
import { hostOfAuthority, redactTarget } from './redact';

/** The url object of an HTTP event (ECS). */
export interface UrlFields {
  scheme?: string;
  original: string;
  path?: string;
  extension?: string;
  query?: string;
  full?: string;
  domain?: string;
  port?: number;
}

const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/;
const HOST_PORT = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/;

/** Splits a Host header (or an authority) into domain and optional port. */
export function splitHost(host: string): { domain: string; port?: number } | undefined {
  // A plain name (the usual Host) is its own domain: what the regex would say, without running it.
  if (host !== '' && !host.includes(':') && host.charCodeAt(0) !== 0x5b && isTrimmed(host))
    return { domain: host };
  const m = HOST_PORT.exec(host.trim());
  if (m === null || m[1] === '') return undefined;
  const domain = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return m[2] === undefined ? { domain } : { domain, port: Number(m[2]) };
}

/**
 * url.* for a request target; `host` is the Host header when there is one, `serverPort` the
 * connection's server port (the port of an origin-form request whose Host names none).
 */
export function urlFields(
  method: string,
  target: string,
  host: string | undefined,
  serverPort?: number,
): UrlFields {
  // A password in the target (`http://user:pw@host/`) is never published.
  // Every key from the start, in the fields' order: every url object has one shape (keys added
  // as they are found would make several, and slow the serialiser reading them).
  const url: UrlFields = {
    scheme: undefined,
    original: redactTarget(target),
    path: undefined,
    extension: undefined,
    query: undefined,
    full: undefined,
    domain: undefined,
    port: undefined,
  };
  let authority = host;
  if (target.startsWith('/')) {
    const q = target.indexOf('?');
    url.path = q < 0 ? target : target.slice(0, q);
    if (q >= 0) url.query = target.slice(q + 1);
    url.scheme = 'http';
  } else {
    const abs = ABSOLUTE.exec(target);
    if (abs !== null) {
      // absolute-form (requests to a proxy): the target names the host.
      url.scheme = abs[1].toLowerCase();
      authority = hostOfAuthority(abs[2]);
      url.path = abs[3] === '' ? '/' : abs[3];
      if (abs[4] !== undefined) url.query = abs[4];
    } else if (method === 'CONNECT') {
      authority = target;
    }
  }
  if (url.path !== undefined) {
    const ext = extensionOf(url.path);
    if (ext !== undefined) url.extension = ext;
  }
  const where = authority === undefined ? undefined : splitHost(authority);
  if (where !== undefined) {
    url.domain = where.domain;
    let hostPart = authority!.trim();
    if (target.startsWith('/')) {
      // As Packetbeat 8: the request went to the Host's port, else to the connection's; port 80
      // (http's own) is left out of url.port and url.full.
      const port = where.port ?? serverPort;
      if (port !== undefined && port !== 80) url.port = port;
      const name = where.domain.includes(':') ? `[${where.domain}]` : where.domain;
      hostPart = url.port === undefined ? name : `${name}:${url.port}`;
    } else if (where.port !== undefined) url.port = where.port;
    if (url.path !== undefined) {
      url.full = `${url.scheme ?? 'http'}://${hostPart}${url.path}${url.query === undefined ? '' : '?' + url.query}`;
    }
  }
  return url;
}

/** The file extension of a path's last segment, without the dot (`/a/b.tar.gz` -> `gz`), as ECS url.extension. */
export function extensionOf(path: string): string | undefined {
  // Found in the path itself: the last segment is not sliced out first.
  const dot = path.lastIndexOf('.');
  return dot <= path.lastIndexOf('/') || dot === path.length - 1 ? undefined : path.slice(dot + 1);
}

/** True when trim() would leave `text` as it is. */
function isTrimmed(text: string): boolean {
  return !WHITESPACE.test(text.charAt(0)) && !WHITESPACE.test(text.charAt(text.length - 1));
}
const WHITESPACE = /\s/;
