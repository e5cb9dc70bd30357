// The template protocol's own event fields (under the `template` namespace). They feed the
// Elasticsearch index mapping; the common fields (source, destination, event.*, ...) come from applayer.
import type { FieldDefinition } from '@wirebeat/applayer';

/** Field definitions of the `template.*` namespace. */
export const templateFields: FieldDefinition[] = [
  {
    name: 'template.request.body_bytes',
    type: 'long',
    description: 'Size of the request body, framing excluded.',
  },
  {
    name: 'template.response.body_bytes',
    type: 'long',
    description: 'Size of the response body, framing excluded.',
  },
  {
    name: 'template.request.type',
    type: 'long',
    description: 'Message type code of the request (fixed header).',
  },
  {
    name: 'template.response.status_code',
    type: 'long',
    description: 'Status code of the response (fixed header).',
  },
  // TODO(protocol): one entry per field pub.ts adds to the namespace.
];
