// Public API of @wirebeat/beat-runner: what a beat author uses. A beat is `runBeat` with its
// protocols; the rest is for beats that drive a run themselves (a source, the config, one Beat)
// and for handling the runner's errors. Everything else is internal (see internal.ts).
// First of all: the modules loaded after this one come from the code cache (start-up time).
import { installCodeCache } from './code-cache';
installCodeCache();
import { lazyZodLocales } from './lazy-zod-locales';
lazyZodLocales();
import './zod-setup';
// Then the engine workers a top-speed replay asks for start beside the main thread's start-up.
import { prestartReplayWorkers } from './workers/prestart-hint';
prestartReplayWorkers(process.argv.slice(2));
// The launcher moved NODE_EXTRA_CA_CERTS aside (Node would parse it at every start): taken back
// before anything starts a process or a TLS client (see @wirebeat/core's extra-ca-certs).
import { adoptMovedExtraCaCerts } from '@wirebeat/core';
adoptMovedExtraCaCerts();
export { runBeat, errorLine, exitCodeOf } from './run-beat';
export type { RunBeatOptions } from './run-beat';
export { parseCommandLine } from './cli';
export type { CliCommand, CliOptions } from './cli';
export { loadConfig } from './config/load';
export type { ConfigSource } from './config/load';
export type { BeatConfig } from './config/schema';
export { resolveProtocols } from './protocols/registry';
export type { ResolvedProtocol } from './protocols/registry';
export { Beat } from './beat';
export type { BeatOptions, BeatMetrics, BeatResult } from './beat';
export { FileSource } from './sources/file-source';
export { LiveSource } from './sources/live-source';
export type { PacketSource, FrameSink, SourceSummary } from './sources/types';
export type { Processor } from './processors/processor';
export { ECS_VERSION } from './events/enricher';
export {
  BeatRunnerError,
  UsageError,
  ConfigFileError,
  ConfigValidationError,
  ConfigVariableError,
  InvalidOverrideError,
  ProtocolSetupError,
  CaptureUnavailableError,
  DamagedInputError,
  UndeliveredEventsError,
  NothingDecodedError,
  LostEventsError,
  PluginFailureError,
  ConfigPermissionError,
  IndexSettingError,
  ProcessorConfigError,
  HttpEndpointError,
} from './errors';
