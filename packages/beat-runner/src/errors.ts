// Errors of @wirebeat/beat-runner. The CLI prints `<beat>: <message>` for any BeatRunnerError (and
// for the typed errors of the other packages) and exits with `exitCode`; nothing else is printed.
import { WirebeatError } from '@wirebeat/core';

/**
 * Base class of every error the runner raises on purpose; `exitCode` is what the process exits
 * with, `code` (from @wirebeat/core's WirebeatError) names the failure.
 */
export class BeatRunnerError extends WirebeatError {
  readonly exitCode: number = 1;
}

/** The command line is wrong (unknown option, missing value, conflicting options). */
export class UsageError extends BeatRunnerError {
  override readonly exitCode: number = 2;
}

/** The config file cannot be read or is not valid YAML. */
export class ConfigFileError extends BeatRunnerError {}

/** The config does not match the schema: unknown key, wrong type, invalid value (the path is named). */
export class ConfigValidationError extends BeatRunnerError {
  constructor(
    /** One entry per problem: `path: message`. */
    readonly problems: string[],
  ) {
    super(`invalid config: ${problems.join('; ')}`);
  }
}

/** A `${VAR}` reference in a config value is malformed or names an unset variable without a default. */
export class ConfigVariableError extends BeatRunnerError {
  constructor(message: string) {
    super(`invalid config: ${message}`);
  }
}

/** An `-E key=value` override is malformed or cannot be applied. */
export class InvalidOverrideError extends BeatRunnerError {}

/**
 * A protocol named in the config is unknown or cannot be loaded. (Two protocols on one port are
 * applayer's PortConflictError; invalid options of a protocol its ProtocolConfigError, or
 * ConfigValidationError here.)
 */
export class ProtocolSetupError extends BeatRunnerError {}

/** Live capture is impossible: cap is not installed/built, the device is unknown, or permissions are missing. */
export class CaptureUnavailableError extends BeatRunnerError {}

/** The input capture was damaged (e.g. truncated); what could be read was processed. */
export class DamagedInputError extends BeatRunnerError {
  override readonly exitCode: number = 3;
}

/** Packets were read but none of them could be decoded (not TCP/IP, or an unsupported link type). */
export class NothingDecodedError extends BeatRunnerError {
  override readonly exitCode: number = 3;
}

/** Events could not be delivered to the output before the drain timeout. */
export class UndeliveredEventsError extends BeatRunnerError {
  override readonly exitCode: number = 4;
  constructor(
    readonly undelivered: number,
    /** Why the output last refused a batch, when known. */
    readonly lastFailure?: string,
  ) {
    super(
      `${undelivered} events could not be delivered to the output before the drain timeout` +
        (lastFailure === undefined ? '' : ` (last failure: ${lastFailure})`),
    );
  }
}

/**
 * A protocol analyzer threw on some connections: their transactions were published as Error with
 * a note, but what they carried was not analysed.
 */
export class PluginFailureError extends BeatRunnerError {
  override readonly exitCode: number = 3;
}

/** The output rejected events for good, or live capture dropped events because the queue was full. */
export class LostEventsError extends BeatRunnerError {
  override readonly exitCode: number = 4;
}

/** --strict.perms: the config file is writable by others or not owned by the user. */
export class ConfigPermissionError extends BeatRunnerError {}

/** The Elasticsearch index setting cannot work: unknown placeholder, or not covered by the template pattern. */
export class IndexSettingError extends BeatRunnerError {}

/** A processor or its `when` condition is malformed (the path is named). */
export class ProcessorConfigError extends BeatRunnerError {}

/** The HTTP stats endpoint cannot listen on its address. */
export class HttpEndpointError extends BeatRunnerError {}

/** The keystore is missing, unreadable or damaged, or a key is absent or already there. */
export class KeystoreError extends BeatRunnerError {}

/** The dashboard report cannot be written (its path is named). */
export class ReportWriteError extends BeatRunnerError {}

/** The dashboard cannot read the beat's indices from Elasticsearch (the reason is named). */
export class DashboardQueryError extends BeatRunnerError {}
