// The command line every beat built with runBeat accepts (Beats conventions).
import { Command, CommanderError } from 'commander';
import { UsageError } from './errors';

/** The global options, as parsed. */
export interface CliOptions {
  /** `-c FILE`. */
  config?: string;
  /** `-E key=value`, in order. */
  E: string[];
  /** `-I FILE`. */
  I?: string;
  /** `-t`. */
  t?: boolean;
  /** `-l N`. */
  l?: number;
  /** `-i DEVICE`. */
  i?: string;
  /** `-e`. */
  e?: boolean;
  /** `--dump FILE` (or `-dump FILE`). */
  dump?: string;
  /** `-d SELECTORS`: debug logging for these comma-separated selectors (`*` for all). */
  d?: string;
  /** `-v`: info logging on stderr. */
  v?: boolean;
  /** `--strict.perms[=false]`: check the config file's owner and permissions (default true). */
  'strict.perms'?: boolean;
  /** `report -o FILE`: where the report is written. */
  o?: string;
  /** `dashboard --host H --port N`: where the Elasticsearch dashboard listens. */
  host?: string;
  port?: number;
  /** `--path.home`, `--path.config`, `--path.data`, `--path.logs`. */
  'path.home'?: string;
  'path.config'?: string;
  'path.data'?: string;
  'path.logs'?: string;
}

/** What the user asked for. */
export type CliCommand =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'setup'; options: CliOptions }
  | { kind: 'devices'; options: CliOptions }
  | { kind: 'test-config'; options: CliOptions }
  | { kind: 'test-output'; options: CliOptions }
  | { kind: 'version'; options: CliOptions }
  | { kind: 'export-config'; options: CliOptions }
  | { kind: 'export-template'; options: CliOptions }
  | {
      kind: 'keystore';
      action: KeystoreAction;
      keys: string[];
      force: boolean;
      stdin: boolean;
      options: CliOptions;
    }
  | { kind: 'report'; options: CliOptions }
  | { kind: 'dashboard'; options: CliOptions }
  | { kind: 'export-dashboard'; options: CliOptions }
  | { kind: 'help'; text: string };

/** `keystore create|add|list|remove`. */
export type KeystoreAction = 'create' | 'add' | 'list' | 'remove';

/** `-l N`: N passes over the file; 0 means forever (until a signal). */
function loopCount(value: string): number {
  if (!/^\d+$/.test(value))
    throw new UsageError(`-l expects a number of loops (0 for forever), got ${JSON.stringify(value)}`);
  return Number(value);
}

