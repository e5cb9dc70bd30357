// `output.kafka`, with Beats' option names and defaults. Values the client cannot honour are
// refused here (strict objects, enums), never ignored.
import { durationSchema } from '@wirebeat/core';
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonEmpty = z.string().min(1);
const stringList = z.union([nonEmpty.transform((s) => [s]), z.array(nonEmpty).min(1)]);

/** `host:port` of a broker (Beats writes them without a scheme). */
const brokerHost = nonEmpty.regex(/^[^\s/:]+:\d{1,5}$/, 'expected host:port, e.g. localhost:9092');

/** One rule of `topics`: the topic (a format string) when its condition holds. */
const topicRule = z.strictObject({
  topic: nonEmpty,
  /** Beats' condition (`equals`, `contains`, ...); evaluated by the beat's condition compiler. */
  when: z.record(z.string(), z.unknown()).optional(),
  /** Replaces the formatted topic by another name when it is a key here. */
  mappings: z.record(z.string(), nonEmpty).optional(),
  /** Topic when the format string cannot be filled. */
  default: nonEmpty.optional(),
});

const reachable = z.strictObject({
  /** Only partitions whose leader is known and up (default false). */
  reachable_only: z.boolean().default(false),
  /** Events sent to one partition before moving on (default 1). */
  group_events: positiveInt.default(1),
});

/** `partition`: exactly one of random, round_robin, hash (default hash). */
const partitionSchema = z
  .strictObject({
    random: reachable.optional(),
    round_robin: reachable.optional(),
    hash: z
      .strictObject({
        /** Fields hashed instead of the key. */
        hash: z.array(nonEmpty).default([]),
        /** Events without key or fields go to a random partition (default true). */
        random: z.boolean().default(true),
        reachable_only: z.boolean().default(false),
      })
      .optional(),
  })
  .refine((p) => Object.values(p).filter((v) => v !== undefined).length <= 1, {
    message: 'choose one of random, round_robin, hash',
  });

/** A Beats setting wirebeat refuses, with the reason and what to do instead. */
function unsupported(reason: string) {
  return z
    .unknown()
    .optional()
    .refine((v) => v === undefined, { message: `not supported by wirebeat's Kafka output: ${reason}` });
}

/** Kafka protocol versions Beats accepts; wirebeat needs 2.1+ (Kafka 4 brokers refuse older clients). */
const KAFKA_VERSION = /^(\d+)\.(\d+)(\.\d+)?$/;

/** `output.kafka`: events as JSON messages to Kafka topics. */
export const kafkaOutputSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Bootstrap brokers, `host:port`. */
    hosts: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(brokerHost).min(1)),
    /** Topic of every event (a format string such as `%{[type]}`) unless a `topics` rule matches. */
    topic: nonEmpty.optional(),
    /** Rules tried in order; the first whose condition holds gives the topic. */
    topics: z.array(topicRule).optional(),
    /** Message key (format string); without it the partitioner decides alone. */
    key: nonEmpty.optional(),
    partition: partitionSchema.optional(),
    /** 0: no wait, 1: leader, -1: all in-sync replicas (default -1, needed by the idempotent producer). */
    required_acks: z.union([z.literal(0), z.literal(1), z.literal(-1)]).default(-1),
    /** Batch compression (default gzip). */
    compression: z.enum(['none', 'gzip', 'snappy', 'lz4', 'zstd']).default('gzip'),
    /** Larger events are dropped with a log line (default 1000000). */
    max_message_bytes: positiveInt.default(1_000_000),
    /** Most events per batch (default 2048). */
    bulk_max_size: positiveInt.default(2048),
    /** How long a partial batch waits (default 0: send at once). */
    bulk_flush_frequency: durationSchema.default(0),
    /** How long a request may take (default 30s). */
    timeout: durationSchema.default(30_000),
    /** How long the broker waits for the required acks (default 10s). */
    broker_timeout: durationSchema.default(10_000),
    client_id: nonEmpty.default('beats'),
    /** Kafka protocol version the brokers speak at least (default 2.1.0). */
    version: nonEmpty.default('2.1.0').refine(
      (v) => {
        const m = KAFKA_VERSION.exec(v);
        return m !== null && (Number(m[1]) > 2 || (Number(m[1]) === 2 && Number(m[2]) >= 1));
      },
      { message: 'wirebeat speaks the Kafka protocol of 2.1 and later (Kafka 4 brokers refuse older)' },
    ),
    /** Retry delays of a failed batch. */
    backoff: z
      .strictObject({ init: durationSchema.default(1000), max: durationSchema.default(60_000) })
      .prefault({}),
    metadata: z
      .strictObject({
        /** How old topic metadata may get before it is fetched again (default 10m). */
        refresh_frequency: durationSchema.default(600_000),
      })
      .prefault({}),
    /** Message headers added to every event. */
    headers: z.array(z.strictObject({ key: nonEmpty, value: z.string() })).optional(),
    username: nonEmpty.optional(),
    password: z.string().optional(),
    sasl: z
      .strictObject({ mechanism: z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']).default('PLAIN') })
      .optional(),
    ssl: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** CA certificates (PEM files, or PEM text) trusted for the brokers' certificates. */
        certificate_authorities: stringList.optional(),
        /** Client certificate and key (PEM files or text) for brokers that require them. */
        certificate: nonEmpty.optional(),
        key: nonEmpty.optional(),
        /** Passphrase of an encrypted `key`. */
        key_passphrase: z.string().optional(),
        /** TLS versions offered (default both). */
        supported_protocols: z
          .array(
            z.enum(['TLSv1.2', 'TLSv1.3'], {
              error: 'wirebeat speaks TLSv1.2 and TLSv1.3 (Kafka 4 brokers refuse older too)',
            }),
          )
          .min(1)
          .optional(),
        /**
         * full: chain and host name; strict: full, and the certificate must have a subjectAltName;
         * certificate: chain only; none: no check (tests only).
         */
        verification_mode: z.enum(['full', 'strict', 'certificate', 'none']).default('full'),
        // Beats settings Node's TLS cannot take as Beats means them: refused with the reason.
        cipher_suites: unsupported('Beats cipher suite names are Go names; Node uses OpenSSL defaults'),
        curve_types: unsupported('Node uses OpenSSL default curves'),
        ca_trusted_fingerprint: unsupported('use ssl.certificate_authorities'),
        ca_sha256: unsupported('use ssl.certificate_authorities'),
        renegotiation: unsupported('TLS renegotiation is never offered'),
        restart_on_cert_change: unsupported('restart the beat after changing certificates'),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    if (c.topic === undefined && c.topics === undefined)
      ctx.addIssue({ code: 'custom', message: 'set topic or topics', path: ['topic'] });
    if ((c.username === undefined) !== (c.password === undefined))
      ctx.addIssue({ code: 'custom', message: 'username and password go together', path: ['username'] });
    if (c.sasl && c.username === undefined)
      ctx.addIssue({ code: 'custom', message: 'sasl needs username and password', path: ['sasl'] });
    if (c.ssl && (c.ssl.certificate === undefined) !== (c.ssl.key === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'certificate and key go together',
        path: ['ssl', 'certificate'],
      });
  });

export type KafkaOutputConfig = z.output<typeof kafkaOutputSchema>;
