// Options of the template protocol. defineProtocol adds the shared ones (enabled, ports,
// send_request, send_response, transaction_timeout, max_pending_requests) and rejects unknown keys.
import { byteSizeOption } from '@wirebeat/applayer';
import { parserOptions } from './parser';

/** The server port(s) the protocol is analysed on unless configured otherwise. */
// TODO(protocol): the port your protocol's servers listen on.
export const DEFAULT_PORTS = [7357];

/** The protocol's own options, each with its default. */
export const templateOptions = {
  /** Longest message buffered while waiting for its end (1 MiB). */
  max_message_size: byteSizeOption(1024 * 1024),
  // The framing's own options (length-prefixed framing: `framing`, see src/parser.ts).
  ...parserOptions,
  // TODO(protocol): add your protocol's own options here, each with a default.
};
