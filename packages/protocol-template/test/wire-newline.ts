// How test messages look on the wire with newline framing: the body followed by "\n".

/** Base name of this framing's sample capture and golden events under test/captures/. */
export const SAMPLE_NAME = 'sample-newline';

const encoder = new TextEncoder();

/** A request on the wire. */
export function encodeRequest(body: string): Uint8Array {
  return encoder.encode(`${body}\n`);
}

/** A response on the wire. */
export function encodeResponse(body: string): Uint8Array {
  return encoder.encode(`${body}\n`);
}

/** Options the sample capture is replayed with (none: it is framed as the protocol frames). */
export const SAMPLE_OPTIONS = {};

/** How the sample capture frames requests and responses. */
export const sampleEncoding = { encodeRequest, encodeResponse };
