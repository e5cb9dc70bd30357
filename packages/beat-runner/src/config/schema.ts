// The beat's config file schema. Each section is strict so that a misspelt key is an error that
// names its path instead of a silently ignored setting.
import {
  durationSchema,
  outputsConfigSchema,
  queueConfigSchema,
  setupConfigSchema,
} from '@wirebeat/publisher';
import { DEFAULT_MEMORY_BUDGET_BYTES } from '@wirebeat/applayer';
import { flowsConfigSchema } from '@wirebeat/flows';
import { z } from 'zod';
import { beatsTopLevelShape, procsSchema, type BeatsSettings } from './beats-schema';

/** `<beat>.interfaces`: where packets come from. */
export const interfacesSchema = z
  .strictObject({
    /** Device for live capture: a name (`eth0`), `lo`, or `any` for every interface (default any). */
    device: z.string().min(1).default('any'),
    /** Bytes kept of each packet (default 65535, the most the capture library takes). */
    snaplen: z.number().int().min(64).max(65535).default(65535),
    /** BPF filter; empty means one generated from the configured protocol ports. */
    bpf_filter: z.string().default(''),
    /**
     * Kernel capture buffer in MiB (default 64). In immediate mode libpcap's ring has one slot of
     * about 64 KiB per packet (loopback MTU), so 64 MiB holds about 1000 packets: 50 ms of a busy
     * event loop at 20,000 packets/s. Packetbeat's default is 30 MiB, in a ring of tighter slots.
     */
    buffer_size_mb: z.number().int().min(1).max(4096).default(64),
    /**
     * Niceness of the capture process (default: the beat's). Below 0 it is scheduled ahead of
     * ordinary processes (needs CAP_SYS_NICE, as root has; kept as is where the system refuses).
     * On the loaded 2-core test machine -10 showed no gain over the default (see the README).
     */
    capture_nice: z.number().int().min(-20).max(19).optional(),
    /** Capture file to read instead of a device (the `-I` flag overrides it). */
    file: z.string().min(1).optional(),
    /** Times to read the file (default 1; 0 loops until a signal; `-l` overrides it). */
    loop: z.number().int().min(0).default(1),
    /** Read the file as fast as possible instead of at its recorded pace (`-t` sets it). */
    top_speed: z.boolean().default(false),
    /**
     * Networks counted as internal for `network.direction` (CIDRs or named ranges such as
     * `private`); empty (the default): network.direction is ingress, egress or unknown.
     */
    internal_networks: z.array(z.string().min(1)).default([]),
    /** Write every captured packet to this pcap file (`--dump` overrides it). */
    dump: z.string().min(1).optional(),
  })
  .prefault({});

/** One protocol entry; its own options are checked by the protocol's schema (see ProtocolRegistry). */
export const protocolEntrySchema = z.looseObject({
  /** Name of a protocol module (built in, or the name of the module the package exports). */
  type: z.string().min(1).optional(),
  /** npm package to load the protocol module from at start-up. */
  package: z.string().min(1).optional(),
});

/** `<beat>`: the beat's own section. */
export const beatSectionSchema = z
  .strictObject({
    interfaces: interfacesSchema,
    /** Protocols to analyse; default: every protocol the beat was built with, with its defaults. */
    protocols: z.array(protocolEntrySchema).optional(),
    /** Connections without packets for this long are closed, unless the protocol sets its own (default 60s). */
    idle_timeout: durationSchema.default(60_000),
    /**
     * Bytes of connection state and messages of every protocol the beat keeps (default 128 MiB);
     * beyond it the least recently active connections are closed and what they held published.
     * With queue.mem.bytes it bounds what the beat keeps live (see the README's memory model).
     */
    max_state_bytes: z.number().int().min(1048576).default(DEFAULT_MEMORY_BUDGET_BYTES),
    /** How long to wait at exit for the output to take queued events (default 30s). */
    shutdown_timeout: durationSchema.default(30_000),
    /** Process attribution of local endpoints on live capture (Packetbeat's `procs`). */
    procs: procsSchema,
    /**
     * Engine threads: `auto` (one per core) or a number; frames are sharded by flow over them
     * (default 1: everything on the main thread).
     */
    workers: z.union([z.literal('auto'), z.number().int().min(1).max(256)]).default(1),
    /** Network flows of all IP traffic (Packetbeat's `flows`): on when the section is present. */
    flows: flowsConfigSchema.optional(),
  })
  .prefault({});

