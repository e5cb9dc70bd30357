// Field definitions of Redis events, for the index template.
import type { FieldDefinition } from '@wirebeat/applayer';

/** The Redis analyzer's own event fields (Packetbeat's names). */
export const redisFields: FieldDefinition[] = [
  {
    name: 'redis.return_value',
    type: 'keyword',
    description: 'The reply as text (nil, OK, 42, [a, b], {k: v}).',
  },
  { name: 'redis.error', type: 'keyword', description: 'The error message of an error reply.' },
  { name: 'method', type: 'keyword', description: 'Command name, upper-case.' },
  { name: 'resource', type: 'keyword', description: 'The key the command works on, when it has one.' },
  { name: 'query', type: 'keyword', description: 'The command line (passwords redacted).' },
];
