// Echo messages: one per line, typed by their first character.
import { LineParser, type Direction, type LineMessage, type TcpTuple } from '@wirebeat/applayer';

/** First character of an echo message: '>' request, '<' response, '!' error response, '' none. */
export type EchoMarker = '>' | '<' | '!' | '';

/** One echo message: the common message fields plus these. */
export type EchoMessage = LineMessage<{
  marker: EchoMarker;
  /** The message without its marker and newline (what `request` / `response` publish). */
  text: string;
  /** The whole line without the newline. */
  line: string;
}>;

const isMarker = (byte: number): boolean => byte === 0x3e || byte === 0x3c || byte === 0x21;

/** Splits one direction of an echo connection into messages. */
export class EchoParser extends LineParser<Omit<EchoMessage, keyof LineMessage<object>>> {
  /** After a gap, a line starting with this direction's marker is taken whole. */
  constructor(tuple: TcpTuple, dir: Direction, maxMessageSize: number) {
    super(tuple, dir, {
      maxMessageSize,
      isMarker,
      isMessageStart: (b) => (dir === 0 ? b === 0x3e : b === 0x3c || b === 0x21),
      decode(line) {
        const marker = (isMarker(line.charCodeAt(0)) ? line[0] : '') as EchoMarker;
        const text = marker === '' ? line : line.slice(1);
        return { marker, text, line, raw: text };
      },
    });
  }
}