/**
 * File permissions as Beats reads them: YAML 1.1 read `0600` as octal, YAML 1.2 (ours) reads 600;
 * a number whose digits are all octal digits is taken as written in octal, a string is octal.
 */
const permissionsSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^0?[0-7]{3,4}$/)])
  .transform((v) =>
    typeof v === 'string' ? parseInt(v, 8) : /^[0-7]+$/.test(String(v)) ? parseInt(String(v), 8) : v,
  )
  .refine((v) => v <= 0o777, { message: 'permissions are an octal file mode such as 0600' });

/** `logging.files`: rotated log files (libbeat's options). */
export const logFilesSchema = z.strictObject({
  /** Directory (default path.logs). */
  path: z.string().min(1).optional(),
  /** Base name of the files (default: the beat's name). */
  name: z.string().min(1).optional(),
  /** Size at which the file is rotated (default 10 MiB). */
  rotateeverybytes: z
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Files kept, the current one included (default 7, 2..1024). */
  keepfiles: z.number().int().min(2).max(1024).default(7),
  /** Mode of the files (default 0600). */
  permissions: permissionsSchema.default(0o600),
  /** Rotate an existing file when the beat starts (default true). */
  rotateonstartup: z.boolean().default(true),
});

/** `logging`: pino logs on stderr and the periodic metrics line. */
export const loggingSchema = z
  .strictObject({
    /** Log level when `-e` is given (without `-e` only warnings and errors are logged) (default info). */
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    /** Debug selectors (`-d`): which components log at debug level; `*` is all (default none). */
    selectors: z.array(z.string().min(1)).default([]),
    /** Log on stderr at the configured level, as `-e` does (default false). */
    to_stderr: z.boolean().default(false),
    /** Log into rotated files (logging.files) instead of stderr (default false: stderr, warnings only). */
    to_files: z.boolean().optional(),
    /** JSON lines (default true); false writes libbeat's text lines (time, level, [selector], message). */
    json: z.boolean().default(true),
    files: logFilesSchema.optional(),
    metrics: z
      .strictObject({
        /** Log the counters as one JSON line every `period` and at exit (default true). */
        enabled: z.boolean().default(true),
        period: durationSchema.default(30_000),
      })
      .prefault({}),
  })
  .prefault({});

/** Builds the whole file's schema for a beat named `beatName` (its section is keyed by the name). */
export function buildConfigSchema(beatName: string) {
  return z.strictObject({
    [beatName]: beatSectionSchema,
    output: outputsConfigSchema.prefault({}),
    queue: queueConfigSchema,
    setup: setupConfigSchema,
    logging: loggingSchema,
    ...beatsTopLevelShape,
  });
}

/** The beat's own section after validation (defaults applied, durations in ms). */
export type BeatSection = z.output<typeof beatSectionSchema>;
/** One protocol entry as written in the config. */
export type ProtocolEntry = z.output<typeof protocolEntrySchema>;
/** The validated config, with the beat section under the fixed name `beat`. */
export interface BeatConfig {
  beatName: string;
  beat: BeatSection;
  output: z.output<typeof outputsConfigSchema>;
  queue: z.output<typeof queueConfigSchema>;
  setup: z.output<typeof setupConfigSchema>;
  logging: z.output<typeof loggingSchema>;
  /** Documented Beats settings present in the file that the beat does not implement (warned about at start). */
  unsupported: string[];
  /** name, tags, fields, processors, path, http (the Beats-wide settings). */
  beats: BeatsSettings;
}
