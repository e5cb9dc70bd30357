// Presentation forms of rdata pieces: addresses, character strings, hex, base64, base32hex, times.
import { escapeByte } from './names';

/** An IPv4 address from 4 bytes at `at`. */
export function ipv4Text(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** An IPv6 address from 16 bytes at `at`, RFC 5952 form (longest zero run as ::, v4-mapped dotted). */
export function ipv6Text(b: Uint8Array, at: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[at + 2 * i] << 8) | b[at + 2 * i + 1]);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return '::ffff:' + ipv4Text(b, at + 12);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestAt < 0) return hex(words);
  return hex(words.slice(0, bestAt)) + '::' + hex(words.slice(bestAt + bestLen));
}

/** A <character-string> body as text: printable ASCII as is, quotes and backslashes escaped, others \DDD. */
export function charText(b: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c >= 32 && c < 127 && c !== 0x5c && c !== 0x22) text += String.fromCharCode(c);
    else text += escapeByte(c, false);
  }
  return text;
}

/** Upper-case hex of bytes [from, to). */
export function hexText(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from)
    .toString('hex')
    .toUpperCase();
}

/** Base64 of bytes [from, to). */
export function base64Text(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('base64');
}

const BASE32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** Base32hex without padding (RFC 4648), as NSEC3 hashed owner names are written. */
export function base32HexText(b: Uint8Array, from: number, to: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = from; i < to; i++) {
    value = (value << 8) | b[i];
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= 0xff;
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}

/** A 32-bit DNSSEC time as YYYYMMDDHHmmSS (UTC), as dig prints it. */
export function dnssecTimeText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
