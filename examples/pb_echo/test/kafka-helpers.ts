// pb_echo into a real Kafka (scripts/kafka.js): the capture's console events, and a comparison of
// a topic's messages with them.
import { execFile } from 'child_process';
import * as path from 'path';
import { kafkaScript, readTopic, topicSize } from '../../../packages/publisher/test/helpers/kafka';
import { withoutBeatFields } from '@wirebeat/testing';
import { events, finished, ROOT, runPbEcho, startPbEcho, type RunResult } from './pb-echo-cli';

interface SyntheticCaptures {
  ensureSyntheticCapture(o: { connections: number; pairs: number }): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const synthetic: SyntheticCaptures = require(path.join(ROOT, 'packages/tcp-reassembly/bench/synthetic.js'));

/** A capture of 40,000 echo transactions (4,000 connections of 10 exchanges). */
export function faultCapture(): Promise<string> {
  return synthetic.ensureSyntheticCapture({ connections: 4000, pairs: 10 });
}

/** The capture's events as the console prints them, without the beat's added fields, as sorted JSON lines. */
export async function consoleEvents(capture: string): Promise<string[]> {
  const r = await runPbEcho(['-I', capture, '-t']);
  if (r.code !== 0) throw new Error(`pb_echo (console) exited ${r.code}:\n${r.stderr.slice(-2000)}`);
  return events(r.stdout)
    .map((e) => JSON.stringify(e))
    .sort();
}

/** A topic's messages as events without the beat's added fields, as sorted JSON lines. */
export async function topicEvents(brokers: string[], topic: string): Promise<string[]> {
  const values = await readTopic(brokers, topic);
  return values
    .map((v) => {
      return JSON.stringify(withoutBeatFields(JSON.parse(v) as Record<string, unknown>));
    })
    .sort();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `topic` holds at least `n` messages; fails when `gone()` says the producer ended first. */
export async function untilTopicHolds(
  brokers: string[],
  topic: string,
  n: number,
  gone: () => boolean,
): Promise<void> {
  for (;;) {
    if ((await topicSize(brokers, topic)) >= n) return;
    if (gone()) throw new Error(`pb_echo ended before ${n} messages were in ${topic}`);
    await sleep(100);
  }
}

/** The exit metrics line pb_echo logs on stderr. */
export function exitPublisherMetrics(stderr: string): Record<string, number> {
  const line = stderr.split('\n').find((l) => l.includes('"metrics at exit"'));
  if (!line) throw new Error(`no metrics line on stderr:\n${stderr.slice(-3000)}`);
  return (JSON.parse(line) as { metrics: { publisher: Record<string, number> } }).metrics.publisher;
}

/** `-E` options for output.kafka: the hosts, the topic and `settings` (path under output.kafka -> value). */
export function kafkaOptions(
  hosts: string[],
  topic: string,
  settings: Record<string, string | number> = {},
): string[] {
  const all: Record<string, string | number> = { hosts: JSON.stringify(hosts), topic, ...settings };
  return Object.entries(all).flatMap(([k, v]) => ['-E', `output.kafka.${k}=${v}`]);
}

/** `pb_echo test output` with output.kafka. */
export function testKafkaOutput(
  hosts: string[],
  settings: Record<string, string | number> = {},
): Promise<RunResult> {
  return runPbEcho(['test', 'output', ...kafkaOptions(hosts, 't', settings)]);
}

/** A fault-test instance (scripts/kafka.js) and the capture's console events, set up once per suite. */
export interface FaultSuite {
  name: string;
  brokers: string[];
  capture: string;
  expected: string[];
}

/** Starts `nodes` brokers and reads the fault capture's console events in beforeAll; stops them in afterAll. */
export function useFaultSuite(name: string, nodes: 1 | 3): FaultSuite {
  const suite: FaultSuite = { name, brokers: [], capture: '', expected: [] };
  beforeAll(async () => {
    [suite.brokers, suite.capture] = await Promise.all([
      kafkaScript.start({ name, nodes }).then((r) => r.brokers),
      faultCapture(),
    ]);
    suite.expected = await consoleEvents(suite.capture);
  });
  afterAll(() => kafkaScript.stop({ name }));
  return suite;
}

/**
 * Replays the fault capture into `topic` with quick resends, calls `fault()` once 5,000 messages
 * are in; resolves with the run and whether pb_echo was still running when the fault happened.
 */
export async function replayThroughFault(
  suite: FaultSuite,
  topic: string,
  settings: Record<string, string | number>,
  fault: () => Promise<void>,
): Promise<{ run: RunResult; runningAtFault: boolean }> {
  const child = startPbEcho([
    '-I',
    suite.capture,
    '-t',
    ...kafkaOptions(suite.brokers, topic, { 'backoff.init': '200ms', 'backoff.max': '2s', ...settings }),
    '-E',
    'queue.mem.flush.min_events=500',
  ]);
  const done = finished(child);
  let exited = false;
  void done.then(() => (exited = true));
  await untilTopicHolds(suite.brokers, topic, 5000, () => exited);
  await fault();
  const runningAtFault = !exited;
  const run = await done;
  if (run.code !== 0) throw new Error(`pb_echo exited ${run.code}:\n${run.stderr.slice(-3000)}`);
  return { run, runningAtFault };
}

/** Every event published and acknowledged once, and the topic (read from `brokers`) holding exactly the console's events. */
export async function expectExactlyOnce(
  suite: FaultSuite,
  r: { run: RunResult; runningAtFault: boolean },
  topic: string,
  brokers: string[] = suite.brokers,
): Promise<void> {
  expect(r.runningAtFault).toBe(true);
  expect(exitPublisherMetrics(r.run.stderr)).toMatchObject({
    published: suite.expected.length,
    acked: suite.expected.length,
    failed: 0,
    dropped: 0,
  });
  expect(await topicSize(brokers, topic)).toBe(suite.expected.length);
  expect(await topicEvents(brokers, topic)).toEqual(suite.expected);
}

/**
 * The built publisher's `test output` for each output.kafka config, all in one child Node process
 * (Jest cannot load the Kafka client, an ES module): the report, or `ErrorClass: message`.
 */
export function publisherTestOutputs(configs: Array<Record<string, unknown>>): Promise<string[]> {
  const script = `
    const pub = require(${JSON.stringify(path.join(ROOT, 'packages/publisher/dist/index.js'))});
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const ctx = { beatName: 'pb_echo', beatVersion: '0.1.0', logger: quiet, fields: [] };
    (async () => {
      const out = [];
      for (const kafka of JSON.parse(process.argv[1])) {
        out.push(await pub.testOutput(pub.outputsConfigSchema.parse({ kafka }), ctx)
          .catch((e) => e.constructor.name + ': ' + e.message));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, JSON.stringify(configs)], (err, stdout, stderr) => {
      if (err) reject(new Error(`test output child failed: ${stderr.trim() || err.message}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
  });
}
