// The fields every transaction event has (see the design's "Transaction events"), with their
// Elasticsearch types: the index template maps them, protocols add their own namespace.

/** Elasticsearch field types a protocol may declare for its own fields. */
export type FieldType =
  'keyword' | 'text' | 'long' | 'integer' | 'double' | 'boolean' | 'date' | 'ip' | 'object';

/** An event field, used to build the index template. */
export interface FieldDefinition {
  /** Dotted path, e.g. `echo.echoed`. */
  name: string;
  type: FieldType;
  description: string;
}

const f = (name: string, type: FieldType, description: string): FieldDefinition => ({
  name,
  type,
  description,
});

function endpoint(prefix: string, who: string): FieldDefinition[] {
  return [
    f(`${prefix}.ip`, 'ip', `IP address of the ${who}.`),
    f(`${prefix}.port`, 'long', `Port of the ${who}.`),
    f(`${prefix}.bytes`, 'long', `Bytes sent by the ${who} in this transaction.`),
    f(`${prefix}.process.name`, 'keyword', `Process name of the ${who}, where known.`),
    f(`${prefix}.process.pid`, 'long', `Process id of the ${who}, where known.`),
  ];
}

/** Every common field of a transaction event (protocols add their own namespace). */
export const commonFields: readonly FieldDefinition[] = [
  f('@timestamp', 'date', 'Time of the request (of the response when the request is missing).'),
  f('type', 'keyword', 'Protocol of the transaction.'),
  f('status', 'keyword', 'OK or Error.'),
  f('responsetime', 'long', 'Time from request to response in milliseconds.'),
  f('bytes_in', 'long', 'Request bytes on the wire.'),
  f('bytes_out', 'long', 'Response bytes on the wire.'),
  ...endpoint('source', 'client (the side that sent the request)'),
  ...endpoint('destination', 'server'),
  ...endpoint('client', 'client'),
  ...endpoint('server', 'server'),
  f('network.transport', 'keyword', 'Transport protocol (tcp).'),
  f('network.protocol', 'keyword', 'Application protocol.'),
  f('network.type', 'keyword', 'ipv4 or ipv6.'),
  f('network.bytes', 'long', 'Bytes in both directions.'),
  f('network.community_id', 'keyword', 'Community ID v1 flow hash.'),
  f('event.kind', 'keyword', 'Always event.'),
  f('event.category', 'keyword', 'Always [network].'),
  f('event.type', 'keyword', 'Always [connection, protocol].'),
  f('event.dataset', 'keyword', 'Protocol of the transaction.'),
  f('event.start', 'date', 'Time of the request.'),
  f('event.end', 'date', 'Time of the response.'),
  f('event.duration', 'long', 'Time from request to response in nanoseconds.'),
  f('event.outcome', 'keyword', 'success or failure.'),
  f('request', 'text', 'Raw request (when send_request is on).'),
  f('response', 'text', 'Raw response (when send_response is on).'),
  f('notes', 'keyword', 'Why the transaction is incomplete or unusual.'),
];
