// Where a length-prefixed message's length lies and what it counts, in the terms Wireshark and
// Netty's LengthFieldBasedFrameDecoder users know: a header of fixed size, a length field of 1 to
// 4 bytes at an offset in it, big- or little-endian, counting the body alone or the whole message.
import { z } from 'zod';

/** Widths a length field can have, in bytes. */
export const LENGTH_FIELD_SIZES = [1, 2, 3, 4] as const;

/** The framing of a length-prefixed protocol. */
export interface LengthFraming {
  /** Bytes of the header, the length field included; the body follows it. */
  headerSize: number;
  /** Where the length field starts in the header. */
  lengthOffset: number;
  /** Width of the length field: 1, 2, 3 or 4 bytes. */
  lengthSize: (typeof LENGTH_FIELD_SIZES)[number];
  /** Byte order of the length field. */
  byteOrder: 'big' | 'little';
  /** The length counts the whole message, header included (otherwise the body only). */
  lengthIncludesHeader: boolean;
}

/** What is wrong with a framing, as one line, or undefined when it is usable. */
export function lengthFramingProblem(framing: LengthFraming): string | undefined {
  const { headerSize, lengthOffset, lengthSize } = framing;
  if (!LENGTH_FIELD_SIZES.includes(lengthSize))
    return `length size ${lengthSize}: expected 1, 2, 3 or 4 bytes`;
  if (!Number.isInteger(lengthOffset) || lengthOffset < 0)
    return `length offset ${lengthOffset}: expected 0 or a positive integer`;
  if (!Number.isInteger(headerSize) || headerSize < lengthOffset + lengthSize)
    return `header size ${headerSize}: the length field (offset ${lengthOffset}, ${lengthSize} bytes) must fit in it`;
  return undefined;
}

/** The value of the length field of the header starting at bytes[pos]. */
export function readLengthField(bytes: Uint8Array, pos: number, framing: LengthFraming): number {
  const from = pos + framing.lengthOffset;
  let value = 0;
  for (let i = 0; i < framing.lengthSize; i++) {
    const byte = bytes[framing.byteOrder === 'big' ? from + i : from + framing.lengthSize - 1 - i];
    value = value * 256 + byte;
  }
  return value;
}

/** Bytes of the body a length field announces; negative when it cannot be (shorter than the header). */
export function bodySizeOf(length: number, framing: LengthFraming): number {
  return framing.lengthIncludesHeader ? length - framing.headerSize : length;
}

const SIZE = 'expected a number of bytes (0 or a positive integer)';
const size = z.number({ error: SIZE }).int({ error: SIZE }).nonnegative({ error: SIZE });

/**
 * A protocol option holding a framing (config keys header_size, length_offset, length_size,
 * byte_order, length_includes_header); keys not given take the protocol's defaults.
 */
export function lengthFramingOption(defaults: LengthFraming) {
  return z
    .strictObject({
      header_size: size.optional(),
      length_offset: size.optional(),
      length_size: z.literal(LENGTH_FIELD_SIZES, { error: 'expected 1, 2, 3 or 4' }).optional(),
      byte_order: z.enum(['big', 'little'], { error: 'expected big or little' }).optional(),
      length_includes_header: z.boolean({ error: 'expected true or false' }).optional(),
    })
    .transform((raw, ctx): LengthFraming => {
      const framing: LengthFraming = {
        headerSize: raw.header_size ?? defaults.headerSize,
        lengthOffset: raw.length_offset ?? defaults.lengthOffset,
        lengthSize: raw.length_size ?? defaults.lengthSize,
        byteOrder: raw.byte_order ?? defaults.byteOrder,
        lengthIncludesHeader: raw.length_includes_header ?? defaults.lengthIncludesHeader,
      };
      const problem = lengthFramingProblem(framing);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      return framing;
    })
    .default(() => ({ ...defaults }));
}
