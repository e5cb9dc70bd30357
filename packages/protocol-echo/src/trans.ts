// Correlation of echo requests and responses. Echo answers in order, so FIFO pairing is right;
// the echoed text also proves which request a response belongs to, which the correlator uses to
// stay correct after gaps and timeouts.
import {
  TransactionCorrelator,
  type PendingBudget,
  type ProtocolCounters,
  type Transaction,
  type TransactionTimeouts,
} from '@wirebeat/applayer';
import type { EchoMessage } from './parser';

/**
 * True when the response repeats the request, as the echo server does ('<' + text, or '!' + line).
 * A message cut short by a gap proves nothing: many messages can share what was seen of it.
 */
export function echoes(request: EchoMessage, response: EchoMessage): boolean {
  if (request.truncated || response.truncated) return false;
  if (response.marker === '<') return response.text === request.text;
  if (response.marker === '!') return response.text === request.line || response.text === request.text;
  return response.line === request.line;
}

/** Creates the correlator of one echo connection. */
export function createEchoCorrelator(opts: {
  counters: ProtocolCounters;
  timeouts: TransactionTimeouts;
  transactionTimeoutMs: number;
  maxPending: number;
  /** The plugin's pending-request byte budget. */
  budget?: PendingBudget;
  /** Receives every transaction, complete or not. */
  onTransaction(tx: Transaction<EchoMessage, EchoMessage>): void;
}): TransactionCorrelator<EchoMessage, EchoMessage> {
  return new TransactionCorrelator<EchoMessage, EchoMessage>({
    onTransaction: opts.onTransaction,
    counters: opts.counters,
    timeouts: opts.timeouts,
    transactionTimeoutMs: opts.transactionTimeoutMs,
    maxPending: opts.maxPending,
    budget: opts.budget,
    matches: echoes,
  });
}
