// The notes applayer attaches to incomplete transactions. Stable strings: dashboards filter on them.

/** Standard notes explaining why a transaction is incomplete. */
export const Notes = {
  responseTimeout: 'response missing: transaction timed out',
  responseTooManyPending: 'response missing: too many pending requests on the connection',
  responseLostInGap: 'response missing: lost in a gap in the stream',
  responseEvicted: 'response missing: evicted, pending requests over max_pending_bytes',
  responseSkipped: 'response missing: a later request was answered first',
  requestLostInGap: 'request missing: lost in a gap in the stream',
  responseWithoutRequest: 'response without a request',
  responseWithoutMatchingRequest: 'response without a matching request',
  lateResponse: 'response arrived after its request timed out',
  messageHitByGap: 'message hit by a gap in the stream',
  messageAfterGap: 'message follows a gap in the stream',
  incompleteMessage: 'message incomplete at end of stream',
  messageTooLong: 'message longer than max_message_size: text not kept',
  requestTooLong: 'request missing: longer than max_message_size',
  responseTooLong: 'response missing: longer than max_message_size',
  analyzerFailed: 'protocol analyzer failed on this transaction: its fields are not analysed',
} as const;

/** The close reason the dispatcher gives a connection whose plugin threw. */
export const PLUGIN_ERROR_REASON = 'plugin error';

/** The note for requests still pending when their connection goes away. */
export function connectionClosedNote(reason: string): string {
  switch (reason) {
    case 'fin':
      return 'response missing: connection closed (FIN)';
    case 'rst':
      return 'response missing: connection reset (RST)';
    case 'eof':
      return 'response missing: end of input';
    case 'timeout':
      return 'response missing: connection idle timeout';
    case PLUGIN_ERROR_REASON:
      return 'response missing: the protocol analyzer failed on this connection';
    default:
      return `response missing: connection closed (${reason})`;
  }
}
