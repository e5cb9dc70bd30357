// HTTP transaction events: applayer's common fields plus Packetbeat's / ECS's http.*, url.*,
// user_agent.* and the top-level method and query.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import { decodeUtf8 } from '@wirebeat/streambuf';
import type { HttpConfig } from './config';
import { headerValue, type HttpMessage } from './message';
import { urlFields, type UrlFields } from './url';
import { isIP } from 'node:net';
import { basicAuthUser } from './auth';
import { bodyContent, includesBody } from './body';
import { hideParameters, queryWithForm } from './params';
import { REDACTED, publishedHeaders, redactedHead, type HeaderPolicy, type HeaderValue } from './redact';

export { REDACTED, type HeaderPolicy };

/** What a configuration publishes, made once per configuration (one per run). */
export interface HttpPolicy {
  headers: HeaderPolicy;
  /** hide_keywords, lower-case. */
  hidden: ReadonlySet<string>;
  requestBodyFor: readonly string[];
  responseBodyFor: readonly string[];
  decodeBody: boolean;
  maxBody: number;
  /** real_ip_header, lower-case. */
  realIpHeader: string | undefined;
}

/** Which headers a configuration publishes; made once per configuration (one per run). */
export function headerPolicyOf(config: HttpConfig): HeaderPolicy {
  return policyOf(config).headers;
}

/** The publishing policy of a configuration (cached for the last one). */
export function policyOf(config: HttpConfig): HttpPolicy {
  if (config !== lastConfig) {
    lastConfig = config;
    const send = config.send_headers;
    const redact = new Set(config.redact_headers);
    if (!config.redact_authorization) {
      redact.delete('authorization');
      redact.delete('proxy-authorization');
    }
    lastPolicy = {
      headers: {
        all: config.send_all_headers || send === true,
        include: new Set(Array.isArray(send) ? send : []),
        defaults: send !== false,
        redact,
        splitCookie: config.split_cookie,
      },
      hidden: new Set(config.hide_keywords.map((k) => k.toLowerCase())),
      requestBodyFor: [...config.include_body_for, ...config.include_request_body_for],
      responseBodyFor: [...config.include_body_for, ...config.include_response_body_for],
      decodeBody: config.decode_body,
      maxBody: config.max_message_size,
      realIpHeader: config.real_ip_header?.toLowerCase(),
    };
  }
  return lastPolicy!;
}
let lastConfig: HttpConfig | undefined;
let lastPolicy: HttpPolicy | undefined;

/** Status, `http` object and top-level fields of one HTTP transaction. */
export function httpTransaction(
  { request: req, response: resp, notes }: Transaction<HttpMessage, HttpMessage>,
  config: HttpConfig,
): TransactionSummary {
  // As Packetbeat: a 4xx is an Error too (the client's request failed).
  const ok =
    req !== undefined &&
    resp !== undefined &&
    resp.statusCode < 400 &&
    !req.truncated &&
    !resp.truncated &&
    notes === undefined;
  const policy = policyOf(config);
  const root = req === undefined ? undefined : rootFields(req, policy);
  const summary: TransactionSummary = {
    status: ok ? 'OK' : 'Error',
    fields: httpObject(req, resp, policy),
    root,
  };
  if (req !== undefined) {
    const domain = nameOf(root!.url.domain);
    if (domain !== undefined) summary.domain = domain;
    const forwarded = forwardedIp(req, policy.realIpHeader);
    if (forwarded !== undefined) summary.forwardedIp = forwarded;
    const user = root!.user?.name;
    if (user !== undefined) summary.relatedUser = user;
  }
  return summary;
}

