#!/bin/sh
# Rebuilds test/fixtures/netbeat.pcap from the echo, HTTP, Redis, DNS, memcache, MySQL and PostgreSQL
# reference captures
# (mergecap, from the tshark package, interleaves them by packet time).
set -e
root=$(cd "$(dirname "$0")/../../.." && pwd)
mergecap -F pcap -w "$root/examples/netbeat/test/fixtures/netbeat.pcap" \
  "$root/pcaps/echo.pcap" \
  "$root/packages/protocol-http/test/fixtures/http.pcap" \
  "$root/packages/protocol-redis/test/fixtures/redis.pcap" \
  "$root/packages/protocol-dns/test/fixtures/dns.pcap" \
  "$root/packages/protocol-memcache/test/fixtures/memcache.pcap" \
  "$root/packages/protocol-mysql/test/fixtures/mysql.pcap" \
  "$root/packages/protocol-pgsql/test/fixtures/pgsql.pcap"
