// The answers the generator needs, from flags, prompts or defaults.
import { parseArgs } from 'node:util';
import { InvalidOptionError, UsageError } from './errors';
import { normaliseScope, validateProtocolName } from './names';
import { LengthFramingAnswers, parseByteOrder, parseHeaderBytes, parseLengthSize } from './length-framing';

/** Message framings the template implements; the generator keeps the chosen one. */
export const FRAMINGS = ['newline', 'length', 'custom'] as const;
/** One of FRAMINGS. */
export type Framing = (typeof FRAMINGS)[number];
/** Transports a generated protocol runs on: TCP, UDP (one message per datagram) or both. */
export const TRANSPORTS = ['tcp', 'udp', 'both'] as const;
/** One of TRANSPORTS. */
export type TransportChoice = (typeof TRANSPORTS)[number];
/** How responses pair with requests: in order (fifo) or by a key both carry (key). */
export const PAIRINGS = ['fifo', 'key'] as const;
/** One of PAIRINGS. */
export type Pairing = (typeof PAIRINGS)[number];

/** What the user asked for on the command line; undefined means "ask or take the default". */
export interface CliOptions {
  name?: string;
  port?: number;
  description?: string;
  framing?: Framing;
  transport?: TransportChoice;
  pairing?: Pairing;
  /** Length-prefixed framing answers given as flags (they imply --framing length). */
  lengthFraming?: Partial<LengthFramingAnswers>;
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
  /** Default tcp. */
  transport?: TransportChoice;
  /** Default fifo. */
  pairing?: Pairing;
  /** The length-prefixed framing; set when framing is `length`. */
  lengthFraming?: LengthFramingAnswers;
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
        transport: { type: 'string' },
        pairing: { type: 'string' },
        'header-size': { type: 'string' },
        'length-offset': { type: 'string' },
        'length-size': { type: 'string' },
        'byte-order': { type: 'string' },
        'length-includes-header': { type: 'boolean' },
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
  const lengthFraming = lengthFlags(values);
  let framing = values.framing === undefined ? undefined : parseFraming(values.framing);
  if (lengthFraming !== undefined) {
    if (framing !== undefined && framing !== 'length')
      throw new UsageError(`${LENGTH_FLAGS.join(', ')} apply to --framing length only`);
    framing = 'length';
  }
  return {
    name,
    port: values.port === undefined ? undefined : parsePort(values.port),
    description: values.description === undefined ? undefined : parseDescription(values.description),
    framing,
    lengthFraming,
    transport: values.transport === undefined ? undefined : parseTransport(values.transport),
    pairing: values.pairing === undefined ? undefined : parsePairing(values.pairing),
    dir: values.dir,
    scope: values.scope === undefined ? undefined : normaliseScope(values.scope),
    fromClone: values['from-clone'],
    yes: values.yes ?? false,
    help: values.help ?? false,
  };
}

/** The flags of the length-prefixed framing. */
const LENGTH_FLAGS = [
  '--header-size',
  '--length-offset',
  '--length-size',
  '--byte-order',
  '--length-includes-header',
];

/** The length-prefixed framing flags given, or undefined when there is none. */
function lengthFlags(values: {
  'header-size'?: string;
  'length-offset'?: string;
  'length-size'?: string;
  'byte-order'?: string;
  'length-includes-header'?: boolean;
}): Partial<LengthFramingAnswers> | undefined {
  const given: Partial<LengthFramingAnswers> = {};
  if (values['header-size'] !== undefined)
    given.headerSize = parseHeaderBytes(values['header-size'], 'header size');
  if (values['length-offset'] !== undefined)
    given.lengthOffset = parseHeaderBytes(values['length-offset'], 'length offset');
  if (values['length-size'] !== undefined) given.lengthSize = parseLengthSize(values['length-size']);
  if (values['byte-order'] !== undefined) given.byteOrder = parseByteOrder(values['byte-order']);
  if (values['length-includes-header'] !== undefined)
    given.lengthIncludesHeader = values['length-includes-header'];
  return Object.keys(given).length > 0 ? given : undefined;
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
    custom: 'custom',
    fixed: 'custom',
    'fixed-header': 'custom',
  };
  const framing = aliases[text.trim().toLowerCase()];
  if (!framing)
    throw new InvalidOptionError(`invalid framing "${text}": expected one of ${FRAMINGS.join(', ')}`);
  return framing;
}

/** One of TRANSPORTS. */
export function parseTransport(text: string): TransportChoice {
  const transport = TRANSPORTS.find((t) => t === text.trim().toLowerCase());
  if (!transport)
    throw new InvalidOptionError(`invalid transport "${text}": expected one of ${TRANSPORTS.join(', ')}`);
  return transport;
}

/** One of PAIRINGS. */
export function parsePairing(text: string): Pairing {
  const pairing = PAIRINGS.find((p) => p === text.trim().toLowerCase());
  if (!pairing)
    throw new InvalidOptionError(`invalid pairing "${text}": expected one of ${PAIRINGS.join(', ')}`);
  return pairing;
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
  --framing <framing>    newline | length | custom (default newline)
  With --framing length (Wireshark / Netty LengthFieldBasedFrameDecoder terms; each implies it):
  --length-size <n>      width of the length field: 1, 2, 3 or 4 bytes (default 4)
  --length-offset <n>    where the length field starts in the header (default 0)
  --header-size <n>      bytes before the body, length field included (default offset + size)
  --byte-order <order>   big | little (default big)
  --length-includes-header
                         the length counts the header too (default: the body only)
  --transport <t>        tcp | udp | both (default tcp)
  --pairing <pairing>    fifo | key: responses pair in order, or by a key (default fifo)
  --dir <path>           work from this directory instead of the current one
  --scope <scope>        npm scope for a standalone package (e.g. @acme)
  --from-clone <path>    depend on a built wirebeat clone's packages (file: links), for use before
                         the packages are on the npm registry
  -y, --yes              do not ask, take the defaults
  -h, --help             show this help
`;
