// HTTP transaction events: applayer's common fields plus Packetbeat's / ECS's http.*, url.*,
// user_agent.* and the top-level method and query.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import { decodeUtf8 } from '@wirebeat/streambuf';
import type { HttpConfig } from './config';
import { headerValue, type HttpMessage } from './message';
import { urlFields, type UrlFields } from './url';
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
    fieldsJson: httpFieldsJson(req, resp, policy),
    rootJson: req === undefined ? undefined : rootFieldsJson(req),
  };
}

/** The `http` object. */
export function httpFieldsJson(
  req: HttpMessage | undefined,
  resp: HttpMessage | undefined,
  policy: HeaderPolicy,
): string {
  // Built as text: this runs once per transaction and generic serialisation of nested objects
  // was the largest cost of the analyzer.
  const q = JSON.stringify;
  const version = req?.version ?? resp?.version;
  let json = '{';
  if (version !== undefined) json += '"version":' + q(version);
  if (req !== undefined) {
    if (json.length > 1) json += ',';
    json += '"request":{"method":' + q(req.method) + sideJson(req, policy) + '}';
  }
  if (resp !== undefined) {
    if (json.length > 1) json += ',';
    json +=
      '"response":{"status_code":' +
      resp.statusCode +
      ',"status_phrase":' +
      q(resp.statusPhrase) +
      sideJson(resp, policy) +
      '}';
  }
  return json + '}';
}

/** The request's top-level fields: url, user_agent, and Packetbeat's method and query. */
export function rootFieldsJson(req: HttpMessage): string {
  const q = JSON.stringify;
  const url = urlFields(req.method, req.target, headerValue(req, 'host'));
  let json = '{"url":' + urlJson(url);
  const agent = headerValue(req, 'user-agent');
  if (agent !== undefined) json += ',"user_agent":{"original":' + q(agent) + '}';
  return json + ',"method":' + q(req.method) + ',"query":' + q(`${req.method} ${url.original}`) + '}';
}

/** url.* as JSON, keys in a fixed order. */
function urlJson(url: UrlFields): string {
  const q = JSON.stringify;
  let json = '{';
  if (url.scheme !== undefined) json += '"scheme":' + q(url.scheme) + ',';
  json += '"original":' + q(url.original);
  if (url.path !== undefined) json += ',"path":' + q(url.path);
  if (url.query !== undefined) json += ',"query":' + q(url.query);
  if (url.full !== undefined) json += ',"full":' + q(url.full);
  if (url.domain !== undefined) json += ',"domain":' + q(url.domain);
  if (url.port !== undefined) json += ',"port":' + url.port;
  return json + '}';
}

/** The rest of http.request / http.response: bytes, body, mime type and headers. */
function sideJson(msg: HttpMessage, policy: HeaderPolicy): string {
  let json = ',"bytes":' + msg.size + ',"body":{"bytes":' + msg.bodyBytes + '}';
  const type = headerValue(msg, 'content-type');
  if (type !== undefined) json += ',"mime_type":' + JSON.stringify(type.split(';')[0].trim().toLowerCase());
  const headers = selectedHeaders(msg, policy);
  if (headers !== undefined) json += ',"headers":' + JSON.stringify(headers);
  return json;
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
