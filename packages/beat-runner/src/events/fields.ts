// Index template fields of what the beat adds to events (see EventEnricher), with their ECS types.
import type { FieldDefinition } from '@wirebeat/applayer';

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

/** Fields the beat adds to every event: host, agent, ecs, related, error, tags, process attribution. */
export const beatFields: readonly FieldDefinition[] = [
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
  { name: 'related.ip', type: 'ip', description: 'Client and server IP addresses.' },
  { name: 'error.message', type: 'text', description: 'Why the transaction failed (its notes).' },
  { name: 'tags', type: 'keyword', description: 'Tags from the tags setting.' },
  ...proc('client'),
  ...proc('server'),
  ...proc('source'),
  ...proc('destination'),
];
