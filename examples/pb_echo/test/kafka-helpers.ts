// pb_echo into a real Kafka (scripts/kafka.js): the capture's console events, and a comparison of
// a topic's messages with them.
import * as path from 'path';
import { readTopic, topicSize } from '../../../packages/publisher/test/helpers/kafka';
import { withoutBeatFields } from '@wirebeat/testing';
import { events, ROOT, runPbEcho } from './pb-echo-cli';

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