/** `--port N`. */
function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port expects a port number, got ${JSON.stringify(value)}`);
  return n;
}

/** `--strict.perms`, `--strict.perms=true|false`. */
function booleanFlag(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`--strict.perms expects true or false, got ${JSON.stringify(value)}`);
}

/** Beats spells some long options with one dash (`-dump FILE`); commander wants two. */
function normaliseArgv(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '-dump' || a.startsWith('-dump=') ? '-' + a : a));
}

/**
 * Parses argv (without node and script). Usage problems throw UsageError with commander's one-line
 * message; `--help` returns the help text instead of printing it.
 */
export function parseCommandLine(beatName: string, argv: readonly string[]): CliCommand {
  let result: CliCommand | undefined;
  let helpText = '';
  const program = new Command(beatName);
  program
    .description(
      `${beatName}: captures TCP traffic, analyses it into transactions and publishes one event per transaction`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => (helpText += s), writeErr: (s) => (helpText += s) })
    .option('-c, --config <file>', 'configuration file (YAML)')
    .option(
      '-E <key=value>',
      'override a setting, value parsed as YAML (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('-I <file>', 'read packets from a pcap or pcapng file instead of a device')
    .option('-t', 'read the file as fast as possible (packet timestamps are kept)')
    .option('-l <n>', 'read the file n times (0: loop until stopped by a signal)', loopCount)
    .option('-i <device>', 'capture on this device (a name, lo, any, or its number in `devices`)')
    .option('-e', 'log to stderr at the configured level (default: warnings and errors only)')
    .option('--dump <file>', 'write every captured packet to this pcap file (also -dump)')
    .option('-d <selectors>', 'debug logging on stderr for these selectors (comma-separated, * for all)')
    .option('-v', 'log at info level on stderr')
    .option('--strict.perms [bool]', 'refuse a config file others can write (default true)', booleanFlag)
    .option('--path.home <dir>', 'base directory of the other paths (default: working directory)')
    .option('--path.config <dir>', 'where <beat>.yml is looked up (default: path.home)')
    .option('--path.data <dir>', 'persistent data, e.g. the agent id (default: path.home/data)')
    .option('--path.logs <dir>', 'log files when not logging to stderr (default: path.home/logs)')
    .helpOption('-h, --help', 'show this help');
  const on = (kind: Exclude<CliCommand['kind'], 'help' | 'keystore'>) => (_o: unknown, cmd: Command) => {
    result = { kind, options: cmd.optsWithGlobals() as CliOptions };
  };
  program.command('run', { isDefault: true }).description('capture and publish (default)').action(on('run'));
  program.command('setup').description('install the index template into Elasticsearch').action(on('setup'));
  program.command('devices').description('list the devices live capture can use').action(on('devices'));
  const test = program.command('test').description('check the configuration or the output');
  test.command('config').description('validate the configuration and exit').action(on('test-config'));
  test
    .command('output')
    .description('check that the configured output can be reached')
    .action(on('test-output'));
  program
    .command('report')
    .description('write the dashboard of a capture (-I FILE) as one HTML file')
    .option('-o <file>', 'the HTML file to write')
    .action(on('report'));
  program
    .command('dashboard')
    .description("serve the dashboard of the beat's Elasticsearch indices (output.elasticsearch)")
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--port <n>', 'port to listen on (default 5602, 0 for any free port)', portNumber)
    .action(on('dashboard'));
  program.command('version').description('print the version').action(on('version'));
  const exp = program.command('export').description('print the effective config or the index template');
  exp
    .command('config')
    .description('print the effective config as YAML (secrets masked)')
    .action(on('export-config'));
  exp.command('template').description('print the index template as JSON').action(on('export-template'));
  const ks = program.command('keystore').description('manage the secrets ${KEY} references resolve from');
  const keystore =
    (action: KeystoreAction) =>
    (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const o = cmd.opts<{ force?: boolean; stdin?: boolean }>();
      const keys = args.slice(0, -2).flatMap((a) => (Array.isArray(a) ? (a as string[]) : [a as string]));
      result = {
        kind: 'keystore',
        action,
        keys,
        force: o.force === true,
        stdin: o.stdin === true,
        options: cmd.optsWithGlobals() as CliOptions,
      };
    };
  ks.command('create')
    .description('create an empty keystore')
    .option('--force', 'replace an existing one')
    .action(keystore('create'));
  ks.command('add <key>')
    .description('store a secret read from stdin under KEY')
    .option('--stdin', 'read the value from stdin (also the case when stdin is not a terminal)')
    .option('--force', 'replace an existing key')
    .action(keystore('add'));
  ks.command('list').description('list the keys (never the values)').action(keystore('list'));
  ks.command('remove <keys...>').description('remove keys').action(keystore('remove'));
  exp
    .command('dashboard')
    .description('print Kibana saved objects (NDJSON): a data view and a dashboard per protocol')
    .action(on('export-dashboard'));
  try {
    program.parse(normaliseArgv(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')
        return { kind: 'help', text: helpText };
      if (err.code === 'commander.version') return { kind: 'help', text: helpText };
      // The option's own parser threw (our UsageError wrapped by commander), or a plain usage error.
      const msg = err.message.replace(/^error: /, '');
      throw new UsageError(`${msg} (see ${beatName} --help)`);
    }
    throw err;
  }
  if (!result) return { kind: 'help', text: helpText || program.helpInformation() };
  return result;
}
