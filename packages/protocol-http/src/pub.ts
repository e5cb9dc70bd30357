// HTTP transaction events: applayer's common fields plus Packetbeat's / ECS's http.*, url.*,
// user_agent.* and the top-level method and query.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import { decodeUtf8 } from '@wirebeat/streambuf';
import type { HttpConfig } from './config';
import { headerValue, type HttpMessage } from './message';
import { urlFields } from './url';
import { REDACTED, publishedHeaders, redactedHead, type HeaderPolicy } from './redact';

export { REDACTED, type HeaderPolicy };

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
  const url = urlFields(req.method, req.target, headerValue(req, 'host'));
  return {
    url,
    user_agent: agent === undefined ? undefined : { original: agent },
    method: req.method,
    query: `${req.method} ${url.original}`,
  };
}

/** The media type of a message's body (Content-Type without parameters), when it has one. */
function mimeType(msg: HttpMessage): string | undefined {
  return headerValue(msg, 'content-type')?.split(';')[0].trim().toLowerCase();
}

/** The configured headers as an object (repeated headers joined with ', '), redacted; undefined when none. */
export function selectedHeaders(msg: HttpMessage, policy: HeaderPolicy): Record<string, string> | undefined {
  return publishedHeaders(msg, policy);
}

/** The message as text for `request` / `response`: the head (redacted) and the kept start of the body. */
export function messageText(msg: HttpMessage, policy: HeaderPolicy): string {
  let text = redactedHead(msg, policy);
  text += '\r\n\r\n';
  for (const part of msg.body) text += decodeUtf8(part);
  return text;
}
