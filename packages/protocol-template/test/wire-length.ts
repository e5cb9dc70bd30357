// How test messages look on the wire with length-prefixed framing: a header of FRAMING's size
// whose length field (FRAMING's offset, width and byte order) counts the body, or the whole
// message when FRAMING says so; other header bytes are zero. Then the body.
import type { LengthFraming } from '@wirebeat/applayer';
import { FRAMING } from '../src/parser-length';

/** Base name of this framing's sample capture and golden events under test/captures/. */
export const SAMPLE_NAME = 'sample-length';

/** The sample capture's framing, whatever the protocol's: a 4-byte big-endian body length. */
const SAMPLE_FRAMING: LengthFraming = {
  headerSize: 4,
  lengthOffset: 0,
  lengthSize: 4,
  byteOrder: 'big',
  lengthIncludesHeader: false,
};

/** Options the sample capture is replayed with: its framing. */
export const SAMPLE_OPTIONS = {
  framing: {
    header_size: 4,
    length_offset: 0,
    length_size: 4,
    byte_order: 'big',
    length_includes_header: false,
  },
};

const encoder = new TextEncoder();

function frame(body: string, framing: LengthFraming): Uint8Array {
  const bytes = encoder.encode(body);
  const out = new Uint8Array(framing.headerSize + bytes.length);
  let length = bytes.length + (framing.lengthIncludesHeader ? framing.headerSize : 0);
  for (let i = 0; i < framing.lengthSize; i++) {
    const at = framing.byteOrder === 'little' ? i : framing.lengthSize - 1 - i;
    out[framing.lengthOffset + at] = length % 256;
    length = Math.floor(length / 256);
  }
  out.set(bytes, framing.headerSize);
  return out;
}

/** A request on the wire. */
export function encodeRequest(body: string): Uint8Array {
  return frame(body, FRAMING);
}

/** A response on the wire. */
export function encodeResponse(body: string): Uint8Array {
  return frame(body, FRAMING);
}

/** How the sample capture frames requests and responses. */
export const sampleEncoding = {
  encodeRequest: (body: string) => frame(body, SAMPLE_FRAMING),
  encodeResponse: (body: string) => frame(body, SAMPLE_FRAMING),
};
