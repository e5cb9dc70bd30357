// The fields every transaction event has (see the design's "Transaction events") and those a beat
// adds, with their Elasticsearch types. These lists are the only ones: the event builder, the
// enricher, the index template and the golden comparisons all read them; protocols add their own
// namespace.

/** Elasticsearch field types a protocol may declare for its own fields. */
export type FieldType =
  'keyword' | 'text' | 'long' | 'integer' | 'double' | 'boolean' | 'date' | 'ip' | 'object' | 'alias';

/** An event field, used to build the index template. */
export interface FieldDefinition {
  /** Dotted path, e.g. `echo.echoed`. */
  name: string;
  type: FieldType;
  description: string;
  /** For an `alias`: the field it reads (events never carry the alias itself). */
  path?: string;
}

const f = (name: string, type: FieldType, description: string): FieldDefinition => ({
  name,
  type,
  description,
});

function endpoint(prefix: string, who: string, named = false): FieldDefinition[] {
  const out = [
    f(`${prefix}.ip`, 'ip', `IP address of the ${who}.`),
    f(`${prefix}.port`, 'long', `Port of the ${who}.`),
    f(`${prefix}.bytes`, 'long', `Bytes sent by the ${who} in this transaction.`),
  ];
  if (named) out.push(f(`${prefix}.domain`, 'keyword', `Name of the ${who} (HTTP Host header).`));
  return out;
}

/** Every common field of a transaction event (protocols add their own namespace). */
export const commonFields: readonly FieldDefinition[] = [
  f('@timestamp', 'date', 'Time of the request (of the response when the request is missing).'),
  f('type', 'keyword', 'Protocol of the transaction.'),
  f('status', 'keyword', 'OK or Error.'),
  f('responsetime', 'long', 'Time from request to response in milliseconds.'),
  ...endpoint('source', 'client (the side that sent the request)'),
  ...endpoint('destination', 'server', true),
  ...endpoint('client', 'client'),
  ...endpoint('server', 'server', true),
  f('network.transport', 'keyword', 'Transport protocol (tcp).'),
  f('network.protocol', 'keyword', 'Application protocol.'),
  f('network.type', 'keyword', 'ipv4 or ipv6.'),
  f('network.bytes', 'long', 'Bytes in both directions.'),
  f('network.community_id', 'keyword', 'Community ID v1 flow hash.'),
  f('network.forwarded_ip', 'ip', 'Original client address from the HTTP real_ip_header.'),
  f('event.kind', 'keyword', 'Always event.'),
  f('event.category', 'keyword', 'Always [network_traffic, network], as Packetbeat.'),
  f('event.type', 'keyword', 'Always [connection, protocol].'),
  f('event.dataset', 'keyword', 'Protocol of the transaction.'),
  f('event.start', 'date', 'Time of the request.'),
  f('event.end', 'date', 'Time of the response.'),
  f('event.duration', 'long', 'Time from request to response in nanoseconds.'),
  f('event.outcome', 'keyword', 'success or failure.'),
  f('event.action', 'keyword', 'What the transaction did, where the protocol says (redis.<command>).'),
  f('request', 'text', 'Raw request (when send_request is on).'),
  f('response', 'text', 'Raw response (when send_response is on).'),
  f('notes', 'keyword', 'Why the transaction is incomplete or unusual.'),
  f('error.message', 'text', "Why the transaction failed, in Packetbeat's words where it has them."),
  f(
    'related.ip',
    'ip',
    'Client and server IP addresses, and those the transaction names (DNS answers, a forwarded client).',
  ),
  f('related.hosts', 'keyword', 'Host names seen in the transaction (HTTP Host header).'),
  f('related.user', 'keyword', 'Users named in the transaction (HTTP Basic authentication).'),
];

/**
 * Packetbeat's aliases: searchable names that events do not carry (the template maps them onto
 * the field they read), so that Packetbeat's saved searches keep working without storing twice.
 */
