// The echo analyzer of the Packetbeat tutorial, on applayer's defineProtocol: one message a line,
// '>' requests, '<' responses, '!' error responses. It is the example to copy: plain messages and
// fields; buffering, gaps, pairing, memory and events are the framework's.
import { ApplayerError, LineParser, byteSizeOption, defineProtocol } from '@wirebeat/applayer';
import type { Direction, LineMessage, TcpTuple } from '@wirebeat/applayer';

/** First character of an echo message: '>' request, '<' response, '!' error response, '' none. */
export type EchoMarker = '>' | '<' | '!' | '';

/** What echo reads from one line. */
export interface EchoLine {
  marker: EchoMarker;
  /** The message without its marker and newline (what `request` / `response` publish). */
  text: string;
  /** The whole line without the newline. */
  line: string;
  raw?: string;
}

/** One echo message: the common message fields plus those of its line. */
export type EchoMessage = LineMessage<EchoLine>;

/** The marker and text of a line. */
function decode(line: string): EchoLine {
  const first = line.charAt(0);
  const marker = first === '>' || first === '<' || first === '!' ? first : '';
  const text = marker === '' ? line : line.slice(1);
  return { marker, text, line, raw: text };
}

// First bytes of messages: '>' (0x3e) starts a request, '<' (0x3c) and '!' (0x21) a response.
const isRequestStart = (byte: number): boolean => byte === 0x3e;
const isResponseStart = (byte: number): boolean => byte === 0x3c || byte === 0x21;
const isMarker = (byte: number): boolean => isRequestStart(byte) || isResponseStart(byte);

/** Splits one direction of an echo connection into messages. */
export class EchoParser extends LineParser<EchoLine> {
  /** After a gap, a line starting with this direction's marker is taken whole. */
  constructor(tuple: TcpTuple, dir: Direction, maxMessageSize: number) {
    const isMessageStart = dir === 0 ? isRequestStart : isResponseStart;
    super(tuple, dir, { maxMessageSize, decode, isMarker, isMessageStart });
  }
}

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
  dashboard: { resource: 'echo.echoed' },
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

/** The echo protocol options are invalid; the message names the option and the expected value. */
export class EchoConfigError extends ApplayerError {}

/** Validated echo options, defaults applied (transaction_timeout in ms). */
export type EchoConfig = ReturnType<typeof echoProtocol.parseConfig>;

/** Validates raw echo options; throws EchoConfigError naming each bad option and what it expects. */
export const parseEchoConfig = (raw: unknown = {}): EchoConfig =>
  echoProtocol.parseConfig(raw, (message) => new EchoConfigError(message));
