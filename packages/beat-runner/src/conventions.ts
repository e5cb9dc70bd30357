// The Beats conventions of a run, kept out of run-beat.ts: debug selectors, index name
// placeholders, processors, the logger's destination, event enrichment and the HTTP endpoint.
import fs from 'fs';
import os from 'os';
import type { DestinationStream } from 'pino';
import type { Beat } from './beat';
import type { CliOptions } from './cli';
import type { BeatPaths } from './config/paths';
import type { BeatConfig } from './config/schema';
import { prepareIndexSettings } from './es-index';
import { agentInfo, persistentAgentId } from './events/agent-info';
import type { EventEnricher, ProcessLookup } from './events/enricher';
import { enricherFromSetup, type EnricherSetup } from './events/enricher-setup';
import { hostInfo } from './events/host-info';
import type { DashboardHandler, StatsEndpoint } from './http-stats';
import { libbeatState, libbeatStats, type LibbeatStatsContext } from './libbeat-stats';
import { RotatingLogFile, textDestination } from './log-files';
import { createLogger, type BeatLogger } from './logger';
import { buildProcessors } from './processors/build';
import type { Processor } from './processors/processor';
import type * as ProcessTableModule from './procs/process-table';

/** What the conventions add to a prepared run. */
export interface Conventions {
  /** The shipper's name: the `name` setting, default the host name. */
  agentName: string;
  processors: Processor[];
  logger: BeatLogger;
  /** Where logs go when not the default stderr (files, text format): the metrics line goes there too. */
  logDestination?: DestinationStream;
}

/** The rotated log files of logging.files (directory default path.logs, name default the beat's). */
function logFilesOf(config: BeatConfig, paths: BeatPaths, beatName: string): RotatingLogFile {
  const f = config.logging.files;
  return new RotatingLogFile({
    dir: f?.path ?? paths.logs,
    name: f?.name ?? beatName,
    rotateEveryBytes: f?.rotateeverybytes ?? 10 * 1024 * 1024,
    keepFiles: f?.keepfiles ?? 7,
    permissions: f?.permissions ?? 0o600,
    rotateOnStartup: f?.rotateonstartup ?? true,
  });
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
  const processors = buildProcessors(config.beats.processors, config.unsupported);
  // -v and -d log on stderr like -e (logging.to_stderr too); without them, logging.files (or
  // to_files, or an explicit path.logs) takes the logs into rotated files.
  const log = config.logging;
  const toStderr = cli.e === true || cli.v === true || cli.d !== undefined || log.to_stderr;
  const wantFiles =
    log.to_files === true ||
    (log.to_files === undefined && (log.files !== undefined || config.beats.path.logs !== undefined));
  const files = !toStderr && wantFiles ? logFilesOf(config, paths, beat.name) : undefined;
  let destination: DestinationStream | undefined = files;
  if (!log.json) destination = textDestination(destination ?? { write: (s: string) => fs.writeSync(2, s) });
  // As libbeat: `logging.level: debug` without selectors means every selector (when logs are written).
  if (
    log.level === 'debug' &&
    log.selectors.length === 0 &&
    (cli.e === true || log.to_stderr || files !== undefined)
  )
    log.selectors = ['*'];
  const logger = createLogger({
    beatName: beat.name,
    level: cli.v === true && !cli.e ? 'info' : log.level,
    toStderr: toStderr || files !== undefined,
    selectors: log.selectors,
    destination,
  });
  return { agentName, processors, logger, logDestination: destination };
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
      // Process attribution (reading /proc) loads only for live capture with procs enabled.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ProcessTable } = require('./procs/process-table') as typeof ProcessTableModule;
      const table = new ProcessTable(config.beat.procs);
      processes = (ip, port) => table.lookup(ip, port);
    }
  }
  const setup: EnricherSetup = {
    host: hostInfo(conv.agentName),
    agent: agentInfo(beat.name, beat.version, conv.agentName, id),
    tags: config.beats.tags,
    fields: config.beats.fields,
    fieldsUnderRoot: config.beats.fields_under_root,
    processors: config.beats.processors,
    internalNetworks: config.beat.interfaces.internal_networks,
  };
  return enricherFromSetup(setup, { processes, processors: conv.processors });
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
  const o = config.output;
  const ctx: LibbeatStatsContext = {
    beat: beatInfo.name,
    name: conv.agentName,
    version: beatInfo.version,
    uuid: enricher.agent.id,
    ephemeral_id: enricher.agent.ephemeral_id,
    output: o.elasticsearch?.enabled ? 'elasticsearch' : o.file?.enabled ? 'file' : 'console',
    queueMaxEvents: config.queue.mem.events,
  };
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
    stats: () => libbeatStats(beat.metrics(), ctx),
    state: () => libbeatState(ctx),
    dashboard,
  });
  conv.logger.info({ address: endpoint.address }, 'http endpoint started');
  return endpoint;
}
