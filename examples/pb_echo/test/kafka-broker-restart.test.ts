// pb_echo -> output.kafka with a single broker (scripts/kafka.js) that is stopped and started again
// in the middle of a replay: the topic ends up with exactly the capture's events, as the console
// prints them, none lost and none twice (the idempotent producer resends what was not acknowledged).
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

const NAME = `pbecho-single-${process.pid}`;

describe('pb_echo into a single Kafka broker', () => {
  let brokers: string[] = [];
  let capture: string;
  let expected: string[];

  beforeAll(async () => {
    [brokers, capture] = await Promise.all([
      kafkaScript.start({ name: NAME, nodes: 1 }).then((r) => r.brokers),
      faultCapture(),
    ]);
    expected = await consoleEvents(capture);
  });
  afterAll(() => kafkaScript.stop({ name: NAME }));

  it('`test output` reports the broker', async () => {
    const r = await runPbEcho([
      'test',
      'output',
      '-E',
      `output.kafka.hosts=${JSON.stringify(brokers)}`,
      '-E',
      'output.kafka.topic=t',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^kafka: ${brokers[0]} OK, cluster \\S+, 1 brokers: ${brokers[0]}`));
  });

  it('`test output` fails with one line when no broker answers', async () => {
    const r = await runPbEcho([
      'test',
      'output',
      '-E',
      'output.kafka.hosts=["127.0.0.1:1"]',
      '-E',
      'output.kafka.topic=t',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^pb_echo: .*kafka: 127\.0\.0\.1:1: /);
  });

  it('refuses an option value the client cannot honour, with one line', async () => {
    const r = await runPbEcho([
      '-I',
      capture,
      '-t',
      '-E',
      `output.kafka.hosts=${JSON.stringify(brokers)}`,
      '-E',
      'output.kafka.topic=t',
      '-E',
      'output.kafka.compression=brotli',
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
      capture,
      '-t',
      '-E',
      `output.kafka.hosts=${JSON.stringify(brokers)}`,
      '-E',
      'output.kafka.topic=fmt-%{[type]}',
      '-E',
      'output.kafka.compression=lz4',
    ]);
    expect(r.code).toBe(0);
    expect(await topicSize(brokers, 'fmt-echo')).toBe(expected.length);
  });

  it('delivers every event exactly once across a broker restart mid-replay', async () => {
    const topic = 'restart';
    const child = startPbEcho([
      '-I',
      capture,
      '-t',
      '-E',
      `output.kafka.hosts=${JSON.stringify(brokers)}`,
      '-E',
      `output.kafka.topic=${topic}`,
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
    await kafkaScript.killNode({ name: NAME, id: 1, signal: 'SIGTERM' });
    const atStop = exited;
    await kafkaScript.startNode({ name: NAME, id: 1 });
    const r = await done;
    if (r.code !== 0) throw new Error(`pb_echo exited ${r.code}:\n${r.stderr.slice(-3000)}`);
    expect(atStop).toBe(false);
    expect(exitPublisherMetrics(r.stderr)).toMatchObject({
      published: expected.length,
      acked: expected.length,
      failed: 0,
      dropped: 0,
    });
    expect(await topicSize(brokers, topic)).toBe(expected.length);
    expect(await topicEvents(brokers, topic)).toEqual(expected);
  });
});
