// Interactive questions for answers not given as flags. Only used when both stdin and stdout are
// terminals and --yes was not given; every question has a flag, so scripts never block here.
import * as readline from 'node:readline/promises';
import { CreateProtocolError, UsageError } from './errors';
import {
  CliOptions,
  DEFAULT_PORT,
  FRAMINGS,
  GeneratorAnswers,
  defaultDescription,
  parseDescription,
  PAIRINGS,
  TRANSPORTS,
  parseFraming,
  parsePairing,
  parsePort,
  parseTransport,
} from './options';
import { validateProtocolName } from './names';
import {
  BYTE_ORDERS,
  LENGTH_SIZES,
  LengthFramingAnswers,
  completeLengthFraming,
  parseByteOrder,
  parseHeaderBytes,
  parseLengthSize,
  parseYesNo,
} from './length-framing';

/** Where prompts read and write; injectable so tests can drive them with streams. */
export interface PromptIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
}

/** Completes the answers: asks for what is missing when interactive, otherwise takes defaults. */
export async function completeAnswers(options: CliOptions, io: PromptIo): Promise<GeneratorAnswers> {
  if (!io.interactive || options.yes) {
    if (options.name === undefined) {
      throw new UsageError('protocol name missing: run `create-protocol <name>` or pass --name <name>');
    }
    const framing = options.framing ?? 'newline';
    return {
      name: options.name,
      port: options.port ?? DEFAULT_PORT,
      description: options.description ?? defaultDescription(options.name),
      framing,
      ...(framing === 'length' ? { lengthFraming: completeLengthFraming(options.lengthFraming ?? {}) } : {}),
      transport: options.transport ?? 'tcp',
      pairing: options.pairing ?? 'fifo',
      scope: options.scope,
    };
  }
  const rl = readline.createInterface({ input: io.input, output: io.output, terminal: true });
  try {
    const ask = async <T>(question: string, fallback: string, parse: (text: string) => T): Promise<T> => {
      for (;;) {
        const answer = (await rl.question(`${question} (${fallback}): `)).trim();
        try {
          return parse(answer === '' ? fallback : answer);
        } catch (err) {
          if (!(err instanceof CreateProtocolError)) throw err;
          io.output.write(`  ${err.message}\n`);
        }
      }
    };
    const name =
      options.name ??
      (await ask('Protocol name', 'ping', (text) => {
        validateProtocolName(text);
        return text;
      }));
    const port = options.port ?? (await ask('Default server port', String(DEFAULT_PORT), parsePort));
    const description =
      options.description ?? (await ask('One-line description', defaultDescription(name), parseDescription));
    const framing =
      options.framing ?? (await ask(`Message framing [${FRAMINGS.join(', ')}]`, 'newline', parseFraming));
    const lengthFraming =
      framing === 'length' ? await askLengthFraming(options.lengthFraming ?? {}, ask) : undefined;
    const transport =
      options.transport ?? (await ask(`Transport [${TRANSPORTS.join(', ')}]`, 'tcp', parseTransport));
    const pairing =
      options.pairing ??
      (await ask(
        `Pairing of responses [${PAIRINGS.join(' (in order), ')} (by an id)]`,
        'fifo',
        parsePairing,
      ));
    return {
      name,
      port,
      description,
      framing,
      ...(lengthFraming ? { lengthFraming } : {}),
      transport,
      pairing,
      scope: options.scope,
    };
  } finally {
    rl.close();
  }
}

/** Asks a question with a default answer, again until the answer parses. */
type Ask = <T>(question: string, fallback: string, parse: (text: string) => T) => Promise<T>;

/** Asks for the length-prefixed framing answers flags did not give. */
async function askLengthFraming(
  given: Partial<LengthFramingAnswers>,
  ask: Ask,
): Promise<LengthFramingAnswers> {
  const lengthSize =
    given.lengthSize ??
    (await ask(`Length field size in bytes [${LENGTH_SIZES.join(', ')}]`, '4', parseLengthSize));
  const lengthOffset =
    given.lengthOffset ??
    (await ask('Length field offset in the header', '0', (text) => parseHeaderBytes(text, 'length offset')));
  const headerSize =
    given.headerSize ??
    (await ask(
      'Header size in bytes, length field included',
      String(lengthOffset + lengthSize),
      (text) =>
        completeLengthFraming({ lengthSize, lengthOffset, headerSize: parseHeaderBytes(text, 'header size') })
          .headerSize,
    ));
  const byteOrder =
    given.byteOrder ??
    (await ask(`Byte order of the length [${BYTE_ORDERS.join(', ')}]`, 'big', parseByteOrder));
  const lengthIncludesHeader =
    given.lengthIncludesHeader ??
    (await ask('Does the length count the header too? [no, yes]', 'no', parseYesNo));
  return completeLengthFraming({ headerSize, lengthOffset, lengthSize, byteOrder, lengthIncludesHeader });
}
