// Echo messages: one per line, typed by their first character.
import {
  LineParser,
  type Direction,
  type LineMessage,
  type LineParserOptions,
  type TcpTuple,
} from '@wirebeat/applayer';

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

/** The fields of one decoded line, created with every message field so that stamping adds none. */
function decode(line: string): Omit<EchoMessage, keyof LineMessage<object>> {
  const marker = (isMarker(line.charCodeAt(0)) ? line[0] : '') as EchoMarker;
  const text = marker === '' ? line : line.slice(1);
  // The message fields LineParser stamps are declared here, in its order: one object shape, its
  // fields inside the object rather than in a separately allocated property array.
  const fields = {
    marker,
    text,
    line,
    raw: text,
    ts: 0,
    tuple: undefined,
    transport: 'tcp',
    direction: 0,
    isRequest: true,
    size: 0,
    notes: undefined,
    truncated: false,
  };
  return fields as unknown as Omit<EchoMessage, keyof LineMessage<object>>;
}

const isRequestStart = (b: number): boolean => b === 0x3e;
const isResponseStart = (b: number): boolean => b === 0x3c || b === 0x21;

/** Parser options by direction and size limit: shared by every connection (no closures each). */
const optionsCache = new Map<number, [LineParserOptions<EchoFields>, LineParserOptions<EchoFields>]>();

function optionsFor(dir: Direction, maxMessageSize: number): LineParserOptions<EchoFields> {
  let both = optionsCache.get(maxMessageSize);
  if (both === undefined) {
    both = [
      { maxMessageSize, isMarker, isMessageStart: isRequestStart, decode },
      { maxMessageSize, isMarker, isMessageStart: isResponseStart, decode },
    ];
    optionsCache.set(maxMessageSize, both);
  }
  return both[dir];
}

type EchoFields = Omit<EchoMessage, keyof LineMessage<object>>;

/** Splits one direction of an echo connection into messages. */
export class EchoParser extends LineParser<EchoFields> {
  /** After a gap, a line starting with this direction's marker is taken whole. */
  constructor(tuple: TcpTuple, dir: Direction, maxMessageSize: number) {
    super(tuple, dir, optionsFor(dir, maxMessageSize));
  }
}
