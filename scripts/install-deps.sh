#!/usr/bin/env bash
# Installs the Debian packages wirebeat's quick start and tests need. Works as root (no sudo
# needed) and as a user with sudo. Idempotent and quiet: packages already installed are left alone
# and apt runs only when something is missing; its output is shown only when it fails.
#
#   libpcap-dev python3 make g++   build the optional `cap` binding (live capture)
#   tcpdump tshark                 capture tests (tshark also brings editcap)
#   default-jre-headless           Java for the test Elasticsearch and Kafka (scripts/es.js, kafka.js)
#   maven                          resolves the Kafka broker's jars from Maven Central (scripts/kafka.js)
#   util-linux                     runuser, to run Elasticsearch as an unprivileged user
#   curl unzip openssl             the Elasticsearch download, unpacking, TLS test certificates
#                                  (scripts/es.js --secure, kafka.js --secure), protocol-tls's
#                                  s_server / s_client
#   ca-certificates                HTTPS to the npm registry and Maven Central
#   redis-server                   the Redis analyzer's live tests
#   chromium                       the headless browser of the dashboard tests (no browser download)
#   unbound bind9-dnsutils         the DNS analyzer's captures and live test (server, dig)
#   memcached                      the memcache analyzer's capture recording
#   mariadb-server mariadb-client  the MySQL analyzer's capture recording and live test (server, CLI)
#   postgresql                     PostgreSQL 15 server, psql: the pgsql analyzer's capture recording
#                                  and live test (they run initdb/postgres in a temporary directory)
set -euo pipefail

PACKAGES=(
  libpcap-dev python3 make g++
  tcpdump tshark
  default-jre-headless util-linux maven
  curl unzip openssl ca-certificates
  redis-server memcached postgresql
  chromium
  unbound bind9-dnsutils
  mariadb-server mariadb-client
)

say() { printf 'install-deps: %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  say "not a Debian/Ubuntu system (no dpkg-query/apt-get): install these by hand: ${PACKAGES[*]}" >&2
  exit 1
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  say "all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=(env)
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo env)
else
  say "need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

say "installing ${missing[*]}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# No questions (tshark asks whether non-root users may capture), no recommended extras.
apt_env=(DEBIAN_FRONTEND=noninteractive)
if ! "${as_root[@]}" "${apt_env[@]}" apt-get update -qq >"$log" 2>&1 ||
  ! "${as_root[@]}" "${apt_env[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  cat "$log" >&2
  say "apt-get failed (output above)" >&2
  exit 1
fi
say "done"
