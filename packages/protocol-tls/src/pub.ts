// TLS handshake events: ECS's tls.* (version, cipher, curve, ALPN, SNI, fingerprints, certificates
// of each side) and Packetbeat's tls.detailed (hellos, extensions, alerts, chains).
import type { Transaction, TransactionSummary } from '@wirebeat/applayer';
import type { TlsConfig } from './config';
import type { Hello } from './decode/hello';
import { emptySide, type TlsSide } from './decode/side';
import { clientFingerprints, ja3s } from './fingerprint';
import type { TlsMessage } from './message';
import {
  alertName,
  alertSeverity,
  cipherName,
  compressionName,
  groupName,
  protocolVersion,
  versionName,
} from './names';
import { certificateHash, certificatePem, describeCertificate, type X509Fields } from './x509';

/** Options pub needs. */
type PubConfig = Pick<
  TlsConfig,
  'send_certificates' | 'include_raw_certificates' | 'include_detailed_fields' | 'fingerprints'
>;

const NO_SIDE = emptySide();
const OCSP_STATUS = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  '4',
  'sigRequired',
  'unauthorized',
];

/** The negotiated version: the server's supported_versions, else its hello's, else the client's. */
export function negotiatedVersion(client: Hello | undefined, server: Hello | undefined): number | undefined {
  if (server !== undefined) return server.ext.versions?.[0] ?? server.version;
  return client?.version;
}

/**
 * Whether the handshake resumed a session, and how. TLS 1.3: the server accepted a PSK. Before:
 * no key exchange on either side, and the server echoed the client's session id or the client
 * offered a ticket (the ticket is then taken to be what resumed it, as RFC 5077 says).
 */
export function resumption(
  client: TlsSide,
  server: TlsSide,
  version: number | undefined,
): string | undefined {
  const ch = client.hello;
  const sh = server.hello;
  if (ch === undefined || sh === undefined) return undefined;
  if (version !== undefined && version >= 0x0304) return sh.ext.pskAccepted === true ? 'psk' : undefined;
  if (client.keyExchanged || server.keyExchanged || server.certificates.length > 0) return undefined;
  const ticket = (ch.ext.ticketLength ?? 0) > 0;
  if (ticket) return 'ticket';
  return ch.sessionId !== '' && ch.sessionId === sh.sessionId ? 'id' : undefined;
}

/** Status and tls object of one handshake. */
export function tlsTransaction(
  tx: Transaction<TlsMessage, TlsMessage>,
  config: PubConfig,
): TransactionSummary {
  const client = tx.request?.side ?? NO_SIDE;
  const server = tx.response?.side ?? NO_SIDE;
  const established = client.encrypted && server.encrypted;
  const fatal = [...client.alerts, ...server.alerts].some((a) => a.level === 2);
  const tls = tlsObject(client, server, established, config);
  const sni = client.hello?.ext.serverNames?.[0];
  return {
    status: established && !fatal ? 'OK' : 'Error',
    fields: tls,
    ...(sni !== undefined && { domain: sni }),
  };
}

/** The tls object of a handshake. */
export function tlsObject(
  client: TlsSide,
  server: TlsSide,
  established: boolean,
  config: PubConfig,
): Record<string, unknown> {
  const ch = client.hello;
  const sh = server.hello;
  const version = negotiatedVersion(ch, sh);
  const method = resumption(client, server, version);
  const out: Record<string, unknown> = {};
  if (version !== undefined) {
    const v = protocolVersion(version);
    out.version = v.version;
    out.version_protocol = v.protocol;
  }
  out.established = established;
  out.resumed = method !== undefined;
  if (sh !== undefined) out.cipher = cipherName(sh.ciphers[0]);
  const curve = sh?.ext.keyShare?.[0] ?? server.curve;
  if (curve !== undefined) out.curve = groupName(curve);
  const next = sh?.ext.alpn?.[0];
  if (next !== undefined) out.next_protocol = next;
  const c = endpoint(client, config);
  if (ch !== undefined) {
    const sni = ch.ext.serverNames?.[0];
    if (sni !== undefined) c.server_name = sni;
    const prints = clientFingerprints(ch);
    c.ja3 = prints.ja3;
    c.ja4 = prints.ja4;
    c.supported_ciphers = prints.ciphers;
  }
  const s = endpoint(server, config);
  if (sh !== undefined) s.ja3s = ja3s(sh);
  if (Object.keys(c).length > 0) out.client = c;
  if (Object.keys(s).length > 0) out.server = s;
  if (config.include_detailed_fields) out.detailed = detailed(client, server, version, method, config);
  return out;
}

