// http.*.body.content as Packetbeat: bodies of the content types include_*_body_for names, decoded
// (gzip, deflate) when decode_body is on.
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { decodeUtf8 } from '@wirebeat/streambuf';
import { headerValue, type HttpMessage } from './message';

/** True when a message's Content-Type contains one of `types` (Packetbeat matches substrings). */
export function includesBody(msg: HttpMessage, types: readonly string[]): boolean {
  if (types.length === 0) return false;
  const type = headerValue(msg, 'content-type')?.toLowerCase();
  return type !== undefined && types.some((t) => type.includes(t.toLowerCase()));
}

/**
 * The kept body as text, decoded from its Content-Encoding when `decode` and the coding is gzip or
 * deflate (undecodable bytes, a cut-short body say, are published as they are); at most `max`
 * bytes of decoded text.
 */
export function bodyContent(msg: HttpMessage, decode: boolean, max: number): string | undefined {
  if (msg.body.length === 0) return undefined;
  let bytes: Uint8Array = msg.body.length === 1 ? msg.body[0] : Buffer.concat(msg.body);
  const coding = headerValue(msg, 'content-encoding')?.trim().toLowerCase();
  if (decode && (coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate')) {
    try {
      const opts = { maxOutputLength: Math.max(1, max) };
      if (coding === 'deflate') {
        // RFC 9110's deflate is zlib-wrapped; some servers send raw deflate.
        try {
          bytes = inflateSync(bytes, opts);
        } catch {
          bytes = inflateRawSync(bytes, opts);
        }
      } else bytes = gunzipSync(bytes, opts);
    } catch {
      // Kept as received.
    }
  }
  return decodeUtf8(bytes.subarray(0, max));
}
