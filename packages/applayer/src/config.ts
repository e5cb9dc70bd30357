// Shared protocol options and the helpers protocol packages build their strict config schemas with.
import { durationSchema } from '@wirebeat/core';
import { z } from 'zod';
import { DEFAULT_MAX_PENDING_BYTES } from './budget';
import { ProtocolConfigError } from './errors';
import type { ProtocolModule, SharedProtocolConfig } from './plugin';

const portSchema = z
  .number({ error: 'expected a port number from 1 to 65535' })
  .int({ error: 'expected a port number from 1 to 65535' })
  .min(1, { error: 'expected a port number from 1 to 65535' })
  .max(65535, { error: 'expected a port number from 1 to 65535' });

/** The zod shape of the options every protocol has; `ports` defaults to the protocol's own ports. */
export function sharedProtocolOptions(defaultPorts: number[]) {
  return {
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
    ports: z
      .array(portSchema, { error: 'expected a list of port numbers, e.g. [3030]' })
      .min(1, { error: 'expected at least one port' })
      .default(() => [...defaultPorts]),
    send_request: z.boolean({ error: 'expected true or false' }).default(false),
    send_response: z.boolean({ error: 'expected true or false' }).default(false),
    // zod applies defaults to the output: 10 s in milliseconds.
    transaction_timeout: durationSchema.default(10_000),
    max_pending_bytes: z
      .number({ error: 'expected a number of bytes (a positive integer)' })
      .int({ error: 'expected a number of bytes (a positive integer)' })
      .positive({ error: 'expected a number of bytes (a positive integer)' })
      .default(DEFAULT_MAX_PENDING_BYTES),
  };
}

/**
 * Builds a protocol's strict config schema: the shared options plus its own, unknown keys rejected
 * with a message listing the valid ones.
 */
export function protocolConfigSchema<S extends z.ZodRawShape>(defaultPorts: number[], own: S) {
  const shape = { ...sharedProtocolOptions(defaultPorts), ...own };
  const valid = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown option${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `'${k}'`).join(', ')}; valid options: ${valid}`
        : undefined,
  });
}

/** Formats zod issues as 'path: message' lines (path in dotted form, indexes in brackets). */
export function describeConfigIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((iss) => {
    let path = prefix;
    for (const key of iss.path) {
      path += typeof key === 'number' ? `[${key}]` : path ? `.${String(key)}` : String(key);
    }
    return path ? `${path}: ${iss.message}` : iss.message;
  });
}

/** Validates raw options for a protocol, throwing ProtocolConfigError with one line per problem. */
export function parseProtocolConfig<C extends SharedProtocolConfig>(
  module: ProtocolModule<C>,
  raw: unknown,
): C {
  const result = module.configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ProtocolConfigError(module.name, describeConfigIssues(result.error));
  return result.data;
}
