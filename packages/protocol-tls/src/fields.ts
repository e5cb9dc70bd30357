// Field definitions of TLS events, for the index template: ECS's tls.* (as Packetbeat 8 fills
// them, with JA3S, JA4 and the curve besides) and Packetbeat's tls.detailed.*.
import type { FieldDefinition, FieldType } from '@wirebeat/applayer';

const f = (name: string, type: FieldType, description: string): FieldDefinition => ({
  name,
  type,
  description,
});

/** A certificate's fields under `prefix` (ECS x509 as Packetbeat fills it). */
function x509(prefix: string): FieldDefinition[] {
  const name = (part: string, what: string): FieldDefinition[] => [
    f(`${prefix}.${part}.country`, 'keyword', `Country code of the ${what}.`),
    f(`${prefix}.${part}.state_or_province`, 'keyword', `State or province of the ${what}.`),
    f(`${prefix}.${part}.locality`, 'keyword', `Locality of the ${what}.`),
    f(`${prefix}.${part}.organization`, 'keyword', `Organization of the ${what}.`),
    f(`${prefix}.${part}.organizational_unit`, 'keyword', `Organizational unit of the ${what}.`),
    f(`${prefix}.${part}.common_name`, 'keyword', `Common name of the ${what}.`),
    f(`${prefix}.${part}.distinguished_name`, 'keyword', `Distinguished name of the ${what} (RFC 4514).`),
  ];
  return [
    f(`${prefix}.version_number`, 'keyword', 'X.509 version (3).'),
    f(`${prefix}.serial_number`, 'keyword', 'Serial number, decimal (as Packetbeat).'),
    f(`${prefix}.signature_algorithm`, 'keyword', 'Signature algorithm (SHA256-RSA, ECDSA-SHA256 ...).'),
    ...name('issuer', 'issuer'),
    ...name('subject', 'subject'),
    f(`${prefix}.not_before`, 'date', 'Start of the validity.'),
    f(`${prefix}.not_after`, 'date', 'End of the validity.'),
    f(`${prefix}.public_key_algorithm`, 'keyword', 'Public key algorithm (RSA, ECDSA, Ed25519 ...).'),
    f(`${prefix}.public_key_size`, 'long', 'Public key size in bits.'),
    f(`${prefix}.public_key_curve`, 'keyword', 'Curve of an EC public key.'),
    f(
      `${prefix}.alternative_names`,
      'keyword',
      'Subject alternative names: DNS names, e-mail addresses, IP addresses.',
    ),
  ];
}

/** The leaf certificate's ECS fields of one side. */
function endpoint(side: 'client' | 'server'): FieldDefinition[] {
  const p = `tls.${side}`;
  return [
    f(`${p}.subject`, 'keyword', `Distinguished name of the ${side}'s certificate.`),
    f(`${p}.issuer`, 'keyword', `Distinguished name of the issuer of the ${side}'s certificate.`),
    f(`${p}.not_before`, 'date', `Start of the validity of the ${side}'s certificate.`),
    f(`${p}.not_after`, 'date', `End of the validity of the ${side}'s certificate.`),
    f(`${p}.x509`, 'object', `The ${side}'s certificate (send_certificates, include_detailed_fields).`),
    ...x509(`${p}.x509`),
    f(`${p}.hash.md5`, 'keyword', `MD5 of the ${side}'s certificate (fingerprints), upper-case hex.`),
    f(`${p}.hash.sha1`, 'keyword', `SHA-1 of the ${side}'s certificate (fingerprints), upper-case hex.`),
    f(`${p}.hash.sha256`, 'keyword', `SHA-256 of the ${side}'s certificate (fingerprints), upper-case hex.`),
    f(
      `${p}.certificate_chain`,
      'keyword',
      `The ${side}'s chain as PEM, leaf first (include_raw_certificates).`,
    ),
  ];
}

/** A hello under tls.detailed. */
function hello(side: 'client' | 'server'): FieldDefinition[] {
  const p = `tls.detailed.${side}_hello`;
  return [
    f(`${p}.version`, 'keyword', `Version of the ${side}'s hello (3.3 ...).`),
    f(`${p}.session_id`, 'keyword', 'Session id, hex.'),
    f(`${p}.random`, 'keyword', 'The 32 random bytes, hex.'),
    f(`${p}.supported_compression_methods`, 'keyword', 'Compression methods the client offers.'),
    f(`${p}.selected_compression_method`, 'keyword', 'Compression method the server chose.'),
    f(
      `${p}.extensions`,
      'object',
      `Extensions of the ${side}'s hello by name; _unparsed_ lists those not shown.`,
    ),
  ];
}

/** The TLS analyzer's own event fields. */
export const tlsFields: FieldDefinition[] = [
  f('tls.version', 'keyword', 'Negotiated version number (1.2, 1.3).'),
  f('tls.version_protocol', 'keyword', 'Protocol of the version (tls, ssl).'),
  f('tls.established', 'boolean', 'Both sides turned encrypted: the handshake succeeded.'),
  f('tls.resumed', 'boolean', 'A previous session was resumed (id, ticket or TLS 1.3 PSK).'),
  f('tls.cipher', 'keyword', 'Cipher suite the server chose (IANA name).'),
  f('tls.curve', 'keyword', 'Key exchange group: TLS 1.3 key_share, or the ECDHE curve of TLS 1.2.'),
  f('tls.next_protocol', 'keyword', 'Application protocol the server chose (ALPN).'),
  f('tls.client.server_name', 'keyword', 'Server name the client asked for (SNI).'),
  f('tls.client.ja3', 'keyword', 'JA3 fingerprint of the ClientHello (MD5, GREASE left out).'),
  f('tls.client.ja4', 'keyword', 'JA4 fingerprint of the ClientHello.'),
  f('tls.client.supported_ciphers', 'keyword', 'Cipher suites the client offers, in its order.'),
  ...endpoint('client'),
  f('tls.server.ja3s', 'keyword', 'JA3S fingerprint of the ServerHello (MD5).'),
  ...endpoint('server'),
  f('tls.detailed.version', 'keyword', 'Negotiated version as text (TLS 1.3).'),
  ...hello('client'),
  ...hello('server'),
  f('tls.detailed.client_certificate_requested', 'boolean', 'The server asked for a client certificate.'),
  f('tls.detailed.resumption_method', 'keyword', 'How the session was resumed: id, ticket or psk.'),
  f('tls.detailed.ocsp_response', 'keyword', 'Status of a stapled OCSP response.'),
  f('tls.detailed.alerts', 'object', 'Alerts in clear: severity, code, type and source (client, server).'),
  f('tls.detailed.alert_types', 'keyword', 'Type of each alert.'),
  f(
    'tls.detailed.server_certificate_chain',
    'object',
    "The server's certificates after the leaf (x509 fields).",
  ),
  f(
    'tls.detailed.client_certificate_chain',
    'object',
    "The client's certificates after the leaf (x509 fields).",
  ),
];
