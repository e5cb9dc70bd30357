// Public API of @wirebeat/applayer.
export type * from './plugin';
