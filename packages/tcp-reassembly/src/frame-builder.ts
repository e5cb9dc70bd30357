// Builds TCP frames from a description. Used by tests, fixtures and the synthetic benchmark
// capture; checksums of IPv4 headers are computed, TCP checksums are left at zero.
import { InvalidOptionError } from './errors';
import { parseIpv4, parseIpv6 } from './ip-address';
import { LinkType } from './linktype';

/** What to put in a frame built by `buildTcpFrame`. */
export interface TcpFrameSpec {
  /** Source address: IPv4/IPv6 text, or an IPv4 address as an unsigned 32-bit number. */
  src: string | number;
  dst: string | number;
  srcPort: number;
  dstPort: number;
  /** Sequence number (taken modulo 2^32). */
  seq: number;
  /** Acknowledgment number; default 0. */
  ack?: number;
  /** TcpFlags bits; default ACK|PSH with payload, ACK without. */
  flags?: number;
  payload?: Uint8Array | string;
  /** Link type of the frame; default Ethernet. */
  linktype?: number;
  /** 802.1Q VLAN ids, outermost first (Ethernet only); the outermost uses 802.1ad when there are several. */
  vlans?: number[];
  /** IPv4 options (padded to 4 bytes). */
  ipOptions?: Uint8Array;
  /** TCP options (padded to 4 bytes). */
  tcpOptions?: Uint8Array;
  /** IPv6 extension headers to insert before TCP, each as [next-header-type, body-after-the-2-byte-prefix]. */
  ipv6Extensions?: Array<[number, Uint8Array]>;
  window?: number;
}

const ENC = new TextEncoder();

function pad4(b: Uint8Array | undefined): Uint8Array {
  if (!b || b.length === 0) return new Uint8Array(0);
  const out = new Uint8Array((b.length + 3) & ~3);
  out.set(b);
  return out;
}

function addrBytes(a: string | number): Uint8Array {
  if (typeof a === 'number') return Uint8Array.of(a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
  const v4 = parseIpv4(a);
  if (!Number.isNaN(v4)) return addrBytes(v4);
  const v6 = parseIpv6(a);
  if (!v6) throw new InvalidOptionError(`invalid IP address ${a}`);
  return v6;
}

/** Builds one TCP segment framed for the requested link type. */
export function buildTcpFrame(spec: TcpFrameSpec): Buffer {
  const src = addrBytes(spec.src);
  const dst = addrBytes(spec.dst);
  if (src.length !== dst.length)
    throw new InvalidOptionError('source and destination are different IP versions');
  const v6 = src.length === 16;
  const payload =
    typeof spec.payload === 'string' ? ENC.encode(spec.payload) : (spec.payload ?? new Uint8Array(0));
  const tcpOpts = pad4(spec.tcpOptions);
  const tcpLen = 20 + tcpOpts.length;
  const ipOpts = v6 ? new Uint8Array(0) : pad4(spec.ipOptions);
  const exts = v6 ? (spec.ipv6Extensions ?? []) : [];
  const extLen = exts.reduce((n, [, body]) => n + ((body.length + 2 + 7) & ~7), 0);
  const ipHdrLen = v6 ? 40 + extLen : 20 + ipOpts.length;
  const linktype = spec.linktype ?? LinkType.ETHERNET;
  const vlans = spec.vlans ?? [];
  const etherType = v6 ? 0x86dd : 0x0800;
  let linkLen: number;
  switch (linktype) {
    case LinkType.ETHERNET:
      linkLen = 14 + 4 * vlans.length;
      break;
    case LinkType.NULL:
    case LinkType.LOOP:
      linkLen = 4;
      break;
    case LinkType.LINUX_SLL:
      linkLen = 16;
      break;
    case LinkType.LINUX_SLL2:
      linkLen = 20;
      break;
    case LinkType.RAW:
    case LinkType.IPV4:
    case LinkType.IPV6:
      linkLen = 0;
      break;
    default:
      throw new InvalidOptionError(`buildTcpFrame: unsupported link type ${linktype}`);
  }
  const buf = Buffer.alloc(linkLen + ipHdrLen + tcpLen + payload.length);
  // Link header.
  if (linktype === LinkType.ETHERNET) {
    buf.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
    let p = 12;
    vlans.forEach((id, i) => {
      buf.writeUInt16BE(i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100, p);
      buf.writeUInt16BE(id & 0xfff, p + 2);
      p += 4;
    });
    buf.writeUInt16BE(etherType, p);
  } else if (linktype === LinkType.NULL) {
    buf.writeUInt32LE(v6 ? 30 : 2, 0);
  } else if (linktype === LinkType.LOOP) {
    buf.writeUInt32BE(v6 ? 30 : 2, 0);
  } else if (linktype === LinkType.LINUX_SLL) {
    buf.writeUInt16BE(0, 0);
    buf.writeUInt16BE(772, 2);
    buf.writeUInt16BE(6, 4);
    buf.writeUInt16BE(etherType, 14);
  } else if (linktype === LinkType.LINUX_SLL2) {
    buf.writeUInt16BE(etherType, 0);
    buf.writeUInt32BE(1, 4);
    buf.writeUInt16BE(772, 8);
    buf[11] = 6;
  }
  // IP header.
  let p = linkLen;
  const ipPayloadLen = extLen + tcpLen + payload.length;
  if (!v6) {
    buf[p] = 0x40 | (ipHdrLen >> 2);
    buf.writeUInt16BE(ipHdrLen + tcpLen + payload.length, p + 2);
    buf.writeUInt16BE(0x4000, p + 6);
    buf[p + 8] = 64;
    buf[p + 9] = 6;
    buf.set(src, p + 12);
    buf.set(dst, p + 16);
    buf.set(ipOpts, p + 20);
    let sum = 0;
    for (let i = 0; i < ipHdrLen; i += 2) sum += buf.readUInt16BE(p + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    buf.writeUInt16BE(~sum & 0xffff, p + 10);
  } else {
    buf.writeUInt32BE(0x60000000, p);
    buf.writeUInt16BE(ipPayloadLen, p + 4);
    buf[p + 6] = exts.length ? exts[0][0] : 6;
    buf[p + 7] = 64;
    buf.set(src, p + 8);
    buf.set(dst, p + 24);
    let q = p + 40;
    exts.forEach(([, body], i) => {
      const len = (body.length + 2 + 7) & ~7;
      buf[q] = i + 1 < exts.length ? exts[i + 1][0] : 6;
      buf[q + 1] = len / 8 - 1;
      buf.set(body, q + 2);
      q += len;
    });
  }
  // TCP header.
  p = linkLen + ipHdrLen;
  buf.writeUInt16BE(spec.srcPort, p);
  buf.writeUInt16BE(spec.dstPort, p + 2);
  buf.writeUInt32BE(spec.seq >>> 0, p + 4);
  buf.writeUInt32BE((spec.ack ?? 0) >>> 0, p + 8);
  buf[p + 12] = (tcpLen >> 2) << 4;
  buf[p + 13] = spec.flags ?? (payload.length ? 0x18 : 0x10);
  buf.writeUInt16BE(spec.window ?? 65535, p + 14);
  buf.set(tcpOpts, p + 20);
  buf.set(payload, p + tcpLen);
  return buf;
}
