// memcache transaction events: status as Packetbeat computes it, and the memcache object with the
// request and response as Packetbeat publishes them.
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import type { MemcacheMessage } from './message';

/** Whether a request expects no reply (noreply, quiet, quit): alone, it is complete. */
export function expectsNoReply(req: MemcacheMessage): boolean {
  return req.noreply === true || req.quiet === true || req.command === 'quit';
}

/** Status of a transaction: OK when the reply (or its expected absence) says success. */
export function memcacheStatus(
  req: MemcacheMessage | undefined,
  resp: MemcacheMessage | undefined,
): 'OK' | 'Error' {
  if (req === undefined) return 'Error';
  if (resp === undefined) return expectsNoReply(req) && !req.truncated ? 'OK' : 'Error';
  if (req.truncated || resp.truncated) return 'Error';
  if (resp.binary) return resp.statusCode === 0 ? 'OK' : 'Error';
  return resp.type === 'Fail' || resp.type === 'UNKNOWN' ? 'Error' : 'OK';
}

/** What Packetbeat publishes of one message under memcache.request or memcache.response. */
export function messageFields(m: MemcacheMessage): Record<string, unknown> {
  const o: Record<string, unknown> = { command: m.command, type: m.type };
  if (m.line !== undefined) o.line = m.line;
  if (m.keys !== undefined) o.keys = m.keys;
  if (m.countValues !== undefined) o.count_values = m.countValues;
  if (m.bytes !== undefined) o.bytes = m.bytes;
  if (m.flags !== undefined) o.flags = m.flags;
  if (m.exptime !== undefined) o.exptime = m.exptime;
  if (m.casUnique !== undefined) o.cas_unique = m.casUnique;
  if (m.noreply) o.noreply = true;
  if (m.delta !== undefined) o.delta = m.delta;
  if (m.initial !== undefined) o.initial = m.initial;
  if (m.verbosity !== undefined) o.verbosity = m.verbosity;
  if (m.rawArgs !== undefined) o.raw_args = m.rawArgs;
  if (m.binary) {
    o.opcode = m.opcode;
    o.opcode_value = m.opcodeValue;
    o.opaque = m.opaque;
    if (m.isRequest) {
      o.vbucket = m.vbucket;
      o.quiet = m.quiet;
    } else {
      o.status = m.status;
      o.status_code = m.statusCode;
    }
  }
  if (m.value !== undefined) o.value = m.value;
  if (m.version !== undefined) o.version = m.version;
  if (m.errorMsg !== undefined) o.error_msg = m.errorMsg;
  if (m.stats !== undefined) o.stats = m.stats;
  return o;
}

/** The text published as `request` / `response`: the command line or reply word and keys. */
export function rawText(m: MemcacheMessage): string {
  if (m.line !== undefined) return m.line;
  const words = m.binary ? [m.opcode ?? m.command] : [m.command];
  if (m.rawArgs !== undefined && m.command === 'stats') words.push(m.rawArgs);
  if (m.keys !== undefined) words.push(...m.keys);
  if (m.binary && !m.isRequest) words.push(`(${m.status})`);
  return words.join(' ');
}

/** Status and memcache object of one transaction. */
export function memcacheTransaction({
  request: req,
  response: resp,
}: Transaction<MemcacheMessage, MemcacheMessage>): TransactionSummary {
  const first = req ?? resp;
  const fields: Record<string, unknown> = {
    protocol_type: first === undefined ? 'unknown' : first.binary ? 'binary' : 'text',
  };
  if (req !== undefined) fields.request = messageFields(req);
  if (resp !== undefined) fields.response = messageFields(resp);
  const summary: TransactionSummary = { status: memcacheStatus(req, resp), fields };
  // As Packetbeat: event.action names the request's command class (`memcache.load`, `memcache.store`).
  if (req !== undefined) summary.action = `memcache.${req.type.toLowerCase()}`;
  return summary;
}
