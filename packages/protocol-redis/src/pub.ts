// Redis transaction events: applayer's common fields plus Packetbeat's redis.* and the top-level
// method, resource and query.
import type { ConnectionEvents, ProtocolContext, ProtocolCounters, Transaction } from '@wirebeat/applayer';
import type { RedisMessage } from './message';
import { RespError, formatValue } from './resp';

/** Published in place of passwords (AUTH, HELLO ... AUTH). */
export const REDACTED = 'REDACTED';

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

/** The command arguments with passwords replaced by REDACTED. */
export function redactArgs(args: string[]): string[] {
  const method = (args[0] ?? '').toUpperCase();
  if (method === 'AUTH') return args.map((a, i) => (i === 0 ? a : REDACTED));
  if (method === 'HELLO') {
    const at = args.findIndex((a) => a.toUpperCase() === 'AUTH');
    if (at > 0) return args.map((a, i) => (i === at + 2 ? REDACTED : a));
  }
  return args;
}

/** The key a command works on (Packetbeat's `resource`), when it has one. */
export function resourceOf(args: string[]): string | undefined {
  const method = (args[0] ?? '').toUpperCase();
  if (KEYLESS.has(method)) return undefined;
  if (method === 'EVAL' || method === 'EVALSHA' || method === 'FCALL' || method === 'EVAL_RO') {
    return Number(args[2]) > 0 ? args[3] : undefined;
  }
  return args[1];
}

/** Builds and publishes the event of one Redis transaction. */
export function publishRedisTransaction(
  tx: Transaction<RedisMessage, RedisMessage>,
  events: ConnectionEvents,
  ctx: ProtocolContext,
  counters: ProtocolCounters,
): void {
  const req = tx.request;
  const resp = tx.response;
  const ok =
    req !== undefined &&
    resp !== undefined &&
    !resp.isError &&
    !req.truncated &&
    !resp.truncated &&
    tx.notes === undefined;
  if (!ok) counters.errors++;
  const args = req?.args === undefined ? undefined : redactArgs(req.args);
  const query = args?.join(' ');
  const reply = resp === undefined ? undefined : formatValue(resp.value);
  ctx.publish(
    events.build(tx, {
      status: ok ? 'OK' : 'Error',
      request: query,
      response: reply,
      fieldsJson: eventFieldsJson(args, query, resp, reply),
    }),
  );
}

/**
 * The `redis` object and, after it, the top-level method, resource and query. The event builder
 * writes `"redis":` + this text, so the text continues with `,"method":...`.
 */
export function eventFieldsJson(
  args: string[] | undefined,
  query: string | undefined,
  resp: RedisMessage | undefined,
  reply: string | undefined,
): string {
  let json: string;
  if (resp === undefined) json = '{}';
  else if (resp.value instanceof RespError) json = '{"error":' + JSON.stringify(reply) + '}';
  else json = '{"return_value":' + JSON.stringify(reply) + '}';
  if (args !== undefined && args.length > 0) {
    json += ',"method":' + JSON.stringify(args[0].toUpperCase());
    const resource = resourceOf(args);
    if (resource !== undefined) json += ',"resource":' + JSON.stringify(resource);
    json += ',"query":' + JSON.stringify(query);
  }
  return json;
}
