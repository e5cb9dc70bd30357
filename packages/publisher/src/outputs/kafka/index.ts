// output.kafka: events as JSON messages to Kafka topics.
import { OutputConnectionError } from '../../errors';
import { defineOutput } from '../define';
import { kafkaLib } from './client-lib';
import { describeKafkaError, KafkaOutput, producerOptions } from './output';
import { kafkaOutputSchema } from './schema';

export { kafkaOutputSchema, type KafkaOutputConfig } from './schema';
export { KafkaOutput } from './output';

/** The Kafka output's definition; `test output` asks the brokers for the cluster's metadata. */
export const kafkaOutput = defineOutput({
  name: 'kafka',
  schema: kafkaOutputSchema,
  create: (cfg, ctx) => new KafkaOutput(cfg, ctx),
  async test(cfg) {
    const opts = producerOptions(cfg);
    const admin = new (kafkaLib().Admin)({
      clientId: opts.clientId,
      bootstrapBrokers: cfg.hosts,
      connectTimeout: cfg.timeout,
      timeout: cfg.timeout,
      retries: 0,
      tls: opts.tls,
      sasl: opts.sasl,
    });
    try {
      const md = await admin.metadata({ topics: [] });
      const brokers = [...md.brokers.values()].map((b) => `${b.host}:${b.port}`);
      return `kafka: ${cfg.hosts.join(', ')} OK, cluster ${md.id}, ${brokers.length} brokers: ${brokers.join(', ')}`;
    } catch (e) {
      throw new OutputConnectionError(`kafka: ${cfg.hosts.join(', ')}: ${describeKafkaError(e)}`);
    } finally {
      await admin.close().catch(() => undefined);
    }
  },
});
