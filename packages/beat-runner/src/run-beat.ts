// runBeat: the whole command line of a beat. Every failure ends as one line on stderr and an exit
// code; events go to stdout (console output) and logs to stderr, never the other way round.
import fs from 'fs';
import path from 'path';
import os from 'os';
import { createClient, setupTemplate, templateNames, testOutput } from '@wirebeat/publisher';
import { Beat, flowsEnabled, templateFields, type BeatMetrics } from './beat';
import { CliCommand, CliOptions, parseCommandLine } from './cli';
import { Keystore } from './config/keystore';
import { locateConfigFile, resolvePaths } from './config/paths';
import { keystoreFileOf, rawConfig, resolveConfig, type ResolvedConfig } from './config/resolve';
import type { BeatConfig } from './config/schema';
import {
  applyConventions,
  createEnricher,
  debugEvents,
  startHttpEndpoint,
  type Conventions,
} from './conventions';
import { BeatRunnerError, DamagedInputError, UsageError } from './errors';
import { createMetricsLogger, type BeatLogger } from './logger';
import { ProgressBar } from './progress';
import { checkRunResult } from './run-result';
import { resolveProtocols, type BuiltinProtocol, type ResolvedProtocol } from './protocols/registry';
import { compileCondition } from './processors/conditions';
import type { CaptureLossMonitor } from './sources/capture-loss';
import { loadCap } from './sources/cap-loader';
import { FileSource } from './sources/file-source';
import { LiveSource } from './sources/live-source';
import type { PacketSource } from './sources/types';
import type { LiveDashboard } from './dashboard/live';

/** Options of {@link runBeat}. */
export interface RunBeatOptions {
  /** The beat's name: its config section, its index prefix, its messages' prefix (e.g. `pb_echo`). */
  name: string;
  version: string;
  /**
   * Protocols built into the beat: modules, or `{ name, package }` entries whose package loads only
   * when the config runs them (see ProtocolPackage); the config may add more with `package:` entries.
   */
  protocols: BuiltinProtocol[];
  /** Arguments without node and the script (default process.argv.slice(2)). */
  argv?: string[];
}

/** Version of beat-runner itself, for `version`. */
function runnerVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

/** Everything a subcommand needs once the config is valid. */
interface Prepared {
  config: BeatConfig;
  protocols: ResolvedProtocol[];
  logger: BeatLogger;
  resolved: ResolvedConfig;
  conventions: Conventions;
}

function prepare(opts: RunBeatOptions, cli: CliOptions): Prepared {
  const resolved = resolveConfig(opts.name, cli);
  const config = resolved.config;
  const conventions = applyConventions(opts, config, resolved.paths, cli);
  const unsupported = [...config.unsupported];
  const protocols = resolveProtocols(
    opts.name,
    config.beat.protocols,
    opts.protocols,
    undefined,
    unsupported,
  );
  if (unsupported.length > 0)
    conventions.logger.warn(
      { unsupported },
      `settings accepted but not supported by ${opts.name} (ignored): ${unsupported.join(', ')}`,
    );
  return { config, protocols, logger: conventions.logger, resolved, conventions };
}

/** Picks the packet source: `-I` (or interfaces.file) for replay, otherwise live capture on the device. */
async function createSource(
  p: Prepared,
  cli: CliOptions,
  progress: ProgressBar,
): Promise<{ source: PacketSource; replay: boolean }> {
  const ifc = p.config.beat.interfaces;
  const file = cli.I ?? (cli.i === undefined ? ifc.file : undefined);
  if (cli.I !== undefined && cli.i !== undefined)
    throw new UsageError('-I and -i exclude each other: read a file or capture on a device');
  if (file !== undefined) {
    const loops = cli.l ?? ifc.loop;
    const source = new FileSource({
      path: file,
      topSpeed: cli.t === true || ifc.top_speed,
      // -l 0: forever, until a signal.
      loop: loops === 0 ? Infinity : loops,
      onProgress: progress.enabled ? (f, n) => progress.update(f, n) : undefined,
    });
    return { source, replay: true };
  }
  if (cli.t || cli.l !== undefined) throw new UsageError('-t and -l apply to file replay (-I FILE)');
  // What only live capture needs loads here: a replay never does.
  const { captureFilter } = await import('./sources/bpf');
  const { resolveDeviceSpec } = await import('./sources/devices');
  const filter = captureFilter(ifc.bpf_filter, flowsEnabled(p.config), p.protocols);
  const spec = cli.i ?? ifc.device;
  const device = /^\d+$/.test(spec) ? resolveDeviceSpec(spec, loadCap().Cap.deviceList()) : spec;
  const live = new LiveSource({
    device,
    filter,
    snaplen: ifc.snaplen,
    bufferSizeMb: ifc.buffer_size_mb,
    nice: ifc.capture_nice,
  });
  live.checkDevice();
  return { source: live, replay: false };
}

