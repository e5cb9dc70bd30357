// Options of the template protocol: the shared ones (ports, send_request, send_response,
// transaction_timeout, enabled) plus its own. Unknown keys are rejected with the list of valid ones.
import { z } from 'zod';
import { describeConfigIssues, protocolConfigSchema } from '@wirebeat/applayer';
import { TemplateConfigError } from './errors';

/** The server port(s) the protocol is analysed on unless configured otherwise. */
// TODO(protocol): the port your protocol's servers listen on.
export const DEFAULT_PORTS = [7357];

/** Largest message the parser buffers; a longer one drops the stream instead of growing memory. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/** The template protocol's configuration schema (defaults applied, unknown keys rejected). */
export const templateConfigSchema = protocolConfigSchema(DEFAULT_PORTS, {
  max_message_bytes: z
    .number({ error: 'expected a number of bytes' })
    .int({ error: 'expected a whole number of bytes' })
    .min(16, { error: 'expected at least 16 bytes' })
    .max(64 * 1024 * 1024, { error: 'expected at most 64 MiB' })
    .default(DEFAULT_MAX_MESSAGE_BYTES),
  // TODO(protocol): add your protocol's own options here, each with a default.
});

/** Parsed configuration: every option present, durations in milliseconds. */
export type TemplateConfig = z.output<typeof templateConfigSchema>;

/** Validates raw options (as written in a beat's config); throws TemplateConfigError naming each problem. */
export function parseTemplateConfig(raw: unknown = {}): TemplateConfig {
  const result = templateConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new TemplateConfigError(
      `invalid template configuration: ${describeConfigIssues(result.error).join('; ')}`,
    );
  }
  return result.data;
}
