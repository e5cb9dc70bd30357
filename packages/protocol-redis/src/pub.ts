// Redis transaction events: applayer's common fields plus Packetbeat's redis.* and the top-level
// method, resource and query.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import type { RedisMessage } from './message';
import { RespError, formatValue } from './resp';
import { REDACTED, redactArgs } from './redact';
import { commandName } from './command-name';

export { REDACTED, redactArgs };

/** Commands whose second argument is not a key. */
const KEYLESS = new Set([
  'AUTH',
  'HELLO',
  'PING',
  'ECHO',
  'SELECT',
  'INFO',
  'CLIENT',
  'CONFIG',
  'COMMAND',
  'DEBUG',
  'MULTI',
  'EXEC',
  'DISCARD',
  'QUIT',
  'SCRIPT',
  'FUNCTION',
  'CLUSTER',
  'MEMORY',
  'SLOWLOG',
  'LATENCY',
  'ACL',
  'MODULE',
  'PUBSUB',
  'SHUTDOWN',
]);

/** The key a command works on (Packetbeat's `resource`), when it has one. */
export function resourceOf(args: string[]): string | undefined {
  const method = commandName(args[0] ?? '').upper;
  if (KEYLESS.has(method)) return undefined;
  if (method === 'EVAL' || method === 'EVALSHA' || method === 'FCALL' || method === 'EVAL_RO') {
    return Number(args[2]) > 0 ? args[3] : undefined;
  }
  return args[1];
}

/** Status, `redis` object and top-level method, resource and query of one Redis transaction. */
export function redisTransaction({
  request: req,
  response: resp,
  notes,
}: Transaction<RedisMessage, RedisMessage>): TransactionSummary {
  const ok =
    req !== undefined &&
    resp !== undefined &&
    !resp.isError &&
    !req.truncated &&
    !resp.truncated &&
    notes === undefined;
  const reply = resp === undefined ? undefined : (resp.raw ?? formatValue(resp.value));
  const isError = resp?.value instanceof RespError;
  const args = req?.args;
  const summary: TransactionSummary = {
    status: ok ? 'OK' : 'Error',
    fields: { return_value: isError ? undefined : reply, error: isError ? reply : undefined },
    // The command's text (redacted), when send_request kept it from parsing, is the query.
    root: args === undefined ? undefined : rootFields(args, req!.raw),
  };
  // Packetbeat's event.action: `redis.` and the command in lower case.
  if (args !== undefined && args.length > 0) summary.action = commandName(args[0]).action;
  return summary;
}

/**
 * Packetbeat's top-level method, resource and query of a command; undefined without arguments.
 * `query`: the redacted arguments joined, when already made.
 */
export function rootFields(rawArgs: string[], query?: string): object | undefined {
  if (rawArgs.length === 0) return undefined;
  // Redaction never touches the name nor a command's key: only the query needs the redacted form.
  return {
    method: commandName(rawArgs[0]).upper,
    resource: resourceOf(rawArgs),
    query: query ?? redactArgs(rawArgs).join(' '),
  };
}
