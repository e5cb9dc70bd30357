// pb_echo -> output.kafka with a cluster of three brokers (scripts/kafka.js, replication factor 3,
// three partitions): one broker is killed (SIGKILL) in the middle of a replay. The topic ends up
// with exactly the capture's events as the console prints them: the partitions it led move to the
// others, and the idempotent producer's resends are recognised, not written twice.
import {
  kafkaScript,
  KAFKA_TEST_TIMEOUT_MS,
  topicSize,
} from '../../../packages/publisher/test/helpers/kafka';
import {
  consoleEvents,
  exitPublisherMetrics,
  faultCapture,
  topicEvents,
  untilTopicHolds,
} from './kafka-helpers';
import { finished, runPbEcho, startPbEcho } from './pb-echo-cli';

jest.setTimeout(KAFKA_TEST_TIMEOUT_MS);

const NAME = `pbecho-cluster-${process.pid}`;

describe('pb_echo into a three-broker Kafka cluster', () => {
  let brokers: string[] = [];
  let capture: string;
  let expected: string[];

  beforeAll(async () => {
    [brokers, capture] = await Promise.all([
      kafkaScript.start({ name: NAME, nodes: 3 }).then((r) => r.brokers),
      faultCapture(),
    ]);
    expected = await consoleEvents(capture);
  });
  afterAll(() => kafkaScript.stop({ name: NAME }));

  it('`test output` lists the three brokers', async () => {
    const r = await runPbEcho([
      'test',
      'output',
      '-E',
      `output.kafka.hosts=${JSON.stringify(brokers)}`,
      '-E',
      'output.kafka.topic=t',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/OK, cluster \S+, 3 brokers: /);
  });

  it('delivers every event exactly once when a broker is killed mid-replay', async () => {
    const topic = 'killed';
    const child = startPbEcho([
      '-I',
      capture,
      '-t',
      '-E',
      `output.kafka.hosts=${JSON.stringify(brokers)}`,
      '-E',
      `output.kafka.topic=${topic}`,
      '-E',
      'output.kafka.partition.round_robin.group_events=100',
      '-E',
      'output.kafka.backoff.init=200ms',
      '-E',
      'output.kafka.backoff.max=2s',
      '-E',
      'queue.mem.flush.min_events=500',
    ]);
    const done = finished(child);
    let exited = false;
    void done.then(() => (exited = true));
    await untilTopicHolds(brokers, topic, 5000, () => exited);
    await kafkaScript.killNode({ name: NAME, id: 2 });
    const atKill = exited;
    const r = await done;
    if (r.code !== 0) throw new Error(`pb_echo exited ${r.code}:\n${r.stderr.slice(-3000)}`);
    expect(atKill).toBe(false);
    expect(exitPublisherMetrics(r.stderr)).toMatchObject({
      published: expected.length,
      acked: expected.length,
      failed: 0,
      dropped: 0,
    });
    const alive = brokers.filter((_, i) => i !== 1);
    expect(await topicSize(alive, topic)).toBe(expected.length);
    expect(await topicEvents(alive, topic)).toEqual(expected);
  });
});
