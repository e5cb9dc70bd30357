// Public API of @wirebeat/streambuf.
export {};
