// Newline-delimited messages: every line (ending in \n, optionally \r\n) is one message. applayer's
// LineParser does the splitting, buffering, size limit and gap recovery; this file decodes a line.
import { LineParser, type Direction, type TcpTuple } from '@wirebeat/applayer';
import type { TemplateMessage } from './message';

type Fields = Pick<TemplateMessage, 'bodyLength' | 'failed' | 'raw' | 'key'>;

/** Options of the TemplateParser. */
export interface ParserOptions {
  /** Longest message buffered; a longer line keeps its transaction, not its text. */
  maxMessageSize: number;
  /** Decode message bodies to text (only when events carry request/response text). */
  keepContent: boolean;
}

/** Splits one direction of a connection into messages. */
export class TemplateParser extends LineParser<Fields> {
  /** The parser of direction `dir` (0 client requests, 1 server responses) of a connection. */
  constructor(tuple: TcpTuple, dir: Direction, opts: ParserOptions) {
    super(tuple, dir, {
      maxMessageSize: opts.maxMessageSize,
      // TODO(protocol): decide what the line means (failed or not, fields).
      decode(line) {
        const body = line.endsWith('\r') ? line.slice(0, -1) : line;
        return {
          bodyLength: Buffer.byteLength(body),
          failed: false,
          raw: opts.keepContent ? body : undefined,
          key: body,
        };
      },
    });
  }
}
