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
  messageEvicted: 'message incomplete: evicted, unfinished messages over max_pending_bytes',
  messageTooLong: 'message longer than max_message_size: text not kept',
  requestTooLong: 'request missing: longer than max_message_size',
  responseTooLong: 'response missing: longer than max_message_size',
  analyzerFailed: 'protocol analyzer failed on this transaction: its fields are not analysed',
} as const;

/** The close reason the dispatcher gives a connection whose plugin threw. */
export const PLUGIN_ERROR_REASON = 'plugin error';

/** The close reason of a connection closed to keep the beat within its memory budget. */
export const MEMORY_REASON = 'memory';

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
    case MEMORY_REASON:
      return 'response missing: connection evicted, the beat is over its memory budget';
    case PLUGIN_ERROR_REASON:
      return 'response missing: the protocol analyzer failed on this connection';
    default:
      return `response missing: connection closed (${reason})`;
  }
}

/**
 * Packetbeat's phrase for a note (or the note itself where Packetbeat has none). Packetbeat says
 * "Unmatched request", "Unmatched response" and "Packet loss while capturing the request/response";
 * alerts and saved searches match on those, while the notes keep wirebeat's detail.
 */
export function packetbeatPhrase(note: string, onRequest: boolean): string {
  if (note.startsWith('response missing: lost in a gap')) return 'Packet loss while capturing the response';
  if (note.startsWith('request missing: lost in a gap')) return 'Packet loss while capturing the request';
  if (note.startsWith('response missing')) return 'Unmatched request';
  if (note.startsWith('response without') || note.startsWith('response arrived after'))
    return 'Unmatched response';
  if (note === Notes.messageHitByGap || note === Notes.messageAfterGap)
    return `Packet loss while capturing the ${onRequest ? 'request' : 'response'}`;
  return note;
}

/** error.message of a failed transaction: Packetbeat's phrases of its notes, each once, joined with '; '. */
export function packetbeatErrorMessage(
  requestNotes: readonly string[] | undefined,
  responseNotes: readonly string[] | undefined,
  txNotes: readonly string[] | undefined,
): string | undefined {
  const out: string[] = [];
  const add = (notes: readonly string[] | undefined, onRequest: boolean): void => {
    if (notes === undefined) return;
    for (const n of notes) {
      const phrase = packetbeatPhrase(n, onRequest);
      if (!out.includes(phrase)) out.push(phrase);
    }
  };
  add(requestNotes, true);
  add(responseNotes, false);
  add(txNotes, true);
  return out.length === 0 ? undefined : out.join('; ');
}
