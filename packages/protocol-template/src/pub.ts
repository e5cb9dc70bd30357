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
  // TODO(protocol): the protocol's own fields; declare each one in fields.ts.
  // The `template` object is written as JSON text: building and serialising nested objects for
  // every transaction cost the analyzer a third of its speed (mostly garbage collection).
  const req = request && '"request":' + sideJson(request.bodyLength, 'type', request.messageType);
  const resp = response && '"response":' + sideJson(response.bodyLength, 'status_code', response.statusCode);
  return {
    status: ok ? 'OK' : 'Error',
    fieldsJson: '{' + (req && resp ? req + ',' + resp : (req ?? resp ?? '')) + '}',
  };
}

/** `{"body_bytes":n,"<key>":code}` of one message (the code only when the framing has one). */
function sideJson(bodyBytes: number, key: string, code: number | undefined): string {
  return '{"body_bytes":' + bodyBytes + (code === undefined ? '' : ',"' + key + '":' + code) + '}';
}