export const aliasFields: readonly FieldDefinition[] = [
  {
    name: 'bytes_in',
    type: 'alias',
    path: 'source.bytes',
    description: 'Request bytes on the wire (Packetbeat alias of source.bytes).',
  },
  {
    name: 'bytes_out',
    type: 'alias',
    path: 'destination.bytes',
    description: 'Response bytes on the wire (Packetbeat alias of destination.bytes).',
  },
  {
    name: 'agent.hostname',
    type: 'alias',
    path: 'agent.name',
    description: 'Deprecated in Beats 8: alias of agent.name.',
  },
];

const proc = (side: string): FieldDefinition[] => [
  { name: `${side}.process.pid`, type: 'long', description: `Process id of the ${side} (procs).` },
  { name: `${side}.process.name`, type: 'keyword', description: `Process name of the ${side} (procs).` },
  {
    name: `${side}.process.args`,
    type: 'keyword',
    description: `Command line of the ${side}'s process (procs).`,
  },
  {
    name: `${side}.process.executable`,
    type: 'keyword',
    description: `Executable of the ${side}'s process (procs).`,
  },
];

/**
 * Fields a beat adds to every event (beat-runner's enrichment): ecs, host, agent,
 * tags, process attribution. The enricher writes them in this order.
 */
export const beatAddedFields: readonly FieldDefinition[] = [
  { name: 'ecs.version', type: 'keyword', description: 'ECS version the event follows.' },
  {
    name: 'host.name',
    type: 'keyword',
    description: 'Name of the shipper (the name setting, default the host name).',
  },
  { name: 'host.hostname', type: 'keyword', description: 'Host name of the machine.' },
  { name: 'host.architecture', type: 'keyword', description: 'CPU architecture.' },
  { name: 'host.id', type: 'keyword', description: 'Machine id (add_host_metadata).' },
  { name: 'host.ip', type: 'ip', description: 'Addresses of the host (add_host_metadata).' },
  { name: 'host.mac', type: 'keyword', description: 'MAC addresses of the host (add_host_metadata).' },
  { name: 'host.os.type', type: 'keyword', description: 'linux, macos, windows ...' },
  { name: 'host.os.platform', type: 'keyword', description: 'Distribution id (debian, ubuntu ...).' },
  { name: 'host.os.kernel', type: 'keyword', description: 'Kernel release.' },
  { name: 'host.os.name', type: 'keyword', description: 'Operating system name.' },
  { name: 'host.os.version', type: 'keyword', description: 'Operating system version.' },
  { name: 'host.os.family', type: 'keyword', description: 'Operating system family.' },
  { name: 'agent.type', type: 'keyword', description: 'The beat that produced the event.' },
  { name: 'agent.version', type: 'keyword', description: 'Version of the beat.' },
  { name: 'agent.name', type: 'keyword', description: 'Name of the shipper (the name setting).' },
  { name: 'agent.id', type: 'keyword', description: 'Persistent id of the beat (path.data/meta.json).' },
  { name: 'agent.ephemeral_id', type: 'keyword', description: 'Id of this run of the beat.' },

  { name: 'tags', type: 'keyword', description: 'Tags from the tags setting.' },
  ...proc('client'),
  ...proc('server'),
  ...proc('source'),
  ...proc('destination'),
];

/** The distinct first names of dotted field names, in order (`host.name`, `host.ip` -> `host`). */
export function rootNamesOf(fields: readonly FieldDefinition[]): string[] {
  return [...new Set(fields.map((f) => f.name.split('.')[0]))];
}

/**
 * Root fields only a beat adds (not the protocol's event builder): what comparisons of a beat's
 * output with a protocol's golden events leave out.
 */
export const beatAddedRoots: readonly string[] = rootNamesOf(beatAddedFields).filter(
  (name) => !rootNamesOf(commonFields).includes(name),
);
