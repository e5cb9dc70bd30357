// Public API of @wirebeat/tcp-reassembly.
export type * from './types';
