// A real Kafka for tests (scripts/kafka.js) and a reader of what landed in a topic.
import { createRequire } from 'module';
import * as path from 'path';
import type * as KafkaLib from '@platformatic/kafka';

/** scripts/kafka.js, the script that runs our local Kafka instances. */
export interface KafkaScript {
  start(opts: { name: string; nodes?: number }): Promise<{ brokers: string[]; started: boolean }>;
  stop(opts: { name: string }): Promise<{ stopped: boolean }>;
  killNode(opts: { name: string; id: number; signal?: NodeJS.Signals }): Promise<void>;
  startNode(opts: { name: string; id: number }): Promise<void>;
  KAFKA_VERSION: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const kafkaScript: KafkaScript = require(path.join(__dirname, '../../../../scripts/kafka.js'));

/** The client library, through Node's own require (it is an ES module; see outputs/kafka/client-lib.ts). */
export const kafkaLib = createRequire(__filename)('@platformatic/kafka') as typeof KafkaLib;

/** Tests that start Kafka may take a while on a loaded machine. */
export const KAFKA_TEST_TIMEOUT_MS = 600_000;

function consumer(brokers: string[]) {
  return new kafkaLib.Consumer({
    clientId: 'wirebeat-test-reader',
    groupId: `wirebeat-test-${process.pid}-${Math.random().toString(36).slice(2)}`,
    bootstrapBrokers: brokers,
    deserializers: kafkaLib.stringDeserializers,
  });
}

/** Messages in `topic` (the sum of its partitions' end offsets); 0 while it does not exist. */
export async function topicSize(brokers: string[], topic: string): Promise<number> {
  const c = consumer(brokers);
  try {
    const offsets = await c.listOffsets({ topics: [topic] });
    return (offsets.get(topic) ?? []).reduce((sum, o) => sum + Number(o), 0);
  } catch {
    return 0;
  } finally {
    await c.close().catch(() => undefined);
  }
}

/** Every message value of `topic` from the start, once `expected` of them have been read. */
export async function readTopic(brokers: string[], topic: string, expected: number): Promise<string[]> {
  const c = consumer(brokers);
  const values: string[] = [];
  try {
    const stream = await c.consume({
      topics: [topic],
      mode: kafkaLib.MessagesStreamModes.EARLIEST,
      autocommit: false,
    });
    for await (const m of stream) {
      values.push(m.value as string);
      if (values.length >= expected) break;
    }
    await stream.close();
  } finally {
    await c.close().catch(() => undefined);
  }
  return values;
}
