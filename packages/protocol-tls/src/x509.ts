// A certificate as Packetbeat describes it (tls.*.x509 and the chains of tls.detailed), and the
// DN strings, validity and fingerprints of the ECS tls.server.* / tls.client.* fields. node:crypto's
// X509Certificate gives the alternative names and the public key; the small DER reader the
// version, signature algorithm and names attribute by attribute (Node gives those as text only).
import { createHash, X509Certificate } from 'node:crypto';
import { DerReader, integerText, oidText, stringText, timeText } from './decode/der';

/** A name (subject or issuer) as Packetbeat's keys, with its RFC 4514 string. */
export type X509Name = Record<string, string>;

/** A certificate's fields. */
export interface X509Fields {
  version_number: number;
  serial_number: string;
  signature_algorithm: string;
  issuer: X509Name;
  subject: X509Name;
  not_before: string;
  not_after: string;
  public_key_algorithm?: string;
  public_key_size?: number;
  public_key_curve?: string;
  alternative_names?: string[];
}

/** Attribute types of a name: Packetbeat's key and the short name of its DN string. */
const ATTRIBUTES: Record<string, [string, string]> = {
  '2.5.4.6': ['country', 'C'],
  '2.5.4.8': ['state_or_province', 'ST'],
  '2.5.4.7': ['locality', 'L'],
  '2.5.4.9': ['street_address', 'STREET'],
  '2.5.4.17': ['postal_code', 'POSTALCODE'],
  '2.5.4.10': ['organization', 'O'],
  '2.5.4.11': ['organizational_unit', 'OU'],
  '2.5.4.3': ['common_name', 'CN'],
  '2.5.4.5': ['serial_number', 'SERIALNUMBER'],
};
/** Go's order of a name's attributes in its DN string (reversed: CN first, C last). */
const DN_ORDER = [
  '2.5.4.5',
  '2.5.4.3',
  '2.5.4.11',
  '2.5.4.10',
  '2.5.4.17',
  '2.5.4.9',
  '2.5.4.7',
  '2.5.4.8',
  '2.5.4.6',
];

/** Signature algorithms by OID, named as Go's x509 names them (Packetbeat's values). */
const SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'MD2-RSA',
  '1.2.840.113549.1.1.4': 'MD5-RSA',
  '1.2.840.113549.1.1.5': 'SHA1-RSA',
  '1.2.840.113549.1.1.11': 'SHA256-RSA',
  '1.2.840.113549.1.1.12': 'SHA384-RSA',
  '1.2.840.113549.1.1.13': 'SHA512-RSA',
  '1.2.840.10040.4.3': 'DSA-SHA1',
  '2.16.840.1.101.3.4.3.2': 'DSA-SHA256',
  '1.2.840.10045.4.1': 'ECDSA-SHA1',
  '1.2.840.10045.4.3.2': 'ECDSA-SHA256',
  '1.2.840.10045.4.3.3': 'ECDSA-SHA384',
  '1.2.840.10045.4.3.4': 'ECDSA-SHA512',
  '1.3.101.112': 'Ed25519',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const PSS_HASHES: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'SHA256-RSAPSS',
  '2.16.840.1.101.3.4.2.2': 'SHA384-RSAPSS',
  '2.16.840.1.101.3.4.2.3': 'SHA512-RSAPSS',
};
const KEY_TYPES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA',
  dsa: 'DSA',
  ec: 'ECDSA',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
};
const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
};

