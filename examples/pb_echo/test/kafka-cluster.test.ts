// pb_echo -> output.kafka with a cluster of three brokers (scripts/kafka.js, replication factor 3,
// three partitions): one broker is killed (SIGKILL) in the middle of a replay. The topic ends up
// with exactly the capture's events as the console prints them: the partitions it led move to the
// others, and the idempotent producer's resends are recognised, not written twice.
import { kafkaScript, KAFKA_TEST_TIMEOUT_MS } from '../../../packages/publisher/test/helpers/kafka';
import { expectExactlyOnce, replayThroughFault, testKafkaOutput, useFaultSuite } from './kafka-helpers';

jest.setTimeout(KAFKA_TEST_TIMEOUT_MS);

describe('pb_echo into a three-broker Kafka cluster', () => {
  const suite = useFaultSuite(`pbecho-cluster-${process.pid}`, 3);

  it('`test output` lists the three brokers', async () => {
    const r = await testKafkaOutput(suite.brokers);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/OK, cluster \S+, 3 brokers: /);
  });

  it('delivers every event exactly once when a broker is killed mid-replay', async () => {
    const topic = 'killed';
    const r = await replayThroughFault(suite, topic, { 'partition.round_robin.group_events': 100 }, () =>
      kafkaScript.killNode({ name: suite.name, id: 2 }),
    );
    const alive = suite.brokers.filter((_, i) => i !== 1);
    await expectExactlyOnce(suite, r, topic, alive);
  });
});