/** tls.client or tls.server: the leaf certificate's ECS fields, its x509 object, the raw chain. */
function endpoint(side: TlsSide, config: PubConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const leaf = side.certificates[0];
  if (leaf === undefined) return out;
  const x = describeCertificate(leaf);
  if (x !== undefined) {
    out.subject = x.subject.distinguished_name ?? '';
    out.issuer = x.issuer.distinguished_name ?? '';
    out.not_before = x.not_before;
    out.not_after = x.not_after;
    if (config.send_certificates && config.include_detailed_fields) out.x509 = x;
  }
  const hash: Record<string, string> = {};
  for (const algo of config.fingerprints) hash[algo] = certificateHash(leaf, algo);
  if (config.fingerprints.length > 0) out.hash = hash;
  if (config.include_raw_certificates) out.certificate_chain = side.certificates.map(certificatePem);
  return out;
}

/** Packetbeat's tls.detailed. */
function detailed(
  client: TlsSide,
  server: TlsSide,
  version: number | undefined,
  method: string | undefined,
  config: PubConfig,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (version !== undefined) out.version = versionName(version);
  if (client.hello !== undefined) out.client_hello = helloObject(client.hello);
  if (server.hello !== undefined) out.server_hello = helloObject(server.hello);
  out.client_certificate_requested = server.certificateRequested;
  if (method !== undefined) out.resumption_method = method;
  if (server.ocspStatus !== undefined)
    out.ocsp_response = OCSP_STATUS[server.ocspStatus] ?? String(server.ocspStatus);
  const alerts = [
    ...client.alerts.map((a) => ({ ...a, source: 'client' })),
    ...server.alerts.map((a) => ({ ...a, source: 'server' })),
  ];
  if (alerts.length > 0) {
    out.alerts = alerts.map((a) => ({
      severity: alertSeverity(a.level),
      code: a.code,
      type: alertName(a.code),
      source: a.source,
    }));
    out.alert_types = alerts.map((a) => alertName(a.code));
  }
  if (config.send_certificates) {
    const sc = chain(server.certificates);
    if (sc !== undefined) out.server_certificate_chain = sc;
    const cc = chain(client.certificates);
    if (cc !== undefined) out.client_certificate_chain = cc;
  }
  return out;
}

/** The certificates after the leaf, described; undefined when there are none. */
function chain(certs: Uint8Array[]): X509Fields[] | undefined {
  if (certs.length < 2) return undefined;
  const out: X509Fields[] = [];
  for (const der of certs.slice(1)) {
    const x = describeCertificate(der);
    if (x !== undefined) out.push(x);
  }
  return out;
}

/** A hello as Packetbeat's tls.detailed.client_hello / server_hello. */
function helloObject(h: Hello): Record<string, unknown> {
  const out: Record<string, unknown> = { version: `${h.version >> 8}.${h.version & 0xff}` };
  if (h.sessionId !== '') out.session_id = h.sessionId;
  out.random = h.random;
  if (h.client) out.supported_compression_methods = h.compression.map(compressionName);
  else out.selected_compression_method = compressionName(h.compression[0]);
  if (h.ext.types.length > 0 || Object.keys(h.ext.parsed).length > 0) out.extensions = h.ext.parsed;
  return out;
}
