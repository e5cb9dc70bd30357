// Configuration schemas of the queue and the index template (each output's is in its folder) (zod, strict, with
// defaults). Option names follow Beats so that users recognise them.
import { durationSchema } from '@wirebeat/core';
import { z } from 'zod';

export { durationSchema };

const positiveInt = z.number().int().positive();

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

export type QueueConfig = z.output<typeof queueConfigSchema>;
export type TemplateConfig = z.output<typeof templateConfigSchema>;
export type TemplateConfigInput = z.input<typeof templateConfigSchema>;
export type SetupConfig = z.output<typeof setupConfigSchema>;
