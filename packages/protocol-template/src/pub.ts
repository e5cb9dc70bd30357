// What a transaction becomes in its event: the status and the protocol's own fields under the
// `template` namespace. applayer fills every common field (addresses, bytes, times, notes,
// community id, request/response text when enabled).
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import type { TemplateMessage } from './message';

/** A template request/response pair, or one of them alone with notes. */
export type TemplateTransaction = Transaction<TemplateMessage, TemplateMessage>;

/** A missing, cut or over-long message, or a failed response, is an error. */
export function summarise({ request, response }: TemplateTransaction): TransactionSummary {
  const ok = request && response && !response.failed && !request.notes && !response.notes;
  // TODO(protocol): the protocol's own fields; declare each one in fields.ts (events are written
  // in that order).
  return {
    status: ok ? 'OK' : 'Error',
    fields: {
      request: request && { body_bytes: request.bodyLength, type: request.messageType },
      response: response && { body_bytes: response.bodyLength, status_code: response.statusCode },
    },
  };
}
