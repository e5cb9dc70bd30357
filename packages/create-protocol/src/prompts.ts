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
    return {
      name: options.name,
      port: options.port ?? DEFAULT_PORT,
      description: options.description ?? defaultDescription(options.name),
      framing: options.framing ?? 'newline',
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
    const transport =
      options.transport ?? (await ask(`Transport [${TRANSPORTS.join(', ')}]`, 'tcp', parseTransport));
    const pairing =
      options.pairing ??
      (await ask(
        `Pairing of responses [${PAIRINGS.join(' (in order), ')} (by an id)]`,
        'fifo',
        parsePairing,
      ));
    return { name, port, description, framing, transport, pairing, scope: options.scope };
  } finally {
    rl.close();
  }
}
