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

/**
 * HTTP's own options, all optional (besides the shared `enabled`, `ports`, `send_request`,
 * `send_response`, `transaction_timeout` and `max_pending_requests`):
 * - `send_headers` ([]): header names published under http.request.headers / http.response.headers;
 *   `send_all_headers` (false) publishes every header;
 * - `redact_headers` (authorization, proxy-authorization, cookie, set-cookie): their values are
 *   published as REDACTED, in the headers objects and in `request` / `response`;
 * - `max_message_size` (1 MiB): longest message head (request or status line and headers) kept
 *   while it arrives; a longer one is dropped and parsing resynchronises at the next message;
 * - `max_body_bytes` (4096): body bytes kept for `request` / `response`; the rest is counted only.
 */
export const httpOptions = {
  send_headers: headerNames([]),
  send_all_headers: z.boolean({ error: 'expected true or false' }).default(false),
  redact_headers: headerNames(DEFAULT_REDACTED_HEADERS),
  max_message_size: bytes(1024 * 1024),
  max_body_bytes: bytes(4096),
};

/** Validated HTTP options, defaults applied (transaction_timeout in ms, header names lower-case). */
export type HttpConfig = DefinedConfig<typeof httpOptions>;
