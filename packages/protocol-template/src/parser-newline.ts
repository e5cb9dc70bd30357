// Newline-delimited messages: every line (ending in \n, optionally \r\n) is one message. applayer's
// LineParser does the splitting, buffering, size limit and gap recovery; this file decodes a line.
import { LineParser, type Direction, type TcpTuple } from '@wirebeat/applayer';
import type { TemplateMessage } from './message';

type Fields = Pick<TemplateMessage, 'bodyLength' | 'failed' | 'raw' | 'key'>;

/** Options this framing adds to the protocol's own (none). */
export const parserOptions = {};

/** What the parser reads of the protocol's configuration. */
export interface ParserConfig {
  /** Longest message buffered; a longer line keeps its transaction, not its text. */
  max_message_size: number;
  send_request: boolean;
  send_response: boolean;
}

/** Splits one direction of a connection into messages. */
export class TemplateParser extends LineParser<Fields> {
  /** The parser of direction `dir` (0 client requests, 1 server responses) of a connection. */
  constructor(tuple: TcpTuple, dir: Direction, config: ParserConfig) {
    const keepContent = dir === 0 ? config.send_request : config.send_response;
    super(tuple, dir, {
      maxMessageSize: config.max_message_size,
      // TODO(protocol): decide what the line means (failed or not, fields).
      decode(line) {
        const body = line.endsWith('\r') ? line.slice(0, -1) : line;
        return {
          bodyLength: Buffer.byteLength(body),
          failed: false,
          raw: keepContent ? body : undefined,
          key: body,
        };
      },
    });
  }
}
