// Public API of @wirebeat/protocol-echo.
export {};
