// How test messages look on the wire with length-prefixed framing: 4-byte big-endian body length, body.

/** Base name of this framing's sample capture and golden events under test/captures/. */
export const SAMPLE_NAME = 'sample-length';

const encoder = new TextEncoder();

function frame(body: string): Uint8Array {
  const bytes = encoder.encode(body);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/** A request on the wire. */
export function encodeRequest(body: string): Uint8Array {
  return frame(body);
}

/** A response on the wire. */
export function encodeResponse(body: string): Uint8Array {
  return frame(body);
}
