// `output.elasticsearch`: hosts, credentials, TLS, bulk sizes and retries, as Beats names them.
import { durationSchema } from '@wirebeat/core';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

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
  const shown = JSON.stringify(maskHostCredentials(host));
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
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
    /** Spread bulk requests over every host (default true); false: the first live host takes them all. */
    loadbalance: z.boolean().default(true),
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

export type ElasticsearchOutputConfig = z.output<typeof elasticsearchOutputSchema>;
