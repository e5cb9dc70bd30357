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

/**
 * One decoded line. Only the line is kept: the text without its marker is sliced from it when
 * asked (when pairing and publishing), so that a pending request holds one string, not two. The
 * message fields LineParser stamps are declared here, in its order: one object shape, every field
 * inside the object.
 */
class EchoLine {
  ts = 0;
  tuple: TcpTuple = undefined as unknown as TcpTuple;
  direction: Direction = 0;
  size = 0;
  notes: string[] | undefined = undefined;
  // truncated and raw-dropped as bits, the marker and the rest derived: a pending request is
  // one of these per open connection.
  private bits = 0;

  /** The line of a message (without its newline). */
  constructor(readonly line: string) {}

  /** Always TCP. */
  get transport(): 'tcp' {
    return 'tcp';
  }

  /** Sent by the client. */
  get isRequest(): boolean {
    return this.direction === 0;
  }

  /** A gap cut the message short. */
  get truncated(): boolean {
    return (this.bits & TRUNCATED) !== 0;
  }
  set truncated(on: boolean) {
    this.bits = on ? this.bits | TRUNCATED : this.bits & ~TRUNCATED;
  }

  /** The first character when it is a marker, else ''. */
  get marker(): EchoMarker {
    return isMarker(this.line.charCodeAt(0)) ? (this.line[0] as EchoMarker) : '';
  }

  /** The message without its marker. */
  get text(): string {
    return isMarker(this.line.charCodeAt(0)) ? this.line.slice(1) : this.line;
  }

  /** The text published as `request` / `response`: the text, unless dropped. */
  get raw(): string | undefined {
    return (this.bits & RAW_DROPPED) !== 0 ? undefined : this.text;
  }

  /** Only undefined (drop the text) or the message's own text can be stored. */
  set raw(value: string | undefined) {
    this.bits = value === undefined ? this.bits | RAW_DROPPED : this.bits & ~RAW_DROPPED;
  }
}

const TRUNCATED = 1;
const RAW_DROPPED = 2;

/** The fields of one decoded line. */
function decode(line: string): EchoFields {
  return new EchoLine(line) as unknown as EchoFields;
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
