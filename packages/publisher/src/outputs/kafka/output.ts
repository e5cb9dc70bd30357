// Events as JSON messages to Kafka with the idempotent producer (acks from all in-sync replicas,
// one request in flight, sequence numbers per partition): the client resends a request until the
// brokers take it, and a broker that already stored it answers with the stored offsets, so a
// broker restart neither loses nor duplicates events.
import type { Producer } from '@platformatic/kafka';
import { OutputConfigError, OutputConnectionError, TlsVerificationError } from '../../errors';
import type { BatchResult, BeatEvent, Output, OutputBatching, OutputContext } from '../../types';
import { kafkaLib } from './client-lib';
import { describeKafkaError, securityProblem } from './errors';
import { compileFormat, type Formatter } from './format';
import { partitionChooser, type PartitionChooser } from './partition';
import { clusterMetadata } from './probe';
import type { KafkaOutputConfig } from './schema';
import { CLIENT_RETRIES, producerOptions, type KafkaProducerOptions } from './options';
import { topicSelector, type TopicSelector } from './topic';

type KafkaProducer = Producer<string, string, string, string>;

/**
 * The idempotent producer of @platformatic/kafka resends a request forever, to the leader it first
 * chose: a dead leader would hold the batch for good. Its options sit under this private symbol;
 * we bound the resends so that send() fails and the output can look up the new leader and resend
 * the same messages (same partitions, same sequence numbers: the new leader knows them).
 */
function boundClientRetries(producer: object): void {
  const key = Object.getOwnPropertySymbols(producer).find((s) => s.description === 'plt.kafka.base.options');
  const options = key && (producer as Record<symbol, { retries?: number }>)[key];
  if (options) options.retries = CLIENT_RETRIES;
}

