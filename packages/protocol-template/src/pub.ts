// Events: one per transaction. applayer's builder fills every common field (addresses, bytes,
// times, status, notes, community id, request/response text when enabled); this file decides the
// status and the protocol's own fields under the `template` namespace.
import { TransactionEventBuilder } from '@wirebeat/applayer';
import type { ConnectionEvents, TransactionEvent, TransactionStatus } from '@wirebeat/applayer';
import type { TemplateConfig } from './config';
import type { TemplateTransaction } from './trans';

/** The event builder of the protocol (one per plugin). */
export function createEventBuilder(config: TemplateConfig): TransactionEventBuilder {
  return new TransactionEventBuilder('template', {
    sendRequest: config.send_request,
    sendResponse: config.send_response,
  });
}

/** A missing request or response (timeout, gap, close) or a failed response is an error. */
export function transactionStatus(tx: TemplateTransaction): TransactionStatus {
  return tx.request && tx.response && !tx.response.failed ? 'OK' : 'Error';
}

/** Builds the event of one transaction on a connection. */
export function createEvent(events: ConnectionEvents, tx: TemplateTransaction): TransactionEvent {
  const { request, response } = tx;
  const status = transactionStatus(tx);
  // TODO(protocol): the protocol's own fields; declare each one in fields.ts.
  const fields: Record<string, unknown> = {};
  if (request) fields.request = { body_bytes: request.bodyLength, type: request.messageType };
  if (response) fields.response = { body_bytes: response.bodyLength, status_code: response.statusCode };
  return events.build(tx, {
    status,
    request: request?.content,
    response: response?.content,
    fields,
  });
}
