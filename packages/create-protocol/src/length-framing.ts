// The length-prefixed framing's answers (Wireshark / Netty LengthFieldBasedFrameDecoder terms):
// header size, length field offset and width, byte order, and whether the length counts the
// header. Read from flags or prompts, checked together, and written into the generated parser.
import { InvalidOptionError } from './errors';

/** Widths a length field can have, in bytes. */
export const LENGTH_SIZES = [1, 2, 3, 4] as const;
/** Byte orders of the length field. */
export const BYTE_ORDERS = ['big', 'little'] as const;

/** Where a message's length lies in its header and what it counts (applayer's LengthFraming). */
export interface LengthFramingAnswers {
  headerSize: number;
  lengthOffset: number;
  lengthSize: (typeof LENGTH_SIZES)[number];
  byteOrder: (typeof BYTE_ORDERS)[number];
  lengthIncludesHeader: boolean;
}

/** The template's framing: a 4-byte big-endian body length and nothing else in the header. */
export const DEFAULT_LENGTH_FRAMING: LengthFramingAnswers = {
  headerSize: 4,
  lengthOffset: 0,
  lengthSize: 4,
  byteOrder: 'big',
  lengthIncludesHeader: false,
};

/** Largest header the generator accepts, in bytes. */
const MAX_HEADER = 1024;

/** A length field width: 1, 2, 3 or 4 bytes. */
export function parseLengthSize(text: string): LengthFramingAnswers['lengthSize'] {
  const size = LENGTH_SIZES.find((n) => String(n) === text.trim());
  if (size === undefined)
    throw new InvalidOptionError(`invalid length size "${text}": expected 1, 2, 3 or 4 (bytes)`);
  return size;
}

/** A byte count in a header: 0..1024 for an offset, 1..1024 for a header size. */
export function parseHeaderBytes(text: string, what: 'length offset' | 'header size'): number {
  const value = /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  const min = what === 'header size' ? 1 : 0;
  if (!(value >= min && value <= MAX_HEADER))
    throw new InvalidOptionError(`invalid ${what} "${text}": expected ${min}..${MAX_HEADER} (bytes)`);
  return value;
}

/** big or little (be / le accepted). */
export function parseByteOrder(text: string): LengthFramingAnswers['byteOrder'] {
  const order = { big: 'big', be: 'big', little: 'little', le: 'little' }[text.trim().toLowerCase()];
  if (order === undefined)
    throw new InvalidOptionError(`invalid byte order "${text}": expected big or little`);
  return order as LengthFramingAnswers['byteOrder'];
}

/** yes / no (true / false, y / n). */
export function parseYesNo(text: string): boolean {
  const value = { yes: true, y: true, true: true, no: false, n: false, false: false }[
    text.trim().toLowerCase()
  ];
  if (value === undefined) throw new InvalidOptionError(`invalid answer "${text}": expected yes or no`);
  return value;
}

/** The complete framing from partial answers; the header ends after the length field unless given. */
export function completeLengthFraming(given: Partial<LengthFramingAnswers>): LengthFramingAnswers {
  const lengthOffset = given.lengthOffset ?? DEFAULT_LENGTH_FRAMING.lengthOffset;
  const lengthSize = given.lengthSize ?? DEFAULT_LENGTH_FRAMING.lengthSize;
  const framing: LengthFramingAnswers = {
    headerSize: given.headerSize ?? lengthOffset + lengthSize,
    lengthOffset,
    lengthSize,
    byteOrder: given.byteOrder ?? DEFAULT_LENGTH_FRAMING.byteOrder,
    lengthIncludesHeader: given.lengthIncludesHeader ?? DEFAULT_LENGTH_FRAMING.lengthIncludesHeader,
  };
  checkLengthFraming(framing);
  return framing;
}

/** Throws InvalidOptionError when the length field does not fit in the header. */
export function checkLengthFraming(framing: LengthFramingAnswers): void {
  const { headerSize, lengthOffset, lengthSize } = framing;
  if (lengthOffset + lengthSize > headerSize) {
    throw new InvalidOptionError(
      `invalid header size ${headerSize}: a ${lengthSize}-byte length at offset ${lengthOffset} needs at least ${lengthOffset + lengthSize}`,
    );
  }
}

/** The generated parser's FRAMING declaration for the answers. */
export function framingDeclaration(framing: LengthFramingAnswers): string {
  return [
    'export const FRAMING: LengthFraming = {',
    `  headerSize: ${framing.headerSize},`,
    `  lengthOffset: ${framing.lengthOffset},`,
    `  lengthSize: ${framing.lengthSize},`,
    `  byteOrder: '${framing.byteOrder}',`,
    `  lengthIncludesHeader: ${framing.lengthIncludesHeader},`,
    '};',
  ].join('\n');
}

/** The template parser's FRAMING declaration, as framingDeclaration would write it. */
export const TEMPLATE_FRAMING_DECLARATION = /export const FRAMING: LengthFraming = \{[^}]*\};/;
