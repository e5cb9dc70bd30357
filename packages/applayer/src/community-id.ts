// Community ID v1 (https://github.com/corelight/community-id-spec): a flow hash that other tools
// (Zeek, Suricata, Elastic Agent) compute identically, so events can be joined across them.
import { createHash } from 'crypto';
import { isIPv4 } from 'net';

/** IP protocol numbers used with communityId. */
export const IpProto = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58, SCTP: 132 } as const;

/** Network-order bytes of an IPv4 or IPv6 address in text form. */
export function ipToBytes(ip: string): Uint8Array {
  if (isIPv4(ip)) {
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
  const input = Buffer.alloc(2 + a.length * 2 + 2 + 4);
  let o = input.writeUInt16BE(seed & 0xffff, 0);
  input.set(a, o);
  o += a.length;
  input.set(b, o);
  o += b.length;
  o = input.writeUInt8(proto, o);
  o = input.writeUInt8(0, o);
  o = input.writeUInt16BE(aPort, o);
  input.writeUInt16BE(bPort, o);
  return '1:' + createHash('sha1').update(input).digest('base64');
}
