// Field definitions of memcache events (Packetbeat's memcache.* names and meanings).
import type { FieldDefinition, FieldType } from '@wirebeat/applayer';

const f = (name: string, type: FieldType, description: string): FieldDefinition => ({
  name: `memcache.${name}`,
  type,
  description,
});

/** Fields both the request and the response objects carry. */
function common(side: 'request' | 'response'): FieldDefinition[] {
  return [
    f(`${side}.command`, 'keyword', 'Text command or reply word; binary opcodes as their text command.'),
    f(`${side}.type`, 'keyword', 'Class: Load, Store, Delete, Counter, Info, Stats, Success, Fail, Auth...'),
    f(`${side}.keys`, 'keyword', 'Keys named by the request, or returned by the reply.'),
    f(`${side}.count_values`, 'long', 'Values carried (data blocks); missing when none can be.'),
    f(`${side}.bytes`, 'long', 'Total size of the values carried.'),
    f(`${side}.flags`, 'long', 'The flags stored with, or returned with, a value.'),
    f(`${side}.cas_unique`, 'long', 'The CAS identifier, when present.'),
    f(`${side}.opcode`, 'keyword', 'Binary protocol opcode name.'),
    f(`${side}.opcode_value`, 'long', 'Binary protocol opcode value.'),
    f(`${side}.opaque`, 'long', 'Binary protocol opaque value: pairs a response with its request.'),
  ];
}

/** The memcache analyzer's own event fields. */
export const memcacheFields: FieldDefinition[] = [
  f('protocol_type', 'keyword', 'Protocol variant: text, binary (or unknown).'),
  ...common('request'),
  f('request.line', 'keyword', 'The whole command line, for unknown commands only.'),
  f('request.exptime', 'long', 'Expiry time in seconds (relative below 30 days, else Unix time).'),
  f('request.noreply', 'boolean', 'The text request asked for no reply.'),
  f('request.quiet', 'boolean', 'The binary request is quiet (no reply unless it fails, or hits for gets).'),
  f('request.vbucket', 'long', 'The vbucket of a binary request.'),
  f('request.delta', 'long', 'Increment or decrement of a counter command.'),
  f('request.initial', 'long', 'Initial counter value of a binary incr/decr.'),
  f('request.verbosity', 'long', 'Level of the verbosity command.'),
  f('request.raw_args', 'keyword', 'Arguments of stats, slabs and lru_crawler commands as sent.'),
  ...common('response'),
  f('response.status', 'keyword', 'Binary protocol status as text (Success, Key not found...).'),
  f('response.status_code', 'long', 'Binary protocol status code.'),
  f('response.error_msg', 'keyword', 'Error message of an error reply.'),
  f('response.value', 'long', 'Counter value returned by incr/decr.'),
  f('response.version', 'keyword', 'Version the server returned.'),
  f('response.stats', 'object', 'Stats lines returned, each with name and value.'),
];
