// Options of the HTTP analyzer: header and body handling (defineProtocol adds the shared ones).
import type { DefinedConfig } from '@wirebeat/applayer';
import { z } from 'zod';

/** Packetbeat's default HTTP ports. */
export const HTTP_DEFAULT_PORTS = [80, 8080, 8000];

/** Headers whose values are replaced by REDACTED wherever they are published. */
export const DEFAULT_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

const BYTES = 'expected a number of bytes (a non-negative integer)';
// Not applayer's byteSizeOption: 0 is meaningful here (max_body_bytes 0 keeps no body).
const bytes = (def: number) =>
  z.number({ error: BYTES }).int({ error: BYTES }).nonnegative({ error: BYTES }).default(def);

const headerNames = (def: string[]) =>
  z
    .array(z.string({ error: 'expected a header name' }), { error: 'expected a list of header names' })
    .default(() => [...def])
    .transform((names) => names.map((n) => n.toLowerCase()));

const names = (what: string) =>
  z.array(z.string({ error: `expected ${what}` }), { error: `expected a list of ${what}s` });
const flag = () => z.boolean({ error: 'expected true or false' });

/**
 * HTTP's own options, all optional (besides the shared `enabled`, `ports`, `send_request`,
 * `send_response`, `transaction_timeout` and `max_pending_requests`), as Packetbeat's:
 * - `send_headers` (unset): unset publishes Packetbeat's default headers (content-length, a number,
 *   and content-type) under http.request.headers / http.response.headers; a list publishes those
 *   and the listed ones; true every header; false none. `send_all_headers` (false) is true's old name;
 * - `redact_headers` (authorization, proxy-authorization, cookie, set-cookie): values published as
 *   REDACTED, in the headers objects and in `request` / `response`; Authorization headers are
 *   masked as Packetbeat masks them (`*`), `redact_authorization: false` publishes them;
 * - `split_cookie` (false): Cookie / Set-Cookie published as an object of cookie names;
 * - `real_ip_header` (unset): header whose first address is network.forwarded_ip;
 * - `hide_keywords` ([]): query and form-body parameters whose values are published as xxxxx;
 * - `include_body_for`, `include_request_body_for`, `include_response_body_for` ([]): content
 *   types (substrings) whose bodies are published as http.*.body.content, decoded (gzip, deflate)
 *   when `decode_body` (true);
 * - `max_message_size` (1 MiB; Packetbeat 10 MiB): longest head kept while it arrives (a longer message is dropped,
 *   parsing resynchronises at the next one) and most body bytes kept for body.content;
 * - `max_body_bytes` (4096): body bytes kept for `request` / `response`; the rest is counted only.
 */
export const httpOptions = {
  send_headers: z
    .union([flag(), names('a header name')], { error: 'expected true, false or a list of header names' })
    .optional()
    .transform((v) => (Array.isArray(v) ? v.map((n) => n.toLowerCase()) : v)),
  send_all_headers: flag().default(false),
  redact_headers: headerNames(DEFAULT_REDACTED_HEADERS),
  redact_authorization: flag().default(true),
  split_cookie: flag().default(false),
  real_ip_header: z.string({ error: 'expected a header name' }).optional(),
  hide_keywords: names('a parameter name').default(() => []),
  include_body_for: names('a content type').default(() => []),
  include_request_body_for: names('a content type').default(() => []),
  include_response_body_for: names('a content type').default(() => []),
  decode_body: flag().default(true),
  max_message_size: bytes(1024 * 1024),
  max_body_bytes: bytes(4096),
};

/** Validated HTTP options, defaults applied (transaction_timeout in ms, header names lower-case). */
export type HttpConfig = DefinedConfig<typeof httpOptions>;
