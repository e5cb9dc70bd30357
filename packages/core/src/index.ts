// Public API of @wirebeat/core.
export { WirebeatError, errorCodeOf } from './errors';
export type { WirebeatErrorOptions } from './errors';
export { parseDuration, durationSchema, DURATION_EXPECTED } from './duration';
export { commonFields, aliasFields, beatAddedFields, beatAddedRoots, rootNamesOf } from './fields';
export type { FieldType, FieldDefinition } from './fields';
export type { Logger } from './logger';
export type { Direction, StreamConnection, BeatEvent } from './types';
export { adoptMovedExtraCaCerts, deferredCaCertificates, MOVED_EXTRA_CA_CERTS } from './extra-ca-certs';
