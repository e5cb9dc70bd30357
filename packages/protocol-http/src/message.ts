// The HTTP message the parser emits: one request or one response, head parsed, body counted.
import type { Message } from '@wirebeat/applayer';

/** One HTTP request or response. Fields of the other kind are '' / 0. */
export interface HttpMessage extends Message {
  /** Request method as sent ('GET'); '' for responses. */
  method: string;
  /** Request target as sent ('/a?b=1', 'http://host/x', '*'); '' for responses. */
  target: string;
  /** '1.0' or '1.1'. */
  version: string;
  /** Response status code; 0 for requests. */
  statusCode: number;
  /** Response reason phrase; '' for requests. */
  statusPhrase: string;
  /** Header names (lower-case) and values, flattened: [name0, value0, name1, value1, ...]; trailers included. */
  headers: string[];
  /** The start line and header lines as received (Latin-1), without the blank line. */
  headLines: string[];
  /** Bytes of the head, blank line included. */
  headBytes: number;
  /** Bytes of the body on the wire (payload only, chunk framing excluded). */
  bodyBytes: number;
  /** The first max_body_bytes of the body (chunk framing removed); empty when not kept. */
  body: Uint8Array[];
  /** A 1xx response: not the final response to its request. */
  interim: boolean;
  /** A gap cut the message short: the head and what was seen of the body are known, not its end. */
  truncated: boolean;
}

/** Value of the first header called `name` (lower-case), or undefined. */
export function headerValue(msg: HttpMessage, name: string): string | undefined {
  const h = msg.headers;
  for (let i = 0; i < h.length; i += 2) if (h[i] === name) return h[i + 1];
  return undefined;
}