/** How often live capture is checked for loss (cheap: one counters snapshot). */
const LOSS_CHECK_MS = 1000;

async function captureLossMonitor(
  beatName: string,
  p: Prepared,
  cli: CliOptions,
  source: PacketSource,
): Promise<CaptureLossMonitor> {
  const { CaptureLossMonitor } = await import('./sources/capture-loss');
  return new CaptureLossMonitor({
    droppedPackets: () => (source instanceof LiveSource ? source.droppedPackets : 0),
    warn: (fields, msg) => p.logger.warn(fields, msg),
    device: cli.i ?? p.config.beat.interfaces.device,
    bufferSetting: `${beatName}.interfaces.buffer_size_mb`,
    bufferSizeMb: p.config.beat.interfaces.buffer_size_mb,
  });
}

async function runCapture(opts: RunBeatOptions, cli: CliOptions): Promise<number> {
  const p = prepare(opts, cli);
  const progress = new ProgressBar();
  const { source, replay } = await createSource(p, cli, progress);
  const enricher = createEnricher(opts, p.config, p.resolved.paths, p.conventions, replay);
  const metricsLog = createMetricsLogger(opts.name, 2, p.conventions.logDestination);
  const loss = replay ? undefined : await captureLossMonitor(opts.name, p, cli, source);
  const withLoss = (m: BeatMetrics): BeatMetrics =>
    loss === undefined ? m : { ...m, source: { ...m.source, ...loss.counters() } };
  const dashboard = p.config.beats.http.enabled ? await liveDashboard(opts.name, p, replay) : undefined;
  const beat = new Beat({
    beatName: opts.name,
    beatVersion: opts.version,
    config: p.config,
    protocols: p.protocols,
    source,
    replay,
    logger: p.logger,
    dumpPath: cli.dump ?? p.config.beat.interfaces.dump,
    onMetrics: (m) => {
      loss?.check(m.reassembly);
      metricsLog.info({ metrics: withLoss(m) }, 'metrics');
    },
    enricher,
    debugEvents: debugEvents(p.config),
    onEvent: dashboard?.onEvent,
  });
  // Capture loss is looked for every second, whatever the metrics period.
  const lossTimer = loss && setInterval(() => loss.check(beat.metrics().reassembly), LOSS_CHECK_MS).unref();
  dashboard?.start(() => withLoss(beat.metrics()));
  const endpoint = await startHttpEndpoint(
    opts,
    p.config,
    p.conventions,
    enricher,
    beat,
    dashboard && {
      page: () => dashboard.page(),
      json: () => dashboard.snapshot(),
    },
  );
  let signals = 0;
  const onSignal = (sig: string) => {
    if (++signals > 1) {
      // A second signal means "now": the user gave up waiting for the drain.
      process.stderr.write(`${opts.name}: ${sig} again, exiting without waiting for the output\n`);
      process.exit(130);
    }
    p.logger.info({ signal: sig }, 'stopping');
    beat.stop();
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  // As libbeat: SIGHUP stops the beat (no reload), draining like SIGTERM.
  const onHup = () => onSignal('SIGHUP');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  try {
    const result = await beat.run();
    progress.clear();
    loss?.check(result.metrics.reassembly, Infinity);
    if (p.config.logging.metrics.enabled)
      metricsLog.info({ metrics: withLoss(result.metrics) }, 'metrics at exit');
    checkRunResult(result);
    return 0;
  } finally {
    clearInterval(lossTimer);
    progress.clear();
    dashboard?.stop();
    await endpoint?.close();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
  }
}

/** `keystore create|add|list|remove`; the value of `add` comes from stdin, never from argv. */
function keystoreCommand(
  beatName: string,
  cmd: Extract<CliCommand, { kind: 'keystore' }>,
  out: (s: string) => void,
): number {
  const o = cmd.options;
  const file = locateConfigFile(
    beatName,
    o.config,
    resolvePaths({ home: o['path.home'], config: o['path.config'] }).config,
  );
  const ks = new Keystore(
    keystoreFileOf(beatName, file, [
      ...o.E,
      ...(o['path.home'] ? [`path.home=${JSON.stringify(o['path.home'])}`] : []),
      ...(o['path.data'] ? [`path.data=${JSON.stringify(o['path.data'])}`] : []),
    ]),
  );
  switch (cmd.action) {
    case 'create':
      ks.create(cmd.force);
      out(`Created ${beatName} keystore\n`);
      return 0;
    case 'add': {
      // Like `keystore add --stdin` in libbeat: the whole of stdin, without its final newline.
      const value = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
      if (!ks.exists()) ks.create();
      ks.add(cmd.keys[0], value, cmd.force);
      out(`Successfully updated the keystore\n`);
      return 0;
    }
    case 'list':
      out(
        ks
          .list()
          .map((k) => `${k}\n`)
          .join(''),
      );
      return 0;
    case 'remove':
      ks.remove(cmd.keys);
      return 0;
  }
}

/** The live dashboard of a run: every enabled protocol, the queue's capacity for its fill. */
async function liveDashboard(beatName: string, p: Prepared, replay: boolean): Promise<LiveDashboard> {
  // The dashboard's modules load only when the HTTP endpoint that serves it is enabled.
  const { LiveDashboard } = await import('./dashboard/live');
  return new LiveDashboard({
    title: `${beatName} ${replay ? 'replay' : 'live'}`,
    packetClock: replay,
    protocols: p.protocols.filter((x) => x.config.enabled).map((x) => x.module),
    queueCapacity: p.config.queue.mem.events,
  });
}

/** `report -I FILE -o FILE`: the dashboard of a whole capture as one HTML file. */
async function runReport(opts: RunBeatOptions, cli: CliOptions, out: (s: string) => void): Promise<number> {
  const p = prepare(opts, cli);
  const input = cli.I ?? p.config.beat.interfaces.file;
  if (input === undefined) throw new UsageError('report needs a capture file: -I FILE');
  if (cli.o === undefined) throw new UsageError('report needs an output file: -o FILE');
  const { buildReport, writeReport } = await import('./dashboard/report');
  const { snapshot, damage } = await buildReport({
    title: `${opts.name} report: ${path.basename(input)}`,
    protocols: p.protocols,
    input,
    logger: p.logger,
    idleTimeoutMs: p.config.beat.idle_timeout,
  });
  writeReport(cli.o, snapshot);
  const tx = snapshot.protocols.reduce((a, v) => a + v.transactions, 0);
  const errors = snapshot.protocols.reduce((a, v) => a + v.errors, 0);
  out(`${cli.o}: ${tx} transactions, ${errors} errors, ${snapshot.health?.packets ?? 0} frames\n`);
  if (damage.length > 0)
    throw new DamagedInputError(`${input}: ${damage[0]} (the report covers what was read)`);
  return 0;
}

/** `dashboard`: serves the dashboard computed by Elasticsearch until SIGINT/SIGTERM. */
async function runEsDashboard(
  opts: RunBeatOptions,
  cli: CliOptions,
  out: (s: string) => void,
): Promise<number> {
  const p = prepare(opts, cli);
  const es = p.config.output.elasticsearch;
  if (es === undefined || !es.enabled)
    throw new UsageError(
      'dashboard reads Elasticsearch: set output.elasticsearch.hosts (in the config or with -E)',
    );
  const { EsDashboard } = await import('./dashboard/es-dashboard');
  const { startStatsEndpoint } = await import('./http-stats');
  const dashboard = new EsDashboard({
    title: `${opts.name} on Elasticsearch`,
    client: createClient(es),
    index: templateNames(p.config.setup.template, opts.name, opts.version).pattern,
    protocols: p.protocols.filter((x) => x.config.enabled).map((x) => x.module),
  });
  const endpoint = await startStatsEndpoint({
    host: cli.host ?? '127.0.0.1',
    port: cli.port ?? 5602,
    info: {
      beat: opts.name,
      hostname: os.hostname(),
      name: p.conventions.agentName,
      uuid: '',
      ephemeral_id: '',
      version: opts.version,
    },
    stats: () => ({}),
    dashboard: { page: (q) => dashboard.page(q), json: (q) => dashboard.snapshot(q) },
  });
  out(`dashboard: http://${endpoint.address}/\n`);
  // The endpoint does not hold the process open (a beat exits when its input ends): this does.
  const alive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(alive);
  await endpoint.close();
  return 0;
}

async function listDevices(): Promise<string> {
  const { formatDeviceList } = await import('./sources/devices');
  return formatDeviceList(loadCap().Cap.deviceList());
}

async function execute(opts: RunBeatOptions, cmd: CliCommand, out: (s: string) => void): Promise<number> {
  switch (cmd.kind) {
    case 'help':
      out(cmd.text);
      return 0;
    case 'version':
      out(`${opts.name} version ${opts.version} (beat-runner ${runnerVersion()}, node ${process.version})\n`);
      return 0;
    case 'devices':
      out((await listDevices()) + '\n');
      return 0;
    case 'test-config': {
      const p = prepare(opts, cmd.options);
      const names = p.protocols.map(
        (x) => `${x.module.name} on ${x.config.ports.join(',')}${x.config.enabled ? '' : ' (disabled)'}`,
      );
      out(`Config OK (protocols: ${names.join('; ') || 'none'})\n`);
      return 0;
    }
    case 'test-output': {
      const p = prepare(opts, cmd.options);
      out((await testOutput(p.config.output, outputContext(opts, p))) + '\n');
      return 0;
    }
    case 'setup': {
      const p = prepare(opts, cmd.options);
      await setupTemplate(p.config.output, outputContext(opts, p));
      out('Index setup finished.\n');
      return 0;
    }
    case 'export-config': {
      const p = prepare(opts, cmd.options);
      const { exportConfig } = await import('./export');
      out(exportConfig(rawConfig(p.resolved)));
      return 0;
    }
    case 'export-template': {
      const p = prepare(opts, cmd.options);
      const { exportTemplate } = await import('./export');
      out(
        exportTemplate(
          templateFields(p.protocols, flowsEnabled(p.config)),
          p.config.setup.template,
          opts.name,
          opts.version,
        ),
      );
      return 0;
    }
    case 'keystore':
      return keystoreCommand(opts.name, cmd, out);
    case 'run':
      return runCapture(opts, cmd.options);
    case 'report':
      return runReport(opts, cmd.options, out);
    case 'dashboard':
      return runEsDashboard(opts, cmd.options, out);
    case 'export-dashboard': {
      const p = prepare(opts, cmd.options);
      const { kibanaSavedObjects } = await import('./dashboard/kibana');
      out(
        kibanaSavedObjects({
          beatName: opts.name,
          pattern: templateNames(p.config.setup.template, opts.name, opts.version).pattern,
          protocols: p.protocols.filter((x) => x.config.enabled).map((x) => x.module),
          fields: templateFields(p.protocols, flowsEnabled(p.config)),
        }),
      );
      return 0;
    }
  }
}

function outputContext(opts: RunBeatOptions, p: Prepared) {
  return {
    beatName: opts.name,
    beatVersion: opts.version,
    logger: p.logger,
    fields: templateFields(p.protocols, flowsEnabled(p.config)),
    template: p.config.setup.template,
    compileCondition,
  };
}

/** The one line printed for an error; the stack stays out of the user's way (it is a bug report, not a message). */
export function errorLine(beatName: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return `${beatName}: ${msg.split('\n')[0]}`;
}

/** Exit code for an error: the runner's own codes, 1 for everything else. */
export function exitCodeOf(err: unknown): number {
  return err instanceof BeatRunnerError ? err.exitCode : 1;
}

/** Waits until what was written to a stream has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable || stream.writableLength === 0) return resolve();
    stream.once('drain', () => resolve());
    stream.once('close', () => resolve());
  });
}

/**
 * Runs a beat's command line and resolves with the exit code; never throws and never prints a
 * stack trace. The caller exits with the code (`runBeat(...).then((c) => process.exit(c))`).
 */
export async function runBeat(opts: RunBeatOptions): Promise<number> {
  let code: number;
  try {
    const cmd = parseCommandLine(opts.name, opts.argv ?? process.argv.slice(2));
    code = await execute(opts, cmd, (s) => process.stdout.write(s));
  } catch (err) {
    process.stderr.write(errorLine(opts.name, err) + '\n');
    code = exitCodeOf(err);
  }
  await drained(process.stdout);
  return code;
}
