// Options of the echo analyzer: the shared protocol options plus limits of its own.
import { protocolConfigSchema, describeConfigIssues } from '@wirebeat/applayer';
import { z } from 'zod';
import { EchoConfigError } from './errors';

/** The tutorial's echo server listens on 3030. */
export const ECHO_DEFAULT_PORTS = [3030];

/**
 * Echo options, all optional:
 * - `enabled` (true), `ports` ([3030]), `send_request` (false), `send_response` (false),
 *   `transaction_timeout` ('10s'): the options every protocol has;
 * - `max_message_size` (1 MiB): longest line kept while waiting for its newline; a longer one is
 *   dropped with a note and parsing resumes after its newline;
 * - `max_pending_requests` (1000): requests waiting for a response per connection.
 */
export const echoConfigSchema = protocolConfigSchema(ECHO_DEFAULT_PORTS, {
  max_message_size: z
    .number({ error: 'expected a number of bytes (a positive integer)' })
    .int({ error: 'expected a number of bytes (a positive integer)' })
    .positive({ error: 'expected a number of bytes (a positive integer)' })
    .default(1024 * 1024),
  max_pending_requests: z
    .number({ error: 'expected a positive integer' })
    .int({ error: 'expected a positive integer' })
    .positive({ error: 'expected a positive integer' })
    .default(1000),
});

/** Validated echo options, defaults applied (transaction_timeout in ms). */
export type EchoConfig = z.output<typeof echoConfigSchema>;

/** Validates raw echo options; throws EchoConfigError naming each bad option and what it expects. */
export function parseEchoConfig(raw: unknown = {}): EchoConfig {
  const result = echoConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new EchoConfigError(`invalid echo configuration: ${describeConfigIssues(result.error).join('; ')}`);
  }
  return result.data;
}
