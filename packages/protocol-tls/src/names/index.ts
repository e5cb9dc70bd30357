// Names of TLS code points (IANA's TLS parameters registries), as Packetbeat writes them; an unknown
// code is written `(unknown:0x....)` as Packetbeat does, so that a value is never dropped.
import { CIPHER_SUITES } from './cipher-suites';

const hex = (code: number, digits: number): string =>
  `(unknown:0x${code.toString(16).padStart(digits, '0')})`;

const cipherNames = new Map<number, string>(CIPHER_SUITES);

/** The IANA name of a cipher suite. */
export const cipherName = (code: number): string => cipherNames.get(code) ?? hex(code, 4);

const GROUPS = new Map<number, string>([
  [1, 'sect163k1'],
  [2, 'sect163r1'],
  [3, 'sect163r2'],
  [4, 'sect193r1'],
  [5, 'sect193r2'],
  [6, 'sect233k1'],
  [7, 'sect233r1'],
  [8, 'sect239k1'],
  [9, 'sect283k1'],
  [10, 'sect283r1'],
  [11, 'sect409k1'],
  [12, 'sect409r1'],
  [13, 'sect571k1'],
  [14, 'sect571r1'],
  [15, 'secp160k1'],
  [16, 'secp160r1'],
  [17, 'secp160r2'],
  [18, 'secp192k1'],
  [19, 'secp192r1'],
  [20, 'secp224k1'],
  [21, 'secp224r1'],
  [22, 'secp256k1'],
  [23, 'secp256r1'],
  [24, 'secp384r1'],
  [25, 'secp521r1'],
  [26, 'brainpoolP256r1'],
  [27, 'brainpoolP384r1'],
  [28, 'brainpoolP512r1'],
  [29, 'x25519'],
  [30, 'x448'],
  [31, 'brainpoolP256r1tls13'],
  [32, 'brainpoolP384r1tls13'],
  [33, 'brainpoolP512r1tls13'],
  [256, 'ffdhe2048'],
  [257, 'ffdhe3072'],
  [258, 'ffdhe4096'],
  [259, 'ffdhe6144'],
  [260, 'ffdhe8192'],
  [0x11eb, 'SecP256r1MLKEM768'],
  [0x11ec, 'X25519MLKEM768'],
  [0x6399, 'X25519Kyber768Draft00'],
  [65281, 'arbitrary_explicit_prime_curves'],
  [65282, 'arbitrary_explicit_char2_curves'],
]);

/** The name of a supported group (named curve or finite field group). */
export const groupName = (code: number): string => GROUPS.get(code) ?? hex(code, 4);

const SIGNATURE_SCHEMES = new Map<number, string>([
  [0x0401, 'rsa_pkcs1_sha256'],
  [0x0501, 'rsa_pkcs1_sha384'],
  [0x0601, 'rsa_pkcs1_sha512'],
  [0x0403, 'ecdsa_secp256r1_sha256'],
  [0x0503, 'ecdsa_secp384r1_sha384'],
  [0x0603, 'ecdsa_secp521r1_sha512'],
  [0x0804, 'rsa_pss_sha256'],
  [0x0805, 'rsa_pss_sha384'],
  [0x0806, 'rsa_pss_sha512'],
  [0x0807, 'ed25519'],
  [0x0808, 'ed448'],
  [0x0809, 'rsa_pss_pss_sha256'],
  [0x080a, 'rsa_pss_pss_sha384'],
  [0x080b, 'rsa_pss_pss_sha512'],
  [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'],
  [0x081b, 'ecdsa_brainpoolP384r1tls13_sha384'],
  [0x081c, 'ecdsa_brainpoolP512r1tls13_sha512'],
  [0x0201, 'rsa_pkcs1_sha1'],
  [0x0203, 'ecdsa_sha1'],
]);

/** The name of a signature scheme. */
export const signatureSchemeName = (code: number): string => SIGNATURE_SCHEMES.get(code) ?? hex(code, 4);

const ALERTS = new Map<number, string>([
  [0, 'close_notify'],
  [10, 'unexpected_message'],
  [20, 'bad_record_mac'],
  [21, 'decryption_failed'],
  [22, 'record_overflow'],
  [30, 'decompression_failure'],
  [40, 'handshake_failure'],
  [41, 'no_certificate_RESERVED'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [44, 'certificate_revoked'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [47, 'illegal_parameter'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [50, 'decode_error'],
  [51, 'decrypt_error'],
  [60, 'export_restriction_RESERVED'],
  [70, 'protocol_version'],
  [71, 'insufficient_security'],
  [80, 'internal_error'],
  [86, 'inappropriate_fallback'],
  [90, 'user_canceled'],
  [100, 'no_renegotiation'],
  [109, 'missing_extension'],
  [110, 'unsupported_extension'],
  [111, 'certificate_unobtainable'],
  [112, 'unrecognized_name'],
  [113, 'bad_certificate_status_response'],
  [114, 'bad_certificate_hash_value'],
  [115, 'unknown_psk_identity'],
  [116, 'certificate_required'],
  [120, 'no_application_protocol'],
]);

/** The name of an alert description. */
export const alertName = (code: number): string => ALERTS.get(code) ?? hex(code, 2);

/** The name of an alert level: warning, fatal. */
export const alertSeverity = (level: number): string =>
  level === 1 ? 'warning' : level === 2 ? 'fatal' : hex(level, 2);

/** The name of a compression method. */
export const compressionName = (code: number): string =>
  code === 0 ? 'NULL' : code === 1 ? 'DEFLATE' : code === 64 ? 'LZS' : hex(code, 2);

const POINT_FORMATS = ['uncompressed', 'ansiX962_compressed_prime', 'ansiX962_compressed_char2'];

/** The name of an EC point format. */
export const pointFormatName = (code: number): string => POINT_FORMATS[code] ?? hex(code, 2);

/** A protocol version as Packetbeat writes it in tls.detailed: `TLS 1.2`, `SSL 3.0`, `(raw 1.0)`. */
export function versionName(v: number): string {
  const major = v >> 8;
  const minor = v & 0xff;
  if (major !== 3) return `(raw ${major}.${minor})`;
  return minor === 0 ? 'SSL 3.0' : `TLS 1.${minor - 1}`;
}

/** ECS's tls.version_protocol and tls.version of a protocol version: `tls` and `1.3`. */
export function protocolVersion(v: number): { protocol: string; version: string } {
  const major = v >> 8;
  const minor = v & 0xff;
  if (major !== 3) return { protocol: 'unknown', version: `${major}.${minor}` };
  return minor === 0 ? { protocol: 'ssl', version: '3.0' } : { protocol: 'tls', version: `1.${minor - 1}` };
}

/** GREASE values (RFC 8701): 0x?A?A with both bytes equal; left out of lists and fingerprints. */
export const isGrease = (v: number): boolean => (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