/** The `http` object (written in the order of httpFields). */
export function httpObject(
  req: HttpMessage | undefined,
  resp: HttpMessage | undefined,
  policy: HttpPolicy,
): object {
  return {
    version: req?.version ?? resp?.version,
    request:
      req === undefined
        ? undefined
        : {
            method: req.method,
            referrer: headerValue(req, 'referer'),
            bytes: req.size,
            body: { bytes: req.bodyBytes, content: content(req, policy.requestBodyFor, policy) },
            mime_type: mimeType(req),
            headers: selectedHeaders(req, policy.headers),
          },
    response:
      resp === undefined
        ? undefined
        : {
            status_code: resp.statusCode,
            // Packetbeat publishes the reason phrase in lower case ("not found").
            status_phrase: lowerPhrase(resp.statusPhrase),
            bytes: resp.size,
            body: { bytes: resp.bodyBytes, content: content(resp, policy.responseBodyFor, policy) },
            mime_type: mimeType(resp),
            headers: selectedHeaders(resp, policy.headers),
          },
  };
}

function content(msg: HttpMessage, types: readonly string[], policy: HttpPolicy): string | undefined {
  return includesBody(msg, types) ? bodyContent(msg, policy.decodeBody, policy.maxBody) : undefined;
}

/** The request's top-level fields: url, user_agent, user, and Packetbeat's method and query. */
export function rootFields(
  req: HttpMessage,
  policy?: HttpPolicy,
): { url: UrlFields; user?: { name: string }; [key: string]: unknown } {
  const agent = headerValue(req, 'user-agent');
  const hidden = policy?.hidden ?? NONE;
  const url = urlFields(req.method, req.target, headerValue(req, 'host'), req.tuple?.dstPort);
  const targetQuery = url.query;
  url.query = queryWithForm(targetQuery, req, hidden);
  if (hidden.size > 0 && targetQuery !== undefined) {
    // The target's own query shows in url.original and url.full too.
    const masked = hideParameters(targetQuery, hidden);
    url.original = url.original.replace(targetQuery, masked);
    if (url.full !== undefined) url.full = url.full.replace(targetQuery, masked);
  }
  const user = basicAuthUser(req);
  return {
    url,
    user_agent: agent === undefined ? undefined : { original: agent },
    user: user === undefined ? undefined : { name: user },
    method: req.method,
    // Packetbeat's query is the method and the path, without the query string.
    query: `${req.method} ${url.path ?? url.original}`,
  };
}
const NONE: ReadonlySet<string> = new Set();

/** The server's name (url.domain, from the Host header or the target) when it is a name, not an address. */
function nameOf(domain: string | undefined): string | undefined {
  if (domain === undefined || domain === '') return undefined;
  // An IPv4 address ends with a digit and an IPv6 one has a colon: a name skips isIP's regexes.
  const last = domain.charCodeAt(domain.length - 1);
  if ((last < 0x30 || last > 0x39) && !domain.includes(':')) return domain;
  return isIP(domain) === 0 ? domain : undefined;
}

/** The first address of the real_ip_header (X-Forwarded-For lists several), when it is one. */
function forwardedIp(req: HttpMessage, header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = headerValue(req, header)?.split(',')[0].trim();
  return value !== undefined && isIP(value) !== 0 ? value : undefined;
}

/** A reason phrase in lower case; the usual ones without making a string. */
function lowerPhrase(phrase: string): string {
  return phrase === 'OK' ? 'ok' : phrase === 'Not Found' ? 'not found' : phrase.toLowerCase();
}

/** The media type of a message's body (Content-Type without parameters), when it has one. */
function mimeType(msg: HttpMessage): string | undefined {
  const type = headerValue(msg, 'content-type');
  if (type === undefined) return undefined;
  const semi = type.indexOf(';');
  return (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase();
}

/** The configured headers as an object (repeated headers joined with ', '), redacted; undefined when none. */
export function selectedHeaders(
  msg: HttpMessage,
  policy: HeaderPolicy,
): Record<string, HeaderValue> | undefined {
  return publishedHeaders(msg, policy);
}

/**
 * The message as text for `request` / `response`: the head (redacted) and the first `maxBody`
 * kept bytes of the body (more may be kept for body.content).
 */
export function messageText(msg: HttpMessage, policy: HeaderPolicy, maxBody = Infinity): string {
  let text = redactedHead(msg, policy);
  text += '\r\n\r\n';
  let left = maxBody;
  for (const part of msg.body) {
    if (left <= 0) break;
    text += decodeUtf8(part.length > left ? part.subarray(0, left) : part);
    left -= part.length;
  }
  return text;
}