/** Escapes a DN attribute value as RFC 4514 (and Go) do. */
function escapeDn(v: string): string {
  let s = v.replace(/[\\,+"<>;]/g, (c) => '\\' + c);
  if (s.startsWith(' ') || s.startsWith('#')) s = '\\' + s;
  if (s.endsWith(' ') && s.length > 1) s = s.slice(0, -1) + '\\ ';
  return s;
}

/** A Name (SEQUENCE of SETs of AttributeTypeAndValue) as Packetbeat's keys plus distinguished_name. */
function decodeName(r: DerReader): X509Name {
  const values = new Map<string, string[]>();
  // Attributes Go does not name (e-mail address ...): written last in its string, as OID=#DER.
  const others: string[] = [];
  while (r.more) {
    const set = r.enter(0x31);
    while (set.more) {
      const atv = set.enter(0x30);
      const oid = oidText(atv.bytes, atv.next());
      const value = atv.next();
      if (ATTRIBUTES[oid] === undefined) {
        others.push(`${oid}=#${rawHex(atv.bytes, value)}`);
      } else values.set(oid, [...(values.get(oid) ?? []), stringText(atv.bytes, value)]);
    }
  }
  const out: X509Name = {};
  const dn: string[] = [];
  for (const oid of DN_ORDER) {
    const list = values.get(oid);
    if (list === undefined) continue;
    const [key, short] = ATTRIBUTES[oid];
    out[key] = list.join(' ');
    // Several values of one type make one multi-valued RDN in Go's string.
    dn.push(list.map((v) => `${short}=${escapeDn(v)}`).join('+'));
  }
  dn.push(...others.reverse());
  if (dn.length > 0) out.distinguished_name = dn.join(',');
  return out;
}

/** An element with its tag and length, hex. */
function rawHex(bytes: Uint8Array, e: { start: number; end: number }): string {
  const lengthBytes = e.end - e.start < 0x80 ? 1 : e.end - e.start < 0x100 ? 2 : 3;
  const from = e.start - 1 - lengthBytes;
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, e.end - from).toString('hex');
}

/** Go's name of a signature algorithm (its OID when unknown). */
function signatureName(r: DerReader): string {
  const alg = r.enter(0x30);
  const oid = oidText(alg.bytes, alg.next());
  if (oid !== RSA_PSS) return SIGNATURES[oid] ?? oid;
  // RSASSA-PSS: named by the hash its parameters give.
  const params = Buffer.from(alg.bytes.buffer, alg.bytes.byteOffset + alg.pos, alg.end - alg.pos).toString(
    'hex',
  );
  for (const [hashOid, name] of Object.entries(PSS_HASHES)) if (params.includes(oidHex(hashOid))) return name;
  return 'SHA256-RSAPSS';
}

/** The DER contents of a dotted OID, hex (for a search in parameters). */
function oidHex(oid: string): string {
  const [a, b, ...rest] = oid.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const enc = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) enc.unshift((v & 0x7f) | 0x80);
    bytes.push(...enc);
  }
  return Buffer.from(bytes).toString('hex');
}

/**
 * Certificates described lately, by their SHA-1: servers show the same chain to every client, and
 * node:crypto takes most of a millisecond to read one (far more than the rest of a handshake).
 */
const described = new Map<string, X509Fields | undefined>();
const DESCRIBED_MAX = 256;

/**
 * The fields of a DER certificate; undefined when node:crypto or the DER reader cannot read it.
 * The object may be shared with other events of the same certificate: do not change it.
 */
export function describeCertificate(der: Uint8Array): X509Fields | undefined {
  const key = createHash('sha1').update(der).digest('base64');
  if (described.has(key)) return described.get(key);
  const fields = readCertificate(der);
  // Oldest first out: a Map iterates in insertion order.
  if (described.size >= DESCRIBED_MAX) described.delete(described.keys().next().value!);
  described.set(key, fields);
  return fields;
}

/** Reads a certificate's fields. */
function readCertificate(der: Uint8Array): X509Fields | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
    const tbs = new DerReader(der).enter(0x30).enter(0x30);
    let version = 1;
    if (tbs.peekTag() === 0xa0) {
      const v = tbs.enter(0xa0).next();
      version = der[v.end - 1] + 1;
    }
    const serial = tbs.next();
    const out: X509Fields = {
      version_number: version,
      serial_number: integerText(der, serial),
      signature_algorithm: signatureName(tbs),
      issuer: decodeName(tbs.enter(0x30)),
      not_before: '',
      not_after: '',
      subject: {},
    };
    const validity = tbs.enter(0x30);
    out.not_before = timeText(der, validity.next());
    out.not_after = timeText(der, validity.next());
    out.subject = decodeName(tbs.enter(0x30));
    describeKey(cert, out);
    const names = alternativeNames(cert.subjectAltName);
    if (names.length > 0) out.alternative_names = names;
    return out;
  } catch {
    return undefined;
  }
}

/** Public key algorithm, size and curve. */
function describeKey(cert: X509Certificate, out: X509Fields): void {
  const key = cert.publicKey;
  const type = key.asymmetricKeyType ?? '';
  out.public_key_algorithm = KEY_TYPES[type] ?? type;
  const d = key.asymmetricKeyDetails;
  if (d?.modulusLength !== undefined) out.public_key_size = d.modulusLength;
  if (d?.namedCurve !== undefined) {
    out.public_key_curve = d.namedCurve;
    const bits = CURVE_BITS[d.namedCurve];
    if (bits !== undefined) out.public_key_size = bits;
  }
}

/** DNS names, then e-mail addresses, then IP addresses (Packetbeat's order), from Node's text. */
function alternativeNames(text: string | undefined): string[] {
  if (text === undefined) return [];
  const dns: string[] = [];
  const mail: string[] = [];
  const ips: string[] = [];
  // Node quotes a value holding a comma or quote as a JSON string.
  for (const m of text.matchAll(/(DNS|email|IP Address):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g)) {
    const value = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
    (m[1] === 'DNS' ? dns : m[1] === 'email' ? mail : ips).push(value);
  }
  return [...dns, ...mail, ...ips];
}

/** Upper-case hex digest of a certificate (Packetbeat's tls.*.hash.* values). */
export function certificateHash(der: Uint8Array, algorithm: 'md5' | 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(der).digest('hex').toUpperCase();
}

/** A certificate as PEM (include_raw_certificates). */
export function certificatePem(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.length).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
}
