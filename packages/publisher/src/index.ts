// Public API of @wirebeat/publisher.
export type * from './types';
