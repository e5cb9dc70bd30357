#!/usr/bin/env node
// netbeat: a beat with the protocols it was built with (echo, HTTP, Redis, DNS, memcache, MySQL,
// PostgreSQL and TLS), assembled from the wirebeat packages. Choosing protocols is choosing the
// packages in this list; each loads only when the config runs it (without a protocols list, all do).
import { runBeat } from '@wirebeat/beat-runner';

void runBeat({
  name: 'netbeat',
  version: '0.1.0',
  protocols: [
    { name: 'echo', package: '@wirebeat/protocol-echo' },
    { name: 'http', package: '@wirebeat/protocol-http' },
    { name: 'redis', package: '@wirebeat/protocol-redis' },
    { name: 'dns', package: '@wirebeat/protocol-dns' },
    { name: 'memcache', package: '@wirebeat/protocol-memcache' },
    { name: 'mysql', package: '@wirebeat/protocol-mysql' },
    { name: 'pgsql', package: '@wirebeat/protocol-pgsql' },
    { name: 'tls', package: '@wirebeat/protocol-tls' },
  ],
}).then((code) => process.exit(code));
