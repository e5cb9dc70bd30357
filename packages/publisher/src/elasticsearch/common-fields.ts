// The fields every wirebeat event has (see the design's "Transaction events"), mapped even when the
// runner passes no field list. Protocol field definitions are merged over these.
import type { FieldDefinition } from '../types';

const endpoint = (prefix: string, who: string): FieldDefinition[] => [
  { name: `${prefix}.ip`, type: 'ip', description: `IP address of the ${who}.` },
  { name: `${prefix}.port`, type: 'long', description: `Port of the ${who}.` },
  { name: `${prefix}.bytes`, type: 'long', description: `Bytes sent by the ${who}.` },
  {
    name: `${prefix}.process.name`,
    type: 'keyword',
    description: `Process name of the ${who}, where known.`,
  },
  { name: `${prefix}.process.pid`, type: 'long', description: `Process id of the ${who}, where known.` },
];

/** Common event fields with their Elasticsearch types. */
export const baseFields: readonly FieldDefinition[] = [
  { name: '@timestamp', type: 'date', description: 'Time of the request.' },
  { name: 'type', type: 'keyword', description: 'Protocol name.' },
  { name: 'status', type: 'keyword', description: 'OK or Error.' },
  { name: 'responsetime', type: 'long', description: 'Time from request to response, in ms.' },
  { name: 'bytes_in', type: 'long', description: 'Request bytes on the wire.' },
  { name: 'bytes_out', type: 'long', description: 'Response bytes on the wire.' },
  ...endpoint('source', 'source (client side)'),
  ...endpoint('destination', 'destination (server side)'),
  ...endpoint('client', 'client'),
  ...endpoint('server', 'server'),
  { name: 'network.transport', type: 'keyword', description: 'Transport protocol (tcp).' },
  { name: 'network.protocol', type: 'keyword', description: 'Application protocol.' },
  { name: 'network.type', type: 'keyword', description: 'ipv4 or ipv6.' },
  { name: 'network.bytes', type: 'long', description: 'Bytes in both directions.' },
  { name: 'network.community_id', type: 'keyword', description: 'Community ID flow hash.' },
  { name: 'event.kind', type: 'keyword', description: 'ECS event kind.' },
  { name: 'event.category', type: 'keyword', description: 'ECS event category.' },
  { name: 'event.type', type: 'keyword', description: 'ECS event type.' },
  { name: 'event.dataset', type: 'keyword', description: 'Dataset name.' },
  { name: 'event.start', type: 'date', description: 'Start of the transaction.' },
  { name: 'event.end', type: 'date', description: 'End of the transaction.' },
  { name: 'event.duration', type: 'long', description: 'Duration of the transaction, in ns.' },
  { name: 'event.outcome', type: 'keyword', description: 'success or failure.' },
  { name: 'request', type: 'text', description: 'Raw request text (send_request).' },
  { name: 'response', type: 'text', description: 'Raw response text (send_response).' },
  { name: 'notes', type: 'keyword', description: 'Why a transaction is incomplete.' },
];
