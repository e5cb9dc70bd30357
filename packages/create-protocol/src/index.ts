// Public API of @wirebeat/create-protocol.
export {};
