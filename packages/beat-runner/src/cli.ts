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
  /** `--dump FILE`. */
  dump?: string;
}

/** What the user asked for. */
export type CliCommand =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'setup'; options: CliOptions }
  | { kind: 'devices'; options: CliOptions }
  | { kind: 'test-config'; options: CliOptions }
  | { kind: 'test-output'; options: CliOptions }
  | { kind: 'version'; options: CliOptions }
  | { kind: 'help'; text: string };

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`-l expects a positive number of loops, got ${JSON.stringify(value)}`);
  return Number(value);
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
    .option('-l <n>', 'read the file n times', positiveInt)
    .option('-i <device>', 'capture on this device (a name, lo, or any)')
    .option('-e', 'log to stderr at the configured level (default: warnings and errors only)')
    .option('--dump <file>', 'write every captured packet to this pcap file')
    .helpOption('-h, --help', 'show this help');
  const on = (kind: Exclude<CliCommand['kind'], 'help'>) => (_o: unknown, cmd: Command) => {
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
  program.command('version').description('print the version').action(on('version'));
  try {
    program.parse([...argv], { from: 'user' });
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
