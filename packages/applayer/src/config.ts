// Shared protocol options and the helpers protocol packages build their strict config schemas with.
import { z } from 'zod';
import { DEFAULT_MAX_PENDING_BYTES } from './budget';
import { ProtocolConfigError } from './errors';
import type { ProtocolModule, SharedProtocolConfig } from './plugin';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const DURATION_PART_RE = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const DURATION_EXPECTED = "expected a duration such as '10s', '500ms', '1m', '2h' or a number of seconds";

/** Parses '10s', '500ms', '1m30s', '2h' or a number of seconds into milliseconds; undefined if invalid. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!DURATION_RE.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(DURATION_PART_RE)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

/** A duration option: a string with a unit or a number of seconds; parses to milliseconds. */
export const durationSchema = z
  .union([z.string(), z.number()], { error: DURATION_EXPECTED })
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${DURATION_EXPECTED}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ms;
  });

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
