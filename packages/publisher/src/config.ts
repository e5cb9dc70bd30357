// Configuration schemas of the outputs, the queue and the index template (zod, strict, with
// defaults). Option names follow Beats so that users recognise them.
import { durationSchema } from '@wirebeat/core';
import { z } from 'zod';

export { durationSchema };

const positiveInt = z.number().int().positive();

/** `output.console`: NDJSON on stdout. */
export const consoleOutputSchema = z.strictObject({
  /** Whether this output is the active one (default true when the section is present). */
  enabled: z.boolean().default(true),
  /** Indented JSON instead of one line per event (default false). */
  pretty: z.boolean().default(false),
});

/** `output.file`: NDJSON files rotated by size. */
export const fileOutputSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Directory of the files (created if missing). */
  path: z.string().min(1),
  /** Name of the current file (default: the beat's name); rotated files get `.1`, `.2`, ... */
  filename: z.string().min(1).optional(),
  /** Rotate when the current file would exceed this many KiB (default 10240). */
  rotate_every_kb: positiveInt.default(10_240),
  /** Files kept, the current one included (default 7, 2..1024). */
  number_of_files: z.number().int().min(2).max(1024).default(7),
});

const stringList = z.union([
  z
    .string()
    .min(1)
    .transform((s) => [s]),
  z.array(z.string().min(1)).min(1),
]);

/**
 * A host setting fit for an error message, even when it is no valid URL: whatever precedes the
 * last '@' of its authority (user and password) is masked.
 */
export function maskHostCredentials(host: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host);
  const start = scheme === null ? 0 : scheme[0].length;
  const at = host.lastIndexOf('@');
  return at < start ? host : host.slice(0, start) + '***@' + host.slice(at + 1);
}

/** `host:port` or a URL; without a scheme http is meant (as Beats reads it). */
function hostProblem(host: string): string | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
  const shown = JSON.stringify(maskHostCredentials(host));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `invalid URL ${shown}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `invalid URL ${shown}: the scheme must be http or https`;
  return undefined;
}

/** One Elasticsearch node URL, checked here so that a bad one is named by its setting. */
const hostUrl = z
  .string()
  .min(1)
  .superRefine((host, ctx) => {
    const problem = hostProblem(host);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

const hostList = z.union([hostUrl.transform((s) => [s]), z.array(hostUrl).min(1)]);

/** `output.elasticsearch`: bulk indexing into daily indices. */
export const elasticsearchOutputSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Nodes to send to, load-balanced round-robin (default http://localhost:9200). */
    hosts: hostList.default(['http://localhost:9200']),
    username: z.string().optional(),
    password: z.string().optional(),
    /** `id:key` or the base64 encoded form, as Elasticsearch issues it. */
    api_key: z.string().min(1).optional(),
    ssl: z
      .strictObject({
        /** CA certificate files (PEM) trusted for the server's certificate. */
        certificate_authorities: stringList.optional(),
        /** full: chain and host name; certificate: chain only; none: no check (tests only). */
        verification_mode: z.enum(['full', 'certificate', 'none']).default('full'),
      })
      .optional(),
    /** Index name: %{beat}, %{version} and %{+yyyy.MM.dd} (event time, UTC) are replaced. */
    index: z.string().min(1).default('%{beat}-%{version}-%{+yyyy.MM.dd}'),
    /** Most events per bulk request (default 1600). */
    bulk_max_size: positiveInt.default(1600),
    /** Most bytes per bulk request (default 10 MiB). */
    bulk_max_bytes: positiveInt.default(10 * 1024 * 1024),
    /** How long a partial batch waits before it is sent (default 1s). */
    flush_interval: durationSchema.default(1000),
    /** Bulk requests in flight per host (default 1). */
    worker: positiveInt.default(1),
    /** Per-request timeout (default 90s). */
    timeout: durationSchema.default(90_000),
    /** Retry backoff: doubles from `init` up to `max`, with jitter. */
    backoff: z
      .strictObject({ init: durationSchema.default(1000), max: durationSchema.default(60_000) })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if ((c.username === undefined) !== (c.password === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'username and password go together', path: ['username'] });
    }
    if (c.api_key !== undefined && c.username !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'use either api_key or username/password', path: ['api_key'] });
    }
  });

/** The `output` section: at most one output enabled; none means console. */
export const outputsConfigSchema = z
  .strictObject({
    console: consoleOutputSchema.optional(),
    file: fileOutputSchema.optional(),
    elasticsearch: elasticsearchOutputSchema.optional(),
  })
  .superRefine((o, ctx) => {
    const enabled = (['console', 'file', 'elasticsearch'] as const).filter((k) => o[k]?.enabled);
    if (enabled.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `only one output may be enabled, got ${enabled.join(' and ')}`,
      });
    }
  });

/** `queue.mem`: the bounded in-memory queue between the protocols and the output. */
export const queueConfigSchema = z
  .strictObject({
    mem: z
      .strictObject({
        /** Most events held (queued and in flight) (default 8192). */
        events: positiveInt.default(8192),
        /** Most serialised bytes held (default 64 MiB). */
        bytes: positiveInt.default(64 * 1024 * 1024),
        flush: z
          .strictObject({
            /** Events that make a batch worth sending at once (default 1600). */
            min_events: positiveInt.default(1600),
            /** How long a smaller batch may wait (default 1s). */
            timeout: durationSchema.default(1000),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

/** `setup.template`: the composable index template for the Elasticsearch output. */
export const templateConfigSchema = z
  .strictObject({
    /** Install the template at start (default true); `setup` installs it regardless. */
    enabled: z.boolean().default(true),
    /** Template name (default `<beat>-<version>`). */
    name: z.string().min(1).optional(),
    /** Index pattern (default `<beat>-<version>-*`); must match the output's index names. */
    pattern: z.string().min(1).optional(),
    /** Replace an existing template of the same name (default true). */
    overwrite: z.boolean().default(true),
    settings: z
      .strictObject({
        number_of_shards: positiveInt.default(1),
        /** Default: `auto_expand_replicas: 0-1`, green on one node, one replica on more. */
        number_of_replicas: z.number().int().nonnegative().optional(),
        refresh_interval: z.string().default('5s'),
      })
      .prefault({}),
  })
  .prefault({});

/** The `setup` section. */
export const setupConfigSchema = z.strictObject({ template: templateConfigSchema }).prefault({});

export type ConsoleOutputConfig = z.output<typeof consoleOutputSchema>;
export type FileOutputConfig = z.output<typeof fileOutputSchema>;
export type ElasticsearchOutputConfig = z.output<typeof elasticsearchOutputSchema>;
export type OutputsConfig = z.output<typeof outputsConfigSchema>;
export type OutputsConfigInput = z.input<typeof outputsConfigSchema>;
export type QueueConfig = z.output<typeof queueConfigSchema>;
export type TemplateConfig = z.output<typeof templateConfigSchema>;
export type TemplateConfigInput = z.input<typeof templateConfigSchema>;
export type SetupConfig = z.output<typeof setupConfigSchema>;