/** True for failures another attempt may cure (connection lost, leader moved, broker busy). */
function isRetryable(e: unknown, depth = 0): boolean {
  if (e === null || typeof e !== 'object' || depth > 8) return false;
  const err = e as {
    canRetry?: unknown;
    code?: unknown;
    hasStaleMetadata?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (err.canRetry === true || err.hasStaleMetadata === true || err.code === 'PLT_KFK_NETWORK') return true;
  // The client nests causes (MultipleErrors); its own findBy trips over empty slots, so walk them here.
  if (Array.isArray(err.errors) && err.errors.some((x) => isRetryable(x, depth + 1))) return true;
  return isRetryable(err.cause, depth + 1);
}

interface KafkaMessage {
  topic: string;
  key?: string;
  value: string;
  partition: number;
  headers?: Record<string, string>;
}

/**
 * Splits messages into requests of at most `maxBytes` of values: the client sends a partition's
 * messages as one record batch, and brokers refuse batches over message.max.bytes (1 MB by default).
 */
function chunks(messages: KafkaMessage[], maxBytes: number): KafkaMessage[][] {
  const out: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.value) + (m.key ? Buffer.byteLength(m.key) : 0) + 64;
    if (current.length > 0 && bytes + size > maxBytes) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long the start-up check waits for the brokers: a silent broker is an outage, left to the retries. */
const PROBE_TIMEOUT_MS = 10_000;

/** Ships batches to Kafka, one message per event. */
export class KafkaOutput implements Output {
  readonly name = 'kafka';
  readonly batching: OutputBatching;
  private producer: KafkaProducer | undefined;
  private readonly options: KafkaProducerOptions;
  private readonly topic: TopicSelector;
  private readonly key: Formatter | undefined;
  private readonly choose: PartitionChooser;
  private readonly headers: Record<string, string> | undefined;
  /** Where an event went the first time: a retry goes to the same partition (same sequence numbers). */
  private readonly placed = new WeakMap<BeatEvent, { topic: string; partition: number }>();

  constructor(
    private readonly cfg: KafkaOutputConfig,
    private readonly ctx: OutputContext,
  ) {
    this.options = producerOptions(cfg);
    this.topic = topicSelector(cfg, ctx.compileCondition);
    this.key = cfg.key !== undefined ? compileFormat(cfg.key, 'output.kafka.key') : undefined;
    this.choose = partitionChooser(cfg.partition);
    this.headers = cfg.headers ? Object.fromEntries(cfg.headers.map((h) => [h.key, h.value])) : undefined;
    this.batching = {
      maxEvents: cfg.bulk_max_size,
      // One batch in flight: the idempotent producer's sequence numbers need them in order.
      concurrency: 1,
      // 0 (Beats' default) leaves the wait to queue.mem.flush.timeout: batches stay full.
      flushIntervalMs: cfg.bulk_flush_frequency > 0 ? cfg.bulk_flush_frequency : undefined,
      backoffInitMs: cfg.backoff.init,
      backoffMaxMs: cfg.backoff.max,
    };
  }

  /**
   * Asks the brokers for metadata once, then creates the producer. Wrong credentials or a broker
   * certificate that does not verify end the start-up (no retry cures them); brokers that do not
   * answer yet are left to the retries of the first batch.
   */
  async connect(): Promise<void> {
    const hosts = this.cfg.hosts.join(', ');
    this.ctx.logger.info(
      { hosts: this.cfg.hosts },
      `kafka output: ${hosts}${this.options.idempotent ? ' (idempotent producer)' : ''}`,
    );
    try {
      await clusterMetadata(this.cfg, Math.min(this.cfg.timeout, PROBE_TIMEOUT_MS));
    } catch (e) {
      const problem = securityProblem(e, this.cfg);
      if (problem?.tls) throw new TlsVerificationError(`kafka: ${hosts}: ${problem.line}`);
      if (problem) throw new OutputConnectionError(`kafka: ${hosts}: ${problem.line}`);
      this.ctx.logger.warn(`Kafka not reachable yet (${describeKafkaError(e)}); will retry`);
    }
    if (!this.options.idempotent)
      this.ctx.logger.warn(
        `output.kafka.required_acks ${this.cfg.required_acks}: the idempotent producer needs -1; a broker failure may lose or repeat events`,
      );
    this.producer = new (kafkaLib().Producer)(this.options) as KafkaProducer;
    boundClientRetries(this.producer);
  }

  /** Sends a batch; too-large or topic-less events fail, a failed request is retried whole. */
  async publishBatch(batch: BeatEvent[], signal?: AbortSignal): Promise<BatchResult> {
    const producer = this.producer;
    if (!producer) throw new OutputConfigError('kafka output used before connect()');
    let failed = 0;
    const pending: Array<{ event: BeatEvent; topic: string; key?: string; value: string }> = [];
    for (const event of batch) {
      const value = event.json ?? JSON.stringify(event.fields);
      const placed = this.placed.get(event);
      const topic = placed?.topic ?? this.topic(event.fields);
      if (topic === undefined) {
        failed++;
        this.ctx.logger.warn(
          `event ${event.id ?? '(no id)'} dropped: no topic for it (output.kafka.topic/topics)`,
        );
      } else if (Buffer.byteLength(value) > this.cfg.max_message_bytes) {
        failed++;
        this.ctx.logger.warn(
          `event ${event.id ?? '(no id)'} dropped: ${Buffer.byteLength(value)} bytes > output.kafka.max_message_bytes`,
        );
      } else pending.push({ event, topic, key: this.key?.(event.fields), value });
    }
    if (pending.length === 0) return { acked: 0, failed, retry: [] };
    const messages: KafkaMessage[] = [];
    try {
      const topics = [...new Set(pending.map((p) => p.topic))];
      const md = await abortable(producer.metadata({ topics, autocreateTopics: true }), signal);
      for (const p of pending) {
        let partition = this.placed.get(p.event)?.partition;
        if (partition === undefined) {
          const t = md.topics.get(p.topic)!;
          const reachable = t.partitions.flatMap((x, i) =>
            x.leader >= 0 && md.brokers.has(x.leader) ? [i] : [],
          );
          partition = this.choose(p.topic, p.key, p.event.fields, t.partitionsCount, reachable);
          this.placed.set(p.event, { topic: p.topic, partition });
        }
        messages.push({ topic: p.topic, key: p.key, value: p.value, partition, headers: this.headers });
      }
    } catch (e) {
      return { acked: 0, failed, retry: pending.map((p) => p.event), retryReason: describeKafkaError(e) };
    }
    let acked = 0;
    for (const chunk of chunks(messages, this.cfg.max_message_bytes)) {
      const r = await this.sendChunk(producer, chunk, signal);
      if (r !== undefined) {
        const rest = pending.slice(acked).map((p) => p.event);
        return { acked, failed, retry: rest, retryReason: r };
      }
      acked += chunk.length;
    }
    return { acked, failed, retry: [] };
  }

  /**
   * Sends one chunk until the brokers take it; resolves undefined then, or with the reason when it
   * gives up (aborted, or an error no resend can cure). The same messages are resent as they are:
   * the idempotent producer's sequence numbers only advance on success, so a batch a broker stored
   * before it died is recognised by the new leader instead of being written twice.
   */
  private async sendChunk(
    producer: KafkaProducer,
    messages: KafkaMessage[],
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    let delay = this.cfg.backoff.init;
    for (;;) {
      try {
        await abortable(producer.send({ messages }), signal);
        return undefined;
      } catch (e) {
        if (signal?.aborted || !isRetryable(e)) return describeKafkaError(e);
        this.ctx.logger.warn(
          `kafka: ${messages.length} events to resend in ${delay} ms: ${describeKafkaError(e)}`,
        );
        producer.clearMetadata();
        await abortable(sleep(delay), signal).catch(() => undefined);
        delay = Math.min(delay * 2, this.cfg.backoff.max);
      }
    }
  }

  /** Closes the producer's connections (idempotent). */
  async close(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    if (p) await p.close().catch(() => undefined);
  }
}

/** `p`, or a rejection when `signal` aborts first (the pipeline gives up at close). */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
