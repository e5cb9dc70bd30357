#!/usr/bin/env node
// netbeat: a beat with the protocols it was built with (echo, HTTP, Redis, DNS, memcache, MySQL,
// PostgreSQL and TLS), assembled from the wirebeat packages. Choosing protocols is choosing the
// packages in this list; each loads only when the config runs it (without a protocols list, all do).
import { protocolPackage, runBeat } from '@wirebeat/beat-runner';

void runBeat({
  name: 'netbeat',
  version: '0.1.0',
  protocols: [
    protocolPackage('echo', '@wirebeat/protocol-echo'),
    protocolPackage('http', '@wirebeat/protocol-http'),
    protocolPackage('redis', '@wirebeat/protocol-redis'),
    protocolPackage('dns', '@wirebeat/protocol-dns'),
    protocolPackage('memcache', '@wirebeat/protocol-memcache'),
    protocolPackage('mysql', '@wirebeat/protocol-mysql'),
    protocolPackage('pgsql', '@wirebeat/protocol-pgsql'),
    protocolPackage('tls', '@wirebeat/protocol-tls'),
  ],
}).then((code) => process.exit(code));
