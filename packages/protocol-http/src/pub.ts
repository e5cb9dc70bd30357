// HTTP transaction events: applayer's common fields plus Packetbeat's / ECS's http.*, url.*,
// user_agent.* and the top-level method and query.
import type { ConnectionEvents, ProtocolContext, ProtocolCounters, Transaction } from '@wirebeat/applayer';
import { decodeUtf8 } from '@wirebeat/streambuf';
import { headerValue, type HttpMessage } from './message';
import { urlFields, type UrlFields } from './url';

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

/** Builds and publishes the event of one HTTP transaction. */
export function publishHttpTransaction(
  tx: Transaction<HttpMessage, HttpMessage>,
  events: ConnectionEvents,
  ctx: ProtocolContext,
  counters: ProtocolCounters,
  policy: HeaderPolicy,
  send: { request: boolean; response: boolean },
): void {
  const req = tx.request;
  const resp = tx.response;
  const ok =
    req !== undefined &&
    resp !== undefined &&
    resp.statusCode < 500 &&
    !req.truncated &&
    !resp.truncated &&
    tx.notes === undefined;
  if (!ok) counters.errors++;
  ctx.publish(
    events.build(tx, {
      status: ok ? 'OK' : 'Error',
      request: send.request && req !== undefined ? messageText(req, policy) : undefined,
      response: send.response && resp !== undefined ? messageText(resp, policy) : undefined,
      fieldsJson: eventFieldsJson(req, resp, policy),
    }),
  );
}

/**
 * The `http` object and, after it, the other top-level objects of the event. The event builder
 * writes `"http":` + this text, so the text continues with `,"url":{...}` and so on.
 */
export function eventFieldsJson(
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
  json += '}';
  if (req !== undefined) {
    json += ',"url":' + urlJson(urlFields(req.method, req.target, headerValue(req, 'host')));
    const agent = headerValue(req, 'user-agent');
    if (agent !== undefined) json += ',"user_agent":{"original":' + q(agent) + '}';
    json += ',"method":' + q(req.method) + ',"query":' + q(`${req.method} ${req.target}`);
  }
  return json;
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
