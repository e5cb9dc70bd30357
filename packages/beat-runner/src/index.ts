// Public API of @wirebeat/beat-runner.
export {};
