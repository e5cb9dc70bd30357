// output.kafka: events as JSON messages to Kafka topics.
import { OutputConnectionError, TlsVerificationError } from '../../errors';
import { defineOutput } from '../define';
import { describeKafkaError, securityProblem } from './errors';
import { KafkaOutput } from './output';
import { clusterMetadata, securityLabel } from './probe';
import { kafkaOutputSchema } from './schema';

export { kafkaOutputSchema, type KafkaOutputConfig } from './schema';
export { KafkaOutput } from './output';

/** The Kafka output's definition; `test output` asks the brokers for the cluster's metadata. */
export const kafkaOutput = defineOutput({
  name: 'kafka',
  schema: kafkaOutputSchema,
  create: (cfg, ctx) => new KafkaOutput(cfg, ctx),
  async test(cfg) {
    const hosts = cfg.hosts.join(', ');
    try {
      const md = await clusterMetadata(cfg, cfg.timeout);
      const brokers = [...md.brokers.values()].map((b) => `${b.host}:${b.port}`);
      return `kafka: ${hosts}${securityLabel(cfg)} OK, cluster ${md.id}, ${brokers.length} brokers: ${brokers.join(', ')}`;
    } catch (e) {
      const problem = securityProblem(e, cfg);
      if (problem?.tls) throw new TlsVerificationError(`kafka: ${hosts}: ${problem.line}`);
      const line = problem?.line ?? describeKafkaError(e);
      // A broker closes a connection it cannot read: TLS or SASL missing on our side, or a client certificate.
      const hint = /Connection closed$/.test(line)
        ? ' (does the listener want TLS, SASL or a client certificate?)'
        : '';
      throw new OutputConnectionError(`kafka: ${hosts}: ${line}${hint}`);
    }
  },
});
