// How test messages look on the wire with the fixed header: type (u16), status (u16), length (u32), body.

/** Base name of this framing's sample capture and golden events under test/captures/. */
export const SAMPLE_NAME = 'sample-custom';

/** Message type used by the test messages. */
export const TEST_MESSAGE_TYPE = 1;

const encoder = new TextEncoder();

function frame(body: string, status: number): Uint8Array {
  const bytes = encoder.encode(body);
  const out = new Uint8Array(8 + bytes.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, TEST_MESSAGE_TYPE);
  view.setUint16(2, status);
  view.setUint32(4, bytes.length);
  out.set(bytes, 8);
  return out;
}

/** A request on the wire. */
export function encodeRequest(body: string): Uint8Array {
  return frame(body, 0);
}

/** A successful response on the wire. */
export function encodeResponse(body: string): Uint8Array {
  return frame(body, 0);
}

/** Options the sample capture is replayed with (none: it is framed as the protocol frames). */
export const SAMPLE_OPTIONS = {};

/** How the sample capture frames requests and responses. */
export const sampleEncoding = { encodeRequest, encodeResponse };
