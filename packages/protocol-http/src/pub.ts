// HTTP transaction events: applayer's common fields plus Packetbeat's / ECS's http.*, url.*,
// user_agent.* and the top-level method and query.
import type { ConnectionEvents, ProtocolContext, ProtocolCounters, Transaction } from '@wirebeat/applayer';
import { decodeUtf8 } from '@wirebeat/streambuf';
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
  const http: Record<string, unknown> = {};
  const version = req?.version ?? resp?.version;
  if (version !== undefined) http.version = version;
  if (req !== undefined) http.request = side(req, policy, { method: req.method });
  if (resp !== undefined) {
    http.response = side(resp, policy, { status_code: resp.statusCode, status_phrase: resp.statusPhrase });
  }
  let json = JSON.stringify(http);
  if (req !== undefined) {
    json += ',"url":' + JSON.stringify(urlFields(req.method, req.target, headerValue(req, 'host')));
    const agent = headerValue(req, 'user-agent');
    if (agent !== undefined) json += ',"user_agent":' + JSON.stringify({ original: agent });
    json +=
      ',"method":' + JSON.stringify(req.method) + ',"query":' + JSON.stringify(`${req.method} ${req.target}`);
  }
  return json;
}

/** http.request or http.response: the given fields, then bytes, body, mime type and headers. */
function side(
  msg: HttpMessage,
  policy: HeaderPolicy,
  first: Record<string, unknown>,
): Record<string, unknown> {
  const out = first;
  out.bytes = msg.size;
  out.body = { bytes: msg.bodyBytes };
  const type = headerValue(msg, 'content-type');
  if (type !== undefined) out.mime_type = type.split(';')[0].trim().toLowerCase();
  const headers = selectedHeaders(msg, policy);
  if (headers !== undefined) out.headers = headers;
  return out;
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
