// Correlation: requests and responses of one connection paired into transactions. applayer's
// TransactionCorrelator does FIFO pairing with pipelining, timeouts on packet time and notes for
// every incomplete transaction; this file only says how the template's messages pair.
import { TransactionCorrelator } from '@wirebeat/applayer';
import type { ProtocolCounters, Transaction, TransactionTimeouts } from '@wirebeat/applayer';
import type { TemplateConfig } from './config';
import type { TemplateMessage } from './message';

/** A template request/response pair, or one of them alone with notes. */
export type TemplateTransaction = Transaction<TemplateMessage, TemplateMessage>;

/** The correlator of one connection. */
export function createCorrelator(
  config: TemplateConfig,
  counters: ProtocolCounters,
  timeouts: TransactionTimeouts,
  onTransaction: (tx: TemplateTransaction) => void,
): TransactionCorrelator<TemplateMessage, TemplateMessage> {
  return new TransactionCorrelator<TemplateMessage, TemplateMessage>({
    onTransaction,
    counters,
    timeouts,
    transactionTimeoutMs: config.transaction_timeout,
    // TODO(protocol): if a response names its request (an id, a sequence number), add
    // `matches: (request, response) => ...` so that pairing recovers exactly after a gap.
  });
}
