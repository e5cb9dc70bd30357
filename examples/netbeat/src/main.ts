#!/usr/bin/env node
// netbeat: a beat with the protocols it was built with (echo, HTTP, Redis, DNS, memcache, MySQL,
// PostgreSQL and TLS), assembled from the wirebeat packages. Choosing protocols is choosing the modules in this list.
import { runBeat } from '@wirebeat/beat-runner';
import { dnsProtocol } from '@wirebeat/protocol-dns';
import { echoProtocol } from '@wirebeat/protocol-echo';
import { httpProtocol } from '@wirebeat/protocol-http';
import { redisProtocol } from '@wirebeat/protocol-redis';
import { memcacheProtocol } from '@wirebeat/protocol-memcache';
import { mysqlProtocol } from '@wirebeat/protocol-mysql';
import { pgsqlProtocol } from '@wirebeat/protocol-pgsql';
import { tlsProtocol } from '@wirebeat/protocol-tls';

void runBeat({
  name: 'netbeat',
  version: '0.1.0',
  protocols: [
    echoProtocol,
    httpProtocol,
    redisProtocol,
    dnsProtocol,
    memcacheProtocol,
    mysqlProtocol,
    pgsqlProtocol,
    tlsProtocol,
  ],
}).then((code) => process.exit(code));
