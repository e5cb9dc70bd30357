#!/usr/bin/env bash
# Records test/fixtures/loopback-flows.pcap: tcpdump on lo (a child process) while
# flows-traffic.py makes TCP, UDP, ICMP, ICMPv6 and raw IP traffic between 127.23.0.1 and
# 127.23.0.2 and on ::1 (ports picked here). Needs root (capture, raw sockets). The filter keeps
# other processes' loopback traffic out of the capture.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../test/fixtures/loopback-flows.pcap}"
ports=($(python3 -c 'import random; b=random.randrange(20000,60000,10); print(b, b+2, b+4, b+6)'))
filter="host 127.23.0.1 or host 127.23.0.2 or (ip6 and (icmp6 or port ${ports[2]} or port ${ports[3]}))"
err="$(mktemp)"
tcpdump -i lo -s 0 -B 32768 -U --immediate-mode -w "$out" "$filter" 2>"$err" &
dump=$!
# Wait until tcpdump says it listens (not a fixed sleep).
for _ in $(seq 100); do grep -q 'listening on' "$err" && break; sleep 0.05; done
python3 "$here/flows-traffic.py" "${ports[@]}"
sleep 0.3
kill -INT "$dump"
wait "$dump" || true
cat "$err" >&2
# A busy machine can make the kernel drop packets: a capture with holes is no fixture.
if ! grep -q '^0 packets dropped by kernel' "$err"; then
  rm -f "$err"
  echo "the kernel dropped packets: run again" >&2
  exit 1
fi
rm -f "$err"
echo "wrote $out"
