// Length-prefixed messages: a header holding the message's length, then the body. FRAMING says
// where the length lies and what it counts; applayer's LengthPrefixedParser does the splitting,
// buffering and size limit, and this file decodes a message. Bytes from the client are requests,
// bytes from the server responses.
import {
  LengthPrefixedParser,
  lengthFramingOption,
  type Direction,
  type LengthFraming,
  type TcpTuple,
} from '@wirebeat/applayer';
import { decodeUtf8 } from '@wirebeat/streambuf';
import type { TemplateMessage } from './message';

type Fields = Pick<TemplateMessage, 'bodyLength' | 'failed' | 'raw' | 'key'>;

/** The protocol's framing (a beat's config may change it with the `framing` option). */
export const FRAMING: LengthFraming = {
  headerSize: 4,
  lengthOffset: 0,
  lengthSize: 4,
  byteOrder: 'big',
  lengthIncludesHeader: false,
};

/** Options this framing adds to the protocol's own: `framing`, FRAMING by default. */
export const parserOptions = { framing: lengthFramingOption(FRAMING) };

/** What the parser reads of the protocol's configuration. */
export interface ParserConfig {
  max_message_size: number;
  send_request: boolean;
  send_response: boolean;
  framing: LengthFraming;
}

/** Splits one direction of a connection into messages. */
export class TemplateParser extends LengthPrefixedParser<Fields> {
  /** The parser of direction `dir` (0 client requests, 1 server responses) of a connection. */
  constructor(tuple: TcpTuple, dir: Direction, config: ParserConfig) {
    const keepContent = dir === 0 ? config.send_request : config.send_response;
    super(tuple, dir, {
      maxMessageSize: config.max_message_size,
      framing: config.framing,
      // TODO(protocol): decode the header's other fields and the body (a command, a status).
      decode(_header, body) {
        const text = decodeUtf8(body);
        return { bodyLength: body.length, failed: false, raw: keepContent ? text : undefined, key: text };
      },
    });
  }
}
