// A real Kafka for tests (scripts/kafka.js), and what landed in a topic. The client library is an
// ES module that Jest's CommonJS registry cannot load: topics are read by the script, in a child
// Node process.
import { execFile } from 'child_process';
import * as path from 'path';

/** SASL mechanisms of the test users (one user each). */
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** What clients of a `secure` instance need (scripts/kafka-security.js). */
export interface KafkaSecurity {
  /** Bootstrap `host:port` lists of the secured listeners. */
  listeners: Record<'SSL' | 'MTLS' | 'NOSAN' | 'SASL_SSL' | 'SASL_PLAINTEXT', string[]>;
  /** The CA that signed the brokers' and the client's certificates (PEM file). */
  ca: string;
  clientCertificate: string;
  clientKey: string;
  /** The client key encrypted (PKCS#8, AES-256), and its passphrase. */
  clientKeyEncrypted: string;
  clientKeyPassphrase: string;
  users: Record<SaslMechanism, { username: string; password: string }>;
}

/** scripts/kafka.js, the script that runs our local Kafka instances. */
export interface KafkaScript {
  start(opts: {
    name: string;
    nodes?: number;
    secure?: boolean;
  }): Promise<{ brokers: string[]; started: boolean; security?: KafkaSecurity }>;
  stop(opts: { name: string }): Promise<{ stopped: boolean }>;
  killNode(opts: { name: string; id: number; signal?: NodeJS.Signals }): Promise<void>;
  startNode(opts: { name: string; id: number }): Promise<void>;
  KAFKA_VERSION: string;
}

const SCRIPT = path.join(__dirname, '../../../../scripts/kafka.js');

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const kafkaScript: KafkaScript = require(SCRIPT);

/** Tests that start Kafka may take a while on a loaded machine. */
export const KAFKA_TEST_TIMEOUT_MS = 600_000;

function script(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SCRIPT, ...args], { maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kafka.js ${args[0]}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Messages in `topic` (the sum of its partitions' end offsets); 0 while it does not exist. */
export async function topicSize(brokers: string[], topic: string): Promise<number> {
  return Number(await script(['size', '--brokers', brokers.join(','), '--topic', topic]));
}

/** Every message value of `topic`, from the start. */
export async function readTopic(brokers: string[], topic: string): Promise<string[]> {
  const out = await script(['read', '--brokers', brokers.join(','), '--topic', topic]);
  return out.split('\n').filter((l) => l !== '');
}
