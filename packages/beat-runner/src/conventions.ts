// The Beats conventions of a run, kept out of run-beat.ts: debug selectors, index name
// placeholders, processors, the logger's destination, event enrichment and the HTTP endpoint.
import * as os from 'os';
import * as path from 'path';
import type { Beat } from './beat';
import type { CliOptions } from './cli';
import type { BeatPaths } from './config/paths';
import type { BeatConfig } from './config/schema';
import { prepareIndexSettings } from './es-index';
import { agentInfo, persistentAgentId } from './events/agent-info';
import { EventEnricher, type ProcessLookup } from './events/enricher';
import { hostInfo } from './events/host-info';
import type { DashboardHandler, StatsEndpoint } from './http-stats';
import { createLogger, type BeatLogger } from './logger';
import { buildProcessors } from './processors/build';
import type { Processor } from './processors/processor';
import { ProcessTable } from './procs/process-table';

/** What the conventions add to a prepared run. */
export interface Conventions {
  /** The shipper's name: the `name` setting, default the host name. */
  agentName: string;
  processors: Processor[];
  logger: BeatLogger;
}

/**
 * Applies the conventions to a validated config (selectors from -d, index placeholders and the
 * template pattern check) and builds what can fail on configuration: processors and the logger.
 */
export function applyConventions(
  beat: { name: string; version: string },
  config: BeatConfig,
  paths: BeatPaths,
  cli: CliOptions,
): Conventions {
  const selectors = [...config.logging.selectors, ...(cli.d ?? '').split(',')]
    .map((x) => x.trim())
    .filter(Boolean);
  config.logging.selectors = [...new Set(selectors)];
  const agentName = config.beats.name ?? os.hostname();
  const es = config.output.elasticsearch;
  if (es !== undefined && es.enabled) {
    const r = prepareIndexSettings(es, config.setup.template, {
      beatType: beat.name,
      beatVersion: beat.version,
      agentName,
    });
    config.output.elasticsearch = r.es;
    config.setup.template = r.template;
  }
  const processors = buildProcessors(config.beats.processors);
  // -v and -d log on stderr like -e; without any of them, an explicit path.logs takes the logs.
  const toStderr = cli.e === true || cli.v === true || cli.d !== undefined;
  const logFile =
    !toStderr && config.beats.path.logs !== undefined
      ? path.join(paths.logs, `${beat.name}.ndjson`)
      : undefined;
  const logger = createLogger({
    beatName: beat.name,
    level: cli.v === true && !cli.e ? 'info' : config.logging.level,
    toStderr: toStderr || logFile !== undefined,
    selectors: config.logging.selectors,
    file: logFile,
  });
  return { agentName, processors, logger };
}

/** The enrichment of every event: host, agent, tags/fields, processes (live capture), processors. */
export function createEnricher(
  beat: { name: string; version: string },
  config: BeatConfig,
  paths: BeatPaths,
  conv: Conventions,
  replay: boolean,
): EventEnricher {
  const id = persistentAgentId(paths.data, (msg) => conv.logger.warn(msg));
  let processes: ProcessLookup | undefined;
  if (config.beat.procs.enabled) {
    if (replay) conv.logger.info('procs: process attribution applies to live capture only');
    else {
      const table = new ProcessTable(config.beat.procs);
      processes = (ip, port) => table.lookup(ip, port);
    }
  }
  return new EventEnricher({
    host: hostInfo(conv.agentName),
    agent: agentInfo(beat.name, beat.version, conv.agentName, id),
    tags: config.beats.tags,
    fields: config.beats.fields,
    fieldsUnderRoot: config.beats.fields_under_root,
    processors: conv.processors,
    processes,
  });
}

/** Whether `-d` / logging.selectors ask for every published event in the log. */
export function debugEvents(config: BeatConfig): boolean {
  return config.logging.selectors.some((s) => s === '*' || s === 'publisher');
}

/** Starts the HTTP stats endpoint when `http.enabled` (with the dashboard when given); logs its address. */
export async function startHttpEndpoint(
  beatInfo: { name: string; version: string },
  config: BeatConfig,
  conv: Conventions,
  enricher: EventEnricher,
  beat: Beat,
  dashboard?: DashboardHandler,
): Promise<StatsEndpoint | undefined> {
  const http = config.beats.http;
  if (!http.enabled) return undefined;
  // Loaded only when enabled: the HTTP server is not part of most runs' start-up.
  const { startStatsEndpoint } = await import('./http-stats');
  const endpoint = await startStatsEndpoint({
    host: http.host,
    port: http.port,
    info: {
      beat: beatInfo.name,
      hostname: os.hostname(),
      name: conv.agentName,
      uuid: enricher.agent.id,
      ephemeral_id: enricher.agent.ephemeral_id,
      version: beatInfo.version,
    },
    stats: () => beat.metrics(),
    dashboard,
  });
  conv.logger.info({ address: endpoint.address }, 'http endpoint started');
  return endpoint;
}
