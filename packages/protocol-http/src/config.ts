// Options of the HTTP analyzer: the shared protocol options plus header and body handling.
import { protocolConfigSchema, describeConfigIssues } from '@wirebeat/applayer';
import { z } from 'zod';
import { HttpConfigError } from './errors';

/** Packetbeat's default HTTP ports. */
export const HTTP_DEFAULT_PORTS = [80, 8080, 8000];

/** Headers whose values are replaced by REDACTED wherever they are published. */
export const DEFAULT_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

const bytes = (def: number) =>
  z
    .number({ error: 'expected a number of bytes (a non-negative integer)' })
    .int({ error: 'expected a number of bytes (a non-negative integer)' })
    .nonnegative({ error: 'expected a number of bytes (a non-negative integer)' })
    .default(def);

const headerNames = (def: string[]) =>
  z
    .array(z.string({ error: 'expected a header name' }), { error: 'expected a list of header names' })
    .default(() => [...def])
    .transform((names) => names.map((n) => n.toLowerCase()));

/**
 * HTTP options, all optional:
 * - `enabled` (true), `ports` ([80, 8080, 8000]), `send_request` / `send_response` (false): publish
 *   the message head and the start of its body as `request` / `response`; `transaction_timeout` ('10s');
 * - `send_headers` ([]): header names published under http.request.headers / http.response.headers;
 *   `send_all_headers` (false) publishes every header;
 * - `redact_headers` (authorization, proxy-authorization, cookie, set-cookie): their values are
 *   published as REDACTED, in the headers objects and in `request` / `response`;
 * - `max_message_size` (1 MiB): longest message head (request or status line and headers) kept
 *   while it arrives; a longer one is dropped and parsing resynchronises at the next message;
 * - `max_body_bytes` (4096): body bytes kept for `request` / `response`; the rest is counted only;
 * - `max_pending_requests` (1000): pipelined requests waiting for a response per connection.
 */
export const httpConfigSchema = protocolConfigSchema(HTTP_DEFAULT_PORTS, {
  send_headers: headerNames([]),
  send_all_headers: z.boolean({ error: 'expected true or false' }).default(false),
  redact_headers: headerNames(DEFAULT_REDACTED_HEADERS),
  max_message_size: bytes(1024 * 1024),
  max_body_bytes: bytes(4096),
  max_pending_requests: z
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .positive({ error: 'expected a positive integer' })
    .default(1000),
});

/** Validated HTTP options, defaults applied (transaction_timeout in ms, header names lower-case). */
export type HttpConfig = z.output<typeof httpConfigSchema>;

/** Validates raw HTTP options; throws HttpConfigError naming each bad option and what it expects. */
export function parseHttpConfig(raw: unknown = {}): HttpConfig {
  const result = httpConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new HttpConfigError(`invalid http configuration: ${describeConfigIssues(result.error).join('; ')}`);
  }
  return result.data;
}
