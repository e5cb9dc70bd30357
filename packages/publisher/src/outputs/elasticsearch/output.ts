// Bulk indexing under the event's deterministic _id: a retry or a replayed file never duplicates.
// Final events use `index` (they replace whatever is stored under their id, which is the same event
// or a provisional version of it); provisional ones use `create` so that they never replace a
// stored document (409 means already stored). Retryable failures go back to the pipeline's queue.
import type { Client } from '@elastic/elasticsearch';
import { esLib } from './client-lib';
import { OutputConnectionError, TemplateSetupError } from '../../errors';
import type { TemplateConfig } from '../../config';
import type { ElasticsearchOutputConfig } from './schema';
import type { BatchResult, BeatEvent, FieldDefinition, Logger, Output, OutputBatching } from '../../types';
import { createClient, redactHost } from './client';
import { IndexNamer } from './index-name';
import { buildIndexTemplate } from './template';
import { verifyTlsHosts } from './tls-errors';

const BULK_FILTER = 'errors,items.*.status,items.*.error.type,items.*.error.reason';
const MAX_REJECTION_LOGS_PER_BATCH = 10;

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string };
}

interface BulkResponse {
  errors?: boolean;
  items?: Array<Record<string, BulkItem>>;
}

/** One line describing a client error, without request headers (they may hold credentials). */
export function describeEsError(e: unknown): string {
  if (e instanceof esLib().errors.ResponseError) {
    const body = e.body as
      | { error?: { type?: string; reason?: string; additional_unsuccessful_credentials?: string } | string }
      | undefined;
    const err = body?.error;
    let detail = typeof err === 'string' ? err : err ? `${err.type}: ${err.reason}` : e.message;
    // Says which credential failed (e.g. "API key: ... for id X"); Elasticsearch never puts secrets there.
    if (typeof err === 'object' && err.additional_unsuccessful_credentials) {
      detail += ` (${err.additional_unsuccessful_credentials})`;
    }
    return `HTTP ${e.statusCode}: ${detail}`;
  }
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** Whole-request failures worth retrying: the cluster is unreachable, busy, restarting or not yet authorised. */
export function isRetryableEsError(e: unknown): boolean {
  if (e instanceof esLib().errors.ResponseError) {
    const s = e.statusCode ?? 0;
    return s === 401 || s === 403 || s === 408 || s === 429 || s >= 500;
  }
  return !(e instanceof esLib().errors.SerializationError || e instanceof esLib().errors.ConfigurationError);
}

/** Resolved template name and pattern for a beat. */
export function templateNames(template: TemplateConfig, beatName: string, beatVersion: string) {
  const name = template.name ?? `${beatName}-${beatVersion}`;
  return { name, pattern: template.pattern ?? `${name}-*` };
}

/** Installs (or keeps, when overwrite is off and it exists) the index template. */
export async function installTemplate(
  client: Client,
  template: TemplateConfig,
  beat: { beatName: string; beatVersion: string; fields: FieldDefinition[] },
  signal?: AbortSignal,
): Promise<string> {
  const { name, pattern } = templateNames(template, beat.beatName, beat.beatVersion);
  const body = buildIndexTemplate(beat.fields, {
    pattern,
    beatName: beat.beatName,
    beatVersion: beat.beatVersion,
    numberOfShards: template.settings.number_of_shards,
    numberOfReplicas: template.settings.number_of_replicas,
    refreshInterval: template.settings.refresh_interval,
  });
  await client.transport.request(
    {
      method: 'PUT',
      path: `/_index_template/${encodeURIComponent(name)}`,
      querystring: { create: !template.overwrite },
      body,
    },
    { signal, maxRetries: 0 },
  );
  return name;
}

/** Ships batches to Elasticsearch with the bulk API. */
export class ElasticsearchOutput implements Output {
  readonly name = 'elasticsearch';
  readonly batching: OutputBatching;
  private readonly client: Client;
  private readonly namer: IndexNamer;
  private templateReady: boolean;
  private closed = false;

  constructor(
    private readonly cfg: ElasticsearchOutputConfig,
    private readonly beat: {
      beatName: string;
      beatVersion: string;
      logger: Logger;
      fields: FieldDefinition[];
    },
    private readonly template: TemplateConfig,
  ) {
    this.client = createClient(cfg);
    this.namer = new IndexNamer(cfg.index, beat.beatName, beat.beatVersion);
    this.templateReady = !template.enabled;
    this.batching = {
      maxEvents: cfg.bulk_max_size,
      maxBytes: cfg.bulk_max_bytes,
      flushIntervalMs: cfg.flush_interval,
      concurrency: cfg.worker * cfg.hosts.length,
      backoffInitMs: cfg.backoff.init,
      backoffMaxMs: cfg.backoff.max,
    };
  }

  /** Installs the index template when the cluster is reachable; otherwise the first batch does. */
  async connect(): Promise<void> {
    const hosts = this.cfg.hosts.map(redactHost).join(', ');
    this.beat.logger.info({ hosts }, `elasticsearch output: ${hosts}`);
    // A certificate that does not verify is a configuration error: fail now, never retry it.
    await verifyTlsHosts(this.cfg);
    if (this.templateReady) return;
    try {
      await this.ensureTemplate();
    } catch (e) {
      if (e instanceof esLib().errors.ResponseError && (e.statusCode === 401 || e.statusCode === 403)) {
        throw new OutputConnectionError(`elasticsearch: not authorised: ${describeEsError(e)}`);
      }
      if (!isRetryableEsError(e)) throw new TemplateSetupError(`index template: ${describeEsError(e)}`);
      this.beat.logger.warn(`Elasticsearch not reachable yet (${describeEsError(e)}); will retry`);
    }
  }

  /**
   * Sends one bulk request; per item: 2xx acked, 409 acked (a provisional event whose id is already
   * stored), 429/5xx retried, anything else failed.
   */
  async publishBatch(batch: BeatEvent[], signal?: AbortSignal): Promise<BatchResult> {
    if (!this.templateReady) {
      try {
        await this.ensureTemplate(signal);
      } catch (e) {
        if (isRetryableEsError(e))
          return { acked: 0, failed: 0, retry: batch, retryReason: `index template: ${describeEsError(e)}` };
        // A template the cluster refuses will not get better: index with dynamic mappings.
        this.beat.logger.error(`index template rejected, indexing without it: ${describeEsError(e)}`);
        this.templateReady = true;
      }
    }
    let resp: BulkResponse;
    try {
      resp = (await this.client.transport.request(
        {
          method: 'POST',
          path: '/_bulk',
          querystring: { filter_path: BULK_FILTER },
          bulkBody: this.encode(batch),
        },
        // A host that fails hands the request to the next (see createClient).
        { signal, maxRetries: this.cfg.hosts.length - 1 },
      )) as BulkResponse;
    } catch (e) {
      if (isRetryableEsError(e))
        return { acked: 0, failed: 0, retry: batch, retryReason: describeEsError(e) };
      this.beat.logger.error(`bulk request of ${batch.length} events rejected: ${describeEsError(e)}`);
      return { acked: 0, failed: batch.length, retry: [] };
    }
    if (!resp.errors) return { acked: batch.length, failed: 0, retry: [] };
    return this.sortItems(batch, resp.items ?? []);
  }

  /** Closes the client's sockets (idempotent: the pipeline and its owner may both close). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private async ensureTemplate(signal?: AbortSignal): Promise<void> {
    const name = await installTemplate(this.client, this.template, this.beat, signal);
    this.templateReady = true;
    this.beat.logger.info(`index template ${name} installed`);
  }

  /** The NDJSON body; the action line prefixes are reused while the index stays the same. */
  private encode(batch: BeatEvent[]): string {
    let body = '';
    let lastIndex = '';
    let indexPrefix = '';
    let createPrefix = '';
    for (const e of batch) {
      const index = this.namer.nameFor(e.timestamp);
      if (index !== lastIndex) {
        lastIndex = index;
        indexPrefix = `{"index":{"_index":${JSON.stringify(index)}`;
        createPrefix = `{"create":{"_index":${JSON.stringify(index)}`;
      }
      const prefix = e.provisional === true ? createPrefix : indexPrefix;
      body += e.id !== undefined ? `${prefix},"_id":${JSON.stringify(e.id)}}}\n` : `${prefix}}}\n`;
      body += e.json ?? JSON.stringify(e.fields);
      body += '\n';
    }
    return body;
  }

  private sortItems(batch: BeatEvent[], items: Array<Record<string, BulkItem>>): BatchResult {
    let acked = 0;
    let failed = 0;
    const retry: BeatEvent[] = [];
    let retryReason: string | undefined;
    for (let i = 0; i < batch.length; i++) {
      const item = items[i] ? Object.values(items[i])[0] : undefined;
      if (!item) {
        // A response without this item cannot say it was stored: send it again (idempotent).
        retry.push(batch[i]);
        continue;
      }
      const s = item.status;
      if ((s >= 200 && s < 300) || s === 409) acked++;
      else if (s === 429 || s >= 500) {
        retry.push(batch[i]);
        retryReason ??= `item ${s}: ${item.error?.type ?? 'error'}: ${(item.error?.reason ?? '').slice(0, 120)}`;
      } else {
        failed++;
        if (failed <= MAX_REJECTION_LOGS_PER_BATCH) {
          this.beat.logger.warn(
            { id: batch[i].id, status: s, error: item.error },
            `event ${batch[i].id ?? '(no id)'} rejected by Elasticsearch, not retried: ${item.error?.type}: ${item.error?.reason}`,
          );
        }
      }
    }
    if (failed > MAX_REJECTION_LOGS_PER_BATCH) {
      this.beat.logger.warn(`${failed - MAX_REJECTION_LOGS_PER_BATCH} more events of this batch rejected`);
    }
    return { acked, failed, retry, retryReason };
  }
}
