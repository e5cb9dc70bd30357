// The unbound configuration the DNS captures are recorded from: an authoritative-only local zone
// `wirebeat.test.` with a record of every type the analyzer decodes, a name whose TXT records do
// not fit in 512 bytes (TC over UDP without EDNS), a refused zone, and a zone forwarded to a closed
// port (SERVFAIL). Shared by scripts/record-captures.js and the live test.
const ZONE = 'wirebeat.test.';

/** The records served (presentation form, as unbound's local-data takes them). */
const RECORDS = [
  `${ZONE} 3600 IN SOA ns1.${ZONE} hostmaster.${ZONE} 2024010101 3600 600 86400 300`,
  `${ZONE} 3600 IN NS ns1.${ZONE}`,
  `ns1.${ZONE} 3600 IN A 192.0.2.53`,
  `www.${ZONE} 300 IN A 192.0.2.10`,
  `www.${ZONE} 300 IN A 192.0.2.11`,
  `www.${ZONE} 300 IN AAAA 2001:db8::10`,
  `alias.${ZONE} 300 IN CNAME www.${ZONE}`,
  `${ZONE} 3600 IN MX 10 mail.${ZONE}`,
  `${ZONE} 3600 IN MX 20 backup-mail.${ZONE}`,
  `_sip._udp.${ZONE} 3600 IN SRV 10 60 5060 sip.${ZONE}`,
  `${ZONE} 3600 IN TXT "v=spf1 -all" "second string"`,
  `${ZONE} 3600 IN CAA 0 issue "ca.example.net"`,
  `${ZONE} 3600 IN DS 12345 13 2 FF686B4A01228F398C1B6341243F2AA1545F76F1E277301A1134CC3B4C0C1026`,
  `${ZONE} 3600 IN DNSKEY 257 3 13 UvO6Ulz+V3CEuHa8cKBlpDXyWD7yvbTHs+42sZPUsZ5RDq/jQO49OvMSU3++mzRLMZjKU/fA/4jQHgVMZHejmw==`,
  `www.${ZONE} 300 IN RRSIG A 13 3 300 20260101000000 20251201000000 12345 ${ZONE} /ktoL2dIqHx8CZ4ddwkzJGCLiOgkTVB8ap9h8YJvLhjsrfo1Ew8ebPhtjWUrLN8XZrKpgLwnz1Sshx400f0Faw==`,
  `${ZONE} 3600 IN NSEC www.${ZONE} A NS SOA MX TXT AAAA RRSIG NSEC DNSKEY CAA`,
  `${ZONE} 3600 IN HTTPS 1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.10 ipv6hint=2001:db8::10`,
  `svc.${ZONE} 3600 IN SVCB 1 www.${ZONE} alpn=h3`,
  ...Array.from(
    { length: 12 },
    (_, i) => `big.${ZONE} 60 IN TXT "${String(i).padStart(2, '0')} ${'x'.repeat(60)}"`,
  ),
];

/** unbound.conf for a server on host:port, its files in `dir`. */
function unboundConfig(host, port, dir) {
  const lines = [
    'server:',
    `  interface: ${host}`,
    `  port: ${port}`,
    '  do-ip4: yes',
    '  do-ip6: no',
    '  do-udp: yes',
    '  do-tcp: yes',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${dir}"`,
    `  pidfile: "${dir}/unbound.pid"`,
    '  use-syslog: no',
    '  logfile: ""',
    '  verbosity: 0',
    '  num-threads: 1',
    '  access-control: 127.0.0.0/8 allow',
    '  module-config: "iterator"',
    '  do-not-query-localhost: no',
    '  nsid: "ascii_wirebeat"',
    '  edns-buffer-size: 1232',
    '  harden-referral-path: no',
    '  outbound-msg-retry: 1',
    `  local-zone: "${ZONE}" static`,
    ...RECORDS.map((r) => `  local-data: '${r}'`),
    `  local-data-ptr: "192.0.2.10 www.${ZONE}"`,
    '  local-zone: "refused.test." refuse',
    'forward-zone:',
    '  name: "broken.example."',
    // A closed port on this server's own address: every forwarded query fails, unbound says SERVFAIL.
    `  forward-addr: ${host}@9`,
  ];
  return lines.join('\n') + '\n';
}

module.exports = { ZONE, RECORDS, unboundConfig };
