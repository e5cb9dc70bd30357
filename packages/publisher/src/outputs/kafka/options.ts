// The client's options from output.kafka (shared by the producer and the metadata probe).
import type { ProducerOptions } from '@platformatic/kafka';
import { OutputConfigError } from '../../errors';
import { kafkaLib } from './client-lib';
import type { KafkaOutputConfig } from './schema';
import { tlsOptions } from './tls';

export type KafkaProducerOptions = ProducerOptions<string, string, string, string>;

/** How many times the client resends one request to the same broker before it gives up (Beats' max_retries default). */
export const CLIENT_RETRIES = 3;

/** The client's options from `output.kafka`; refuses what the client cannot do. */
export function producerOptions(cfg: KafkaOutputConfig): KafkaProducerOptions {
  const lib = kafkaLib();
  if (cfg.compression !== 'none' && !lib.compressionsAlgorithms[cfg.compression].available) {
    throw new OutputConfigError(
      `output.kafka.compression: ${cfg.compression} is not available in this Node.js (${process.version}); use gzip, snappy or lz4`,
    );
  }
  const idempotent = cfg.required_acks === -1;
  const opts: KafkaProducerOptions = {
    clientId: cfg.client_id,
    bootstrapBrokers: cfg.hosts,
    idempotent,
    acks: cfg.required_acks,
    compression: cfg.compression,
    // The produce request's own timeout is what the broker waits for the acks.
    timeout: cfg.broker_timeout,
    connectTimeout: cfg.timeout,
    retries: CLIENT_RETRIES,
    retryDelay: cfg.backoff.init,
    metadataMaxAge: cfg.metadata.refresh_frequency,
    autocreateTopics: true,
    serializers: lib.stringSerializers,
    tls: tlsOptions(cfg),
  };
  if (cfg.username !== undefined) {
    opts.sasl = {
      mechanism: cfg.sasl?.mechanism ?? 'PLAIN',
      username: cfg.username,
      password: cfg.password ?? '',
    };
  }
  return opts;
}
