// Public API of @wirebeat/protocol-tls.
export { tlsProtocol, tlsConfigSchema, parseTlsConfig } from './tls';
export { TLS_DEFAULT_PORTS, FINGERPRINT_ALGORITHMS, tlsOptions } from './config';
export type { TlsConfig } from './config';
export { TlsError, TlsConfigError, TlsDecodeError } from './errors';
export { TlsConnection } from './connection';
export { SideParser, decodeCertificates } from './decode/side-parser';
export { RecordReader, ContentType, MAX_HANDSHAKE } from './decode/records';
export type { RecordSink, RecordFailure } from './decode/records';
export { decodeHello, isRetryRequest } from './decode/hello';
export type { Hello } from './decode/hello';
export type { HelloExtensions } from './decode/extensions';
export type { TlsSide, Alert } from './decode/side';
export type { TlsMessage } from './message';
export { TlsNotes } from './message';
export { ja3, ja3String, ja3s, ja3sString, ja4, clientFingerprints } from './fingerprint';
export type { ClientFingerprints } from './fingerprint';
export { describeCertificate, certificateHash, certificatePem } from './x509';
export type { X509Fields, X509Name } from './x509';
export { tlsTransaction, tlsObject, negotiatedVersion, resumption } from './pub';
export { tlsFields } from './fields';
export {
  cipherName,
  groupName,
  signatureSchemeName,
  alertName,
  versionName,
  protocolVersion,
  isGrease,
} from './names';
