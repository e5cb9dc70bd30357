// Field definitions of the `echo` namespace, for the index template.
import type { FieldDefinition } from '@wirebeat/applayer';

/** The echo analyzer's own event fields. */
export const echoFields: FieldDefinition[] = [
  {
    name: 'echo.echoed',
    type: 'boolean',
    description: 'True when the response repeats the request; false when the server answered something else.',
  },
];
