// The echo analyzer of the Packetbeat tutorial, on applayer's defineProtocol.
import { ApplayerError, byteSizeOption, defineProtocol } from '@wirebeat/applayer';
import { EchoParser, type EchoMessage } from './parser';

/**
 * True when the response repeats the request, as the echo server does ('<' + text, or '!' + line).
 * A message cut short by a gap proves nothing: many messages can share what was seen of it.
 */
export function echoes(request: EchoMessage, response: EchoMessage): boolean {
  if (request.truncated || response.truncated) return false;
  if (response.marker === '<') return response.text === request.text;
  if (response.marker === '!') return response.text === request.line || response.text === request.text;
  return response.line === request.line;
}

/** The echo protocol module: pass it to runBeat({ protocols: [echoProtocol] }). */
export const echoProtocol = defineProtocol({
  name: 'echo',
  description: "The Packetbeat tutorial's protocol: '>' requests, '<' responses, '!' errors, one a line.",
  ports: [3030],
  // Longest line kept while waiting for its newline; a longer one keeps its transaction, not its text.
  options: { max_message_size: byteSizeOption(1024 * 1024) },
  fields: [
    { name: 'echo.echoed', type: 'boolean', description: 'True when the response repeats the request.' },
  ],
  parser: (dir, tuple, config) => new EchoParser(tuple, dir, config.max_message_size),
  match: echoes,
  transaction({ request: req, response: resp, notes }) {
    // A message cut short by a gap cannot be checked: Error, and whether it echoed is unknown.
    const whole = req !== undefined && resp !== undefined && !req.truncated && !resp.truncated;
    return {
      status: whole && resp.marker !== '!' && notes === undefined ? 'OK' : 'Error',
      fields: whole ? { echoed: echoes(req, resp) } : undefined,
    };
  },
});

/** Base class of every echo analyzer error. */
export class EchoError extends ApplayerError {}

/** The echo protocol options are invalid; the message names the option and the expected value. */
export class EchoConfigError extends EchoError {}

/** Validated echo options, defaults applied (transaction_timeout in ms). */
export type EchoConfig = ReturnType<typeof echoProtocol.parseConfig>;

/** Validates raw echo options; throws EchoConfigError naming each bad option and what it expects. */
export const parseEchoConfig = (raw: unknown = {}): EchoConfig =>
  echoProtocol.parseConfig(raw, (message) => new EchoConfigError(message));

export { EchoParser, type EchoMessage, type EchoMarker } from './parser';
