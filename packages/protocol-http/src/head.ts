// The start line and header fields of an HTTP/1.x message, parsed from Latin-1 text lines.

/** A parsed request line. */
export interface RequestLine {
  method: string;
  target: string;
  version: string;
}

/** A parsed status line. */
export interface StatusLine {
  version: string;
  statusCode: number;
  statusPhrase: string;
}

// RFC 9112: method is a token; the target has no spaces; only HTTP/1.x is analysed here.
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(1\.[01])$/;
const STATUS_LINE = /^HTTP\/(1\.[01]) (\d{3})(?: (.*))?$/;

/** Parses a request line; undefined when the line is not one. */
export function parseRequestLine(line: string): RequestLine | undefined {
  const m = REQUEST_LINE.exec(line);
  return m === null ? undefined : { method: sharedMethod(m[1]), target: m[2], version: sharedVersion(m[3]) };
}

/** Parses a status line; undefined when the line is not one. */
export function parseStatusLine(line: string): StatusLine | undefined {
  const m = STATUS_LINE.exec(line);
  return m === null
    ? undefined
    : { version: sharedVersion(m[1]), statusCode: Number(m[2]), statusPhrase: sharedPhrase(m[3] ?? '') };
}

// Versions, usual methods and reason phrases as one string each: a request waiting for its
// response keeps no copy of them (compared, not looked up: hashing each new string cost more).

/** The shared '1.1' or '1.0'. */
function sharedVersion(version: string): string {
  return version === '1.1' ? '1.1' : '1.0';
}

/** The shared GET or POST, else `method`. */
function sharedMethod(method: string): string {
  return method === 'GET' ? 'GET' : method === 'POST' ? 'POST' : method;
}

/** The shared OK, else `phrase`. */
function sharedPhrase(phrase: string): string {
  return phrase === 'OK' ? 'OK' : phrase;
}

/**
 * Header names most messages carry, lower-case: a line naming one gets this very string (no
 * slicing, trimming or lower-casing per line).
 */
const COMMON_HEADERS = [
  'host',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'connection',
  'content-length',
  'content-type',
  'transfer-encoding',
  'server',
  'date',
  'cache-control',
  'cookie',
  'set-cookie',
  'referer',
  'authorization',
  'content-encoding',
];
/** COMMON_HEADERS by length. */
const COMMON_BY_LENGTH: string[][] = [];
for (const name of COMMON_HEADERS) (COMMON_BY_LENGTH[name.length] ??= []).push(name);

/** The common header name line[0..colon) spells in any case, or undefined. */
function commonName(line: string, colon: number): string | undefined {
  const candidates = COMMON_BY_LENGTH[colon];
  if (candidates === undefined) return undefined;
  for (const name of candidates) {
    let i = 0;
    for (; i < colon; i++) {
      const c = line.charCodeAt(i);
      // Only A-Z fold: toLowerCase maps no other Latin-1 character to ASCII.
      if ((c >= 0x41 && c <= 0x5a ? c + 32 : c) !== name.charCodeAt(i)) break;
    }
    if (i === colon) return name;
  }
  return undefined;
}

/** A character trim() may remove (Latin-1 spaces and controls, anything beyond Latin-1): the general path decides. */
function maybeTrimmed(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c > 0xff;
}

/**
 * Adds one header line to the flattened [name, value, ...] list. A line starting with a space or a
 * tab continues the previous value (obsolete line folding); a line without a colon is ignored.
 */
export function addHeaderLine(headers: string[], line: string): void {
  const first = line.charCodeAt(0);
  if ((first === 0x20 || first === 0x09) && headers.length > 0) {
    headers[headers.length - 1] += ' ' + line.trim();
    return;
  }
  const colon = line.indexOf(':');
  if (colon <= 0) return;
  const name = commonName(line, colon) ?? line.slice(0, colon).trim().toLowerCase();
  // `Name: value` (one space, nothing to trim at either end) is sliced once; anything else is trimmed.
  const end = line.length;
  const plain =
    line.charCodeAt(colon + 1) === 0x20 &&
    end > colon + 2 &&
    !maybeTrimmed(line.charCodeAt(colon + 2)) &&
    !maybeTrimmed(line.charCodeAt(end - 1));
  headers.push(name, plain ? line.slice(colon + 2) : line.slice(colon + 1).trim());
}

/** True when a Transfer-Encoding value ends with chunked (the only coding that frames the body). */
export function isChunked(transferEncoding: string | undefined): boolean {
  return transferEncoding !== undefined && /(?:^|,)\s*chunked\s*$/i.test(transferEncoding);
}

/** A Content-Length value as a number; undefined when absent, -1 when invalid. */
export function contentLengthOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Repeated identical values ("5, 5") are allowed by RFC 9110.
  const comma = value.indexOf(',');
  const first = (comma < 0 ? value : value.slice(0, comma)).trim();
  return /^\d{1,15}$/.test(first) ? Number(first) : -1;
}

// After a gap the next start line may follow the tail of a body on the same line.
const REQUEST_LINE_SUFFIX =
  /(?:GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|TRACE|CONNECT|PROPFIND|MKCOL|COPY|MOVE|LOCK|UNLOCK) \S+ HTTP\/1\.[01]$/;

/**
 * Where a start line begins inside a line that is not one (bytes of a lost body before it), or -1.
 * Only well-known methods are looked for in requests: an arbitrary token could start anywhere.
 */
export function startLineSuffix(line: string, isRequest: boolean): number {
  if (isRequest) {
    const m = REQUEST_LINE_SUFFIX.exec(line);
    return m === null ? -1 : m.index;
  }
  const at = line.lastIndexOf('HTTP/1.');
  return at > 0 && parseStatusLine(line.slice(at)) !== undefined ? at : -1;
}
