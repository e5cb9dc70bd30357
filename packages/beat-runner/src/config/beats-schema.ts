// Top-level settings every Beat understands besides its own section: the shipper's name, tags and
// custom fields, processors, paths, the HTTP stats endpoint. Kept apart from schema.ts so that the
// Beats conventions read as one list.
import { z } from 'zod';

/** One processor entry: `{<kind>: {...options, when?}}`; its options are checked when it is built. */
export const processorEntrySchema = z
  .record(z.string(), z.unknown())
  .refine((o) => Object.keys(o).length === 1 || isIfThenElse(o), {
    message:
      'each processor is a mapping with exactly one key (its kind), e.g. {drop_fields: {fields: [x]}}, or the if/then/else form',
  });

/** Beats' conditional form: `{if: <condition>, then: [processors], else?: [processors]}`. */
export function isIfThenElse(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return 'if' in o && 'then' in o && keys.every((k) => k === 'if' || k === 'then' || k === 'else');
}

/** `path`: where the beat looks for its config and keeps its data and logs. */
export const pathSchema = z
  .strictObject({
    /** Base of the other paths (default: the working directory). */
    home: z.string().min(1).optional(),
    /** Directory searched for `<beat>.yml` when -c is not given (default: path.home). */
    config: z.string().min(1).optional(),
    /** Persistent state such as meta.json with the agent id (default: path.home/data). */
    data: z.string().min(1).optional(),
    /** Log files, when logs do not go to stderr (default: path.home/logs). */
    logs: z.string().min(1).optional(),
  })
  .prefault({});

/** `http`: the stats endpoint (`/` beat info, `/stats` metrics). */
export const httpEndpointSchema = z
  .strictObject({
    /** Serve the endpoint (default false). */
    enabled: z.boolean().default(false),
    /** Address to bind (default localhost). */
    host: z.string().min(1).default('localhost'),
    /** Port (default 5066; 0 picks a free one, logged at start). */
    port: z.number().int().min(0).max(65535).default(5066),
  })
  .prefault({});

/** `<beat>.procs`: process attribution of local endpoints on live capture. */
export const procsSchema = z
  .strictObject({
    /** Look up the process of local endpoints (Linux /proc; default false). */
    enabled: z.boolean().default(false),
    /** Processes to attribute; empty means every process. */
    monitored: z
      .array(
        z.strictObject({
          /** Name published as process.name (default: the process's own name). */
          process: z.string().min(1),
          /** Pattern matched against the command line (a substring or /regexp/); default: `process`. */
          cmdline_grep: z.string().min(1).optional(),
        }),
      )
      .default([]),
    /** How long the socket-to-process table is trusted before it is read again (default 1s). */
    refresh_interval_ms: z.number().int().min(0).default(1000),
  })
  .prefault({});

/** The Beats-wide top-level keys, merged into the file's schema by buildConfigSchema. */
export const beatsTopLevelShape = {
  /** The shipper's name: agent.name and host.name (default: the host name). */
  name: z.string().min(1).optional(),
  /** Tags appended to every event's `tags`. */
  tags: z.array(z.string().min(1)).default([]),
  /** Custom fields added to every event, under `fields` (or at the root with fields_under_root). */
  fields: z.record(z.string(), z.unknown()).default({}),
  fields_under_root: z.boolean().default(false),
  /** Processors applied to every event, in order. */
  processors: z.array(processorEntrySchema).default([]),
  path: pathSchema,
  http: httpEndpointSchema,
};

/** The validated Beats-wide settings. */
export interface BeatsSettings {
  name?: string;
  tags: string[];
  fields: Record<string, unknown>;
  fields_under_root: boolean;
  processors: Array<Record<string, unknown>>;
  path: z.output<typeof pathSchema>;
  http: z.output<typeof httpEndpointSchema>;
}

/** The validated `<beat>.procs` section. */
export type ProcsConfig = z.output<typeof procsSchema>;
