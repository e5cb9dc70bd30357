// HTTP transaction events: applayer's common fields plus Packetbeat's / ECS's http.*, url.*,
// user_agent.* and the top-level method and query.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import { decodeUtf8 } from '@wirebeat/streambuf';
import type { HttpConfig } from './config';
import { headerValue, type HttpMessage } from './message';
import { urlFields } from './url';

/** The value published in place of a redacted header's value. */
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

/** Which headers a configuration publishes; made once per configuration (one per run). */
export function headerPolicyOf(config: HttpConfig): HeaderPolicy {
  if (config !== lastConfig) {
    lastConfig = config;
    lastPolicy = {
      all: config.send_all_headers,
      include: new Set(config.send_headers),
      redact: new Set(config.redact_headers),
    };
  }
  return lastPolicy!;
}
let lastConfig: HttpConfig | undefined;
let lastPolicy: HeaderPolicy | undefined;

/** Status, `http` object and top-level fields of one HTTP transaction. */
export function httpTransaction(
  { request: req, response: resp, notes }: Transaction<HttpMessage, HttpMessage>,
  config: HttpConfig,
): TransactionSummary {
  const ok =
    req !== undefined &&
    resp !== undefined &&
    resp.statusCode < 500 &&
    !req.truncated &&
    !resp.truncated &&
    notes === undefined;
  const policy = headerPolicyOf(config);
  return {
    status: ok ? 'OK' : 'Error',
    fields: httpObject(req, resp, policy),
    root: req === undefined ? undefined : rootFields(req),
  };
}

/** The `http` object (written in the order of httpFields). */
export function httpObject(
  req: HttpMessage | undefined,
  resp: HttpMessage | undefined,
  policy: HeaderPolicy,
): object {
  return {
    version: req?.version ?? resp?.version,
    request:
      req === undefined
        ? undefined
        : {
            method: req.method,
            bytes: req.size,
            body: { bytes: req.bodyBytes },
            mime_type: mimeType(req),
            headers: selectedHeaders(req, policy),
          },
    response:
      resp === undefined
        ? undefined
        : {
            status_code: resp.statusCode,
            status_phrase: resp.statusPhrase,
            bytes: resp.size,
            body: { bytes: resp.bodyBytes },
            mime_type: mimeType(resp),
            headers: selectedHeaders(resp, policy),
          },
  };
}

/** The request's top-level fields: url, user_agent, and Packetbeat's method and query. */
export function rootFields(req: HttpMessage): object {
  const agent = headerValue(req, 'user-agent');
  return {
    url: urlFields(req.method, req.target, headerValue(req, 'host')),
    user_agent: agent === undefined ? undefined : { original: agent },
    method: req.method,
    query: `${req.method} ${req.target}`,
  };
}

/** The media type of a message's body (Content-Type without parameters), when it has one. */
function mimeType(msg: HttpMessage): string | undefined {
  return headerValue(msg, 'content-type')?.split(';')[0].trim().toLowerCase();
}

/** The configured headers as an object (repeated headers joined with ', '), redacted; undefined when none. */
export function selectedHeaders(msg: HttpMessage, policy: HeaderPolicy): Record<string, string> | undefined {
  if (!policy.all && policy.include.size === 0) return undefined;
  let out: Record<string, string> | undefined;
  const h = msg.headers;
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i];
    if (!policy.all && !policy.include.has(name)) continue;
    const value = policy.redact.has(name) ? REDACTED : h[i + 1];
    out ??= {};
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/** The message as text for `request` / `response`: the head (redacted) and the kept start of the body. */
export function messageText(msg: HttpMessage, policy: HeaderPolicy): string {
  let text = msg.headLines[0] ?? '';
  for (let i = 1; i < msg.headLines.length; i++) {
    const line = msg.headLines[i];
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    text += '\r\n' + (policy.redact.has(name) ? `${line.slice(0, colon)}: ${REDACTED}` : line);
  }
  text += '\r\n\r\n';
  for (const part of msg.body) text += decodeUtf8(part);
  return text;
}
