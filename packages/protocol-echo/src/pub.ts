// Echo transaction events: the common fields from applayer plus the `echo` namespace.
import type { ConnectionEvents, ProtocolContext, ProtocolCounters, Transaction } from '@wirebeat/applayer';
import type { EchoMessage } from './parser';
import { echoes } from './trans';

/** Fields of the `echo` namespace. */
export interface EchoFields {
  /** True when the response repeats the request; false when the server answered something else. */
  echoed: boolean;
}

// The `echo` object has two possible values: serialise them once.
const ECHOED = JSON.stringify({ echoed: true } satisfies EchoFields);
const NOT_ECHOED = JSON.stringify({ echoed: false } satisfies EchoFields);

/** Builds and publishes the event of one echo transaction. */
export function publishEchoTransaction(
  tx: Transaction<EchoMessage, EchoMessage>,
  events: ConnectionEvents,
  ctx: ProtocolContext,
  counters: ProtocolCounters,
): void {
  const req = tx.request;
  const resp = tx.response;
  const complete = req !== undefined && resp !== undefined;
  // A transaction with a message cut short by a gap cannot be checked: it is an Error, and
  // whether the response echoed the request is unknown (no `echo` object).
  const whole = complete && !req.truncated && !resp.truncated;
  const ok = whole && resp.marker !== '!' && tx.notes === undefined;
  if (!ok) counters.errors++;
  ctx.publish(
    events.build(tx, {
      status: ok ? 'OK' : 'Error',
      request: req?.text,
      response: resp?.text,
      fieldsJson: whole ? (echoes(req, resp) ? ECHOED : NOT_ECHOED) : undefined,
    }),
  );
}
