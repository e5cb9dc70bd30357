// Finding a packet's flow without allocating: a hash that is the same both ways (the two
// endpoints' hashes added), then a comparison of the packet's fields with each flow of the bucket
// that says which way the packet goes.
import type { DecodedPacket } from '@wirebeat/tcp-reassembly';
import type { Flow } from './flow';

/** A 32-bit finaliser (spreads every input bit over the output). */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return x ^ (x >>> 16);
}

/** FNV-1a over 16 bytes of an IPv6 address. */
function fnv16(data: Uint8Array, at: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + 16; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return h;
}

/** The bucket of a packet's flow: equal for both directions; a small integer (a fast Map key). */
export function flowHash(pkt: DecodedPacket, data: Uint8Array): number {
  let a: number;
  let b: number;
  if (pkt.ipVersion === 4) {
    a = mix(pkt.src4 ^ Math.imul(pkt.srcPort + 1, 0x9e3779b1));
    b = mix(pkt.dst4 ^ Math.imul(pkt.dstPort + 1, 0x9e3779b1));
  } else {
    a = mix(fnv16(data, pkt.ipOffset + 8) ^ Math.imul(pkt.srcPort + 1, 0x9e3779b1));
    b = mix(fnv16(data, pkt.ipOffset + 24) ^ Math.imul(pkt.dstPort + 1, 0x9e3779b1));
  }
  const vlans =
    pkt.vlanCount === 0 ? 0 : pkt.vlanCount === 1 ? pkt.vlanOuter + 1 : (pkt.vlanOuter << 12) ^ pkt.vlanInner;
  return mix((a + b) ^ Math.imul(pkt.protocol + 1, 0x27d4eb2d) ^ mix(vlans)) & 0x3fffffff;
}

/** Whether 16 bytes of `data` at `at` equal `addr`. */
function sameIpv6(data: Uint8Array, at: number, addr: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (data[at + i] !== addr[i]) return false;
  return true;
}

/** 0 when the packet goes from the flow's source to its destination, 1 the other way, -1 not this flow. */
export function directionIn(f: Flow, pkt: DecodedPacket, data: Uint8Array): number {
  if (f.protocol !== pkt.protocol || f.ipVersion !== pkt.ipVersion || f.vlanCount !== pkt.vlanCount)
    return -1;
  if (
    f.vlanCount > 0 &&
    (f.vlanOuter !== pkt.vlanOuter || (f.vlanCount > 1 && f.vlanInner !== pkt.vlanInner))
  )
    return -1;
  const sp = pkt.srcPort;
  const dp = pkt.dstPort;
  if (pkt.ipVersion === 4) {
    if (f.src4 === pkt.src4 && f.dst4 === pkt.dst4 && f.srcPort === sp && f.dstPort === dp) return 0;
    if (f.src4 === pkt.dst4 && f.dst4 === pkt.src4 && f.srcPort === dp && f.dstPort === sp) return 1;
    return -1;
  }
  const s = pkt.ipOffset + 8;
  const d = pkt.ipOffset + 24;
  if (f.srcPort === sp && f.dstPort === dp && sameIpv6(data, s, f.src6) && sameIpv6(data, d, f.dst6))
    return 0;
  if (f.srcPort === dp && f.dstPort === sp && sameIpv6(data, d, f.src6) && sameIpv6(data, s, f.dst6))
    return 1;
  return -1;
}
