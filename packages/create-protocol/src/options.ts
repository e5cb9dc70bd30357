// The answers the generator needs, from flags, prompts or defaults.
import { parseArgs } from 'node:util';
import { InvalidOptionError, UsageError } from './errors';
import { normaliseScope, validateProtocolName } from './names';

/** Message framings the template implements; the generator keeps the chosen one. */
export const FRAMINGS = ['newline', 'length', 'fixed'] as const;
/** One of FRAMINGS. */
export type Framing = (typeof FRAMINGS)[number];

/** What the user asked for on the command line; undefined means "ask or take the default". */
export interface CliOptions {
  name?: string;
  port?: number;
  description?: string;
  framing?: Framing;
  /** Directory to work from instead of the current one (mode detection starts there). */
  dir?: string;
  /** npm scope for a standalone package (`@acme/wirebeat-protocol-x`). */
  scope?: string;
  /** A wirebeat clone whose packages the generated package depends on (`file:` links). */
  fromClone?: string;
  /** Take the default for every answer not given. */
  yes: boolean;
  help: boolean;
}

/** Complete answers: everything the generator needs. */
export interface GeneratorAnswers {
  name: string;
  port: number;
  description: string;
  framing: Framing;
  scope?: string;
}

/** Port used when none is given with --yes; it is the template's own placeholder port. */
export const DEFAULT_PORT = 7357;

/** The one-line description used when none is given. */
export function defaultDescription(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)} protocol analyzer for wirebeat.`;
}

/** Parses argv (without node and script). Throws UsageError / InvalidOptionError on bad input. */
export function parseCliOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        port: { type: 'string', short: 'p' },
        description: { type: 'string' },
        framing: { type: 'string' },
        dir: { type: 'string' },
        scope: { type: 'string' },
        'from-clone': { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  if (positionals.length === 1 && values.name !== undefined && values.name !== positionals[0]) {
    throw new UsageError(`two different names given: "${positionals[0]}" and --name "${values.name}"`);
  }
  const name = values.name ?? positionals[0];
  if (name !== undefined) validateProtocolName(name);
  return {
    name,
    port: values.port === undefined ? undefined : parsePort(values.port),
    description: values.description === undefined ? undefined : parseDescription(values.description),
    framing: values.framing === undefined ? undefined : parseFraming(values.framing),
    dir: values.dir,
    scope: values.scope === undefined ? undefined : normaliseScope(values.scope),
    fromClone: values['from-clone'],
    yes: values.yes ?? false,
    help: values.help ?? false,
  };
}

/** A TCP port 1..65535 given as text. */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw new InvalidOptionError(`invalid port "${text}": expected 1..65535`);
  return port;
}

/** One of FRAMINGS, accepting a few obvious aliases. */
export function parseFraming(text: string): Framing {
  const aliases: Record<string, Framing> = {
    newline: 'newline',
    line: 'newline',
    'newline-delimited': 'newline',
    length: 'length',
    'length-prefixed': 'length',
    fixed: 'fixed',
    'fixed-header': 'fixed',
  };
  const framing = aliases[text.trim().toLowerCase()];
  if (!framing)
    throw new InvalidOptionError(`invalid framing "${text}": expected one of ${FRAMINGS.join(', ')}`);
  return framing;
}

/** A one-line description: no line breaks, not empty. */
export function parseDescription(text: string): string {
  const description = text.trim();
  if (description.length === 0 || /[\r\n]/.test(description)) {
    throw new InvalidOptionError('invalid description: expected one non-empty line');
  }
  return description;
}

/** Usage text printed by --help. */
export const USAGE = `Usage: create-protocol [name] [options]

Scaffolds a wirebeat protocol analyzer. Where it generates depends on where you run it:
  - in the wirebeat repository:      packages/protocol-<name>
  - in a beat built on beat-runner:  src/protocols/<name> (+ tests), registered in the entry point
  - anywhere else:                   wirebeat-protocol-<name>/, a standalone publishable package

Options:
  --name <name>          protocol name: lowercase letters, digits, underscores (e.g. ping)
  -p, --port <port>      default server port (default ${DEFAULT_PORT})
  --description <text>   one-line description
  --framing <framing>    newline | length | fixed (default newline)
  --dir <path>           work from this directory instead of the current one
  --scope <scope>        npm scope for a standalone package (e.g. @acme)
  --from-clone <path>    depend on a built wirebeat clone's packages (file: links), for use before
                         the packages are on the npm registry
  -y, --yes              do not ask, take the defaults
  -h, --help             show this help
`;
