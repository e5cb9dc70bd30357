// Community ID v1 (https://github.com/corelight/community-id-spec): a flow hash that other tools
// (Zeek, Suricata, Elastic Agent) compute identically, so events can be joined across them.

/** IP protocol numbers used with communityId. */
export const IpProto = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58, SCTP: 132 } as const;

/**
 * A dotted-quad IPv4 address as an unsigned number; -1 for anything else (IPv6, leading zeros,
 * out-of-range octets): what net.isIPv4 accepts, without compiling its regular expression at start.
 */
export function ipv4Of(ip: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** Network-order bytes of an IPv4 or IPv6 address in text form. */
export function ipToBytes(ip: string): Uint8Array {
  if (ipv4Of(ip) >= 0) {
    const out = new Uint8Array(4);
    let k = 0;
    let v = 0;
    for (let i = 0; i < ip.length; i++) {
      const c = ip.charCodeAt(i);
      if (c === 0x2e) {
        out[k++] = v;
        v = 0;
      } else v = v * 10 + (c - 0x30);
    }
    out[k] = v;
    return out;
  }
  const out = new Uint8Array(16);
  let text = ip;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    // An embedded IPv4 address (::ffff:1.2.3.4) is the last two groups.
    const v4 = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    const hi = ((v4[0] << 8) | v4[1]).toString(16);
    const lo = ((v4[2] << 8) | v4[3]).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((h) => parseInt(h, 16)));
  const halves = text.split('::');
  let groups: number[];
  if (halves.length === 2) {
    const left = parse(halves[0]);
    const right = parse(halves[1]);
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    groups = parse(text);
  }
  for (let i = 0; i < 8; i++) {
    out[2 * i] = (groups[i] ?? 0) >> 8;
    out[2 * i + 1] = (groups[i] ?? 0) & 0xff;
  }
  return out;
}

function lessThan(a: Uint8Array, aPort: number, b: Uint8Array, bPort: number): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i];
  }
  return aPort < bPort;
}

/** The Community ID v1 string ('1:' + base64 SHA-1) of a flow; the same for both directions. */
export function communityId(
  srcIp: string,
  srcPort: number,
  dstIp: string,
  dstPort: number,
  proto: number = IpProto.TCP,
  seed = 0,
): string {
  let a = ipToBytes(srcIp);
  let b = ipToBytes(dstIp);
  let aPort = srcPort;
  let bPort = dstPort;
  if (!lessThan(a, aPort, b, bPort)) {
    [a, b] = [b, a];
    [aPort, bPort] = [bPort, aPort];
  }
  if (!fits(srcPort, 0xffff) || !fits(dstPort, 0xffff) || !fits(proto, 0xff)) {
    throw new RangeError(`communityId: port or protocol out of range (${srcPort}, ${dstPort}, ${proto})`);
  }
  // The hashed input (at most 40 bytes, so one SHA-1 block) is written straight into the block.
  const block = BLOCK;
  block.fill(0);
  block[0] = (seed >> 8) & 0xff;
  block[1] = seed & 0xff;
  block.set(a, 2);
  let o = 2 + a.length;
  block.set(b, o);
  o += b.length;
  block[o++] = proto & 0xff;
  block[o++] = 0;
  block[o++] = (aPort >> 8) & 0xff;
  block[o++] = aPort & 0xff;
  block[o++] = (bPort >> 8) & 0xff;
  block[o++] = bPort & 0xff;
  sha1Block(block, o);
  return '1:' + base64Slice.call(DIGEST, 0, 20);
}

/** True when a port or protocol number fits the field it is hashed in. */
function fits(value: number, max: number): boolean {
  return value >= 0 && value <= max;
}

// A crypto Hash object per connection costs more than hashing 40 bytes in JavaScript.
const BLOCK = new Uint8Array(64);
const DIGEST = Buffer.alloc(20);
const W = new Int32Array(80);
type BufferSlicer = (this: Uint8Array, start: number, end: number) => string;
const base64Slice = (Buffer.prototype as unknown as { base64Slice: BufferSlicer }).base64Slice;

/** SHA-1 (FIPS 180-4) of block[0, length) for length <= 55, into DIGEST; the block gets padded. */
function sha1Block(block: Uint8Array, length: number): void {
  block[length] = 0x80;
  // The message length in bits, big-endian, ends the block (it fits the last two bytes).
  block[62] = (length * 8) >> 8;
  block[63] = (length * 8) & 0xff;
  for (let t = 0; t < 16; t++) {
    const i = t * 4;
    W[t] = (block[i] << 24) | (block[i + 1] << 16) | (block[i + 2] << 8) | block[i + 3];
  }
  for (let t = 16; t < 80; t++) {
    const x = W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16];
    W[t] = (x << 1) | (x >>> 31);
  }
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  let e = 0xc3d2e1f0 | 0;
  for (let t = 0; t < 80; t++) {
    let f: number;
    let k: number;
    if (t < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc | 0;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6 | 0;
    }
    const next = (((a << 5) | (a >>> 27)) + f + e + k + W[t]) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = next;
  }
  DIGEST.writeInt32BE((a + 0x67452301) | 0, 0);
  DIGEST.writeInt32BE((b + (0xefcdab89 | 0)) | 0, 4);
  DIGEST.writeInt32BE((c + (0x98badcfe | 0)) | 0, 8);
  DIGEST.writeInt32BE((d + 0x10325476) | 0, 12);
  DIGEST.writeInt32BE((e + (0xc3d2e1f0 | 0)) | 0, 16);
}
