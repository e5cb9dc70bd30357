// Client and server fingerprints of the hellos: JA3 and JA3S (Salesforce: MD5 of the decimal
// fields, GREASE left out) and JA4 (FoxIO: readable prefix, then truncated SHA-256 of the sorted
// cipher suites and of the sorted extensions with the signature algorithms).
import { createHash } from 'node:crypto';
import type { Hello } from './decode/hello';
import { cipherName } from './names';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** JA3's string of a ClientHello: version,ciphers,extensions,groups,point formats. */
export function ja3String(h: Hello): string {
  const e = h.ext;
  return [
    h.version,
    h.ciphers.join('-'),
    e.types.join('-'),
    (e.groups ?? []).join('-'),
    (e.pointFormats ?? []).join('-'),
  ].join(',');
}

/** JA3 of a ClientHello: MD5 of its string, hex. */
export const ja3 = (h: Hello): string => md5(ja3String(h));

/** JA3S's string of a ServerHello: version,cipher,extensions. */
export function ja3sString(h: Hello): string {
  return [h.version, h.ciphers[0], h.ext.types.join('-')].join(',');
}

/** JA3S of a ServerHello: MD5 of its string, hex. */
export const ja3s = (h: Hello): string => md5(ja3sString(h));

/** JA4's two characters of a version. */
const JA4_VERSIONS = new Map<number, string>([
  [0x0304, '13'],
  [0x0303, '12'],
  [0x0302, '11'],
  [0x0301, '10'],
  [0x0300, 's3'],
  [0x0002, 's2'],
  [0xfeff, 'd1'],
  [0xfefd, 'd2'],
  [0xfefc, 'd3'],
]);

const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
const two = (n: number): string => String(Math.min(n, 99)).padStart(2, '0');
const sha12 = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 12);
const alnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** JA4's two characters of the first ALPN value: its first and last characters, or hex digits. */
function ja4Alpn(values: string[] | undefined): string {
  const v = values?.[0];
  if (v === undefined || v.length === 0) return '00';
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(v.length - 1);
  if (alnum(first) && alnum(last)) return v[0] + v[v.length - 1];
  return first.toString(16).padStart(2, '0')[0] + last.toString(16).padStart(2, '0')[1];
}

/** JA4 of a ClientHello over TCP. */
export function ja4(h: Hello): string {
  const e = h.ext;
  const version = e.versions !== undefined && e.versions.length > 0 ? Math.max(...e.versions) : h.version;
  const a =
    't' +
    (JA4_VERSIONS.get(version) ?? '00') +
    (e.types.includes(0) ? 'd' : 'i') +
    two(h.ciphers.length) +
    two(e.types.length) +
    ja4Alpn(e.alpn);
  const b =
    h.ciphers.length === 0
      ? '000000000000'
      : sha12(
          [...h.ciphers]
            .sort((x, y) => x - y)
            .map(hex4)
            .join(','),
        );
  // SNI and ALPN are in the readable part: left out of the hash.
  const exts = e.types.filter((t) => t !== 0x0000 && t !== 0x0010).sort((x, y) => x - y);
  const sigs = e.signatureSchemes ?? [];
  let c = exts.map(hex4).join(',');
  if (sigs.length > 0) c += '_' + sigs.map(hex4).join(',');
  return `${a}_${b}_${exts.length === 0 && sigs.length === 0 ? '000000000000' : sha12(c)}`;
}

/** What a ClientHello's fingerprints and cipher names are made of, as one string. */
function helloShape(h: Hello): string {
  const e = h.ext;
  return `${ja3String(h)}|${(e.signatureSchemes ?? []).join('-')}|${(e.versions ?? []).join('-')}|${e.alpn?.[0] ?? ''}`;
}

/** A ClientHello's JA3, JA4 and cipher suite names. */
export interface ClientFingerprints {
  ja3: string;
  ja4: string;
  ciphers: string[];
}

/**
 * Fingerprints of recent hello shapes: the clients of one program send the same hello (but its
 * random and session id) on every connection, and MD5, two SHA-256 and a sort cost more than the
 * rest of the hello. Shared between events: do not change them.
 */
const prints = new Map<string, ClientFingerprints>();
const PRINTS_MAX = 1024;

/** JA3, JA4 and the cipher suite names of a ClientHello. */
export function clientFingerprints(h: Hello): ClientFingerprints {
  const key = helloShape(h);
  let found = prints.get(key);
  if (found === undefined) {
    found = { ja3: ja3(h), ja4: ja4(h), ciphers: h.ciphers.map(cipherName) };
    if (prints.size >= PRINTS_MAX) prints.delete(prints.keys().next().value!);
    prints.set(key, found);
  }
  return found;
}
