// A parsed template message: the fields every protocol's messages have, plus this protocol's own.
import type { Message } from '@wirebeat/applayer';

/** One request or response; `raw` holds the body text published as `request` / `response`. */
export interface TemplateMessage extends Message {
  /** Size of the body in bytes, framing excluded. */
  bodyLength: number;
  /** True for a response that reports a failure (the transaction gets status Error). */
  failed: boolean;
  /** Message type code (fixed-header framing). */
  messageType?: number;
  /** Status code (fixed-header framing); non-zero in a response means failed. */
  statusCode?: number;
  /** What a response shares with its request (see pairingKey in trans.ts). */
  key?: string;
  // TODO(protocol): fields your parser extracts (a command, a status code, a key ...).
}
