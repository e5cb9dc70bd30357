// pb_echo -> output.kafka with a single broker (scripts/kafka.js) that is stopped and started again
// in the middle of a replay: the topic ends up with exactly the capture's events, as the console
// prints them, none lost and none twice (the idempotent producer resends what was not acknowledged).
import {
  kafkaScript,
  KAFKA_TEST_TIMEOUT_MS,
  topicSize,
} from '../../../packages/publisher/test/helpers/kafka';
import {
  expectExactlyOnce,
  kafkaOptions,
  replayThroughFault,
  testKafkaOutput,
  useFaultSuite,
} from './kafka-helpers';
import { runPbEcho } from './pb-echo-cli';

jest.setTimeout(KAFKA_TEST_TIMEOUT_MS);

describe('pb_echo into a single Kafka broker', () => {
  const suite = useFaultSuite(`pbecho-single-${process.pid}`, 1);

  it('`test output` reports the broker', async () => {
    const [broker] = suite.brokers;
    const r = await testKafkaOutput(suite.brokers);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^kafka: ${broker} OK, cluster \\S+, 1 brokers: ${broker}`));
  });

  it('`test output` fails with one line when no broker answers', async () => {
    const r = await testKafkaOutput(['127.0.0.1:1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pb_echo: .*kafka: 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  it('refuses an option value the client cannot honour, with one line', async () => {
    const r = await runPbEcho([
      '-I',
      suite.capture,
      '-t',
      ...kafkaOptions(suite.brokers, 't', { compression: 'brotli' }),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^pb_echo: invalid config: output\.kafka\.compression: /),
    ]);
  });

  it('sends events to the topic named by a format string', async () => {
    const r = await runPbEcho([
      '-I',
      suite.capture,
      '-t',
      ...kafkaOptions(suite.brokers, 'fmt-%{[type]}', { compression: 'lz4' }),
    ]);
    expect(r.code).toBe(0);
    expect(await topicSize(suite.brokers, 'fmt-echo')).toBe(suite.expected.length);
  });

  it('delivers every event exactly once across a broker restart mid-replay', async () => {
    const r = await replayThroughFault(suite, 'restart', {}, async () => {
      await kafkaScript.killNode({ name: suite.name, id: 1, signal: 'SIGTERM' });
      await kafkaScript.startNode({ name: suite.name, id: 1 });
    });
    await expectExactlyOnce(suite, r, 'restart');
  });
});
