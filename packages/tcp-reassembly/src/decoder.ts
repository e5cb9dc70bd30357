// Link, IP and TCP/UDP header decoding. Decoding writes into a caller-owned DecodedPacket so that the
// per-packet path allocates nothing; malformed input yields a status code, never an exception.
// IP fragments get status IP_FRAGMENT with their IP fields filled in: the engine reassembles those
// of UDP datagrams (IpDefragmenter; DNS answers with EDNS do get fragmented) and counts the rest.
// TCP stacks avoid fragmentation (DF + path MTU discovery), so fragmented TCP is rare and usually
// hostile: it is counted and skipped.
import { LinkType } from './linktype';

/** Result of decodeFrame: OK or why the frame carries no decodable TCP segment or UDP datagram. */
export const DecodeStatus = {
  OK: 0,
  UNSUPPORTED_LINKTYPE: 1,
  TRUNCATED_LINK: 2,
  NOT_IP: 3,
  TRUNCATED_IP: 4,
  BAD_IP_VERSION: 5,
  BAD_IP_HEADER_LENGTH: 6,
  BAD_IP_TOTAL_LENGTH: 7,
  IP_FRAGMENT: 8,
  /** IP of another transport (ICMP, GRE...): IP fields, protocol and payloadOffset are filled (flows count it). */
  NOT_TCP: 9,
  TRUNCATED_IPV6_EXTENSION: 10,
  TRUNCATED_TCP: 11,
  BAD_TCP_OFFSET: 12,
  TRUNCATED_UDP: 13,
  BAD_UDP_LENGTH: 14,
} as const;

/** IP protocol numbers of the transports decoded. */
export const IpProtocol = { TCP: 6, UDP: 17 } as const;

/** A DecodeStatus value. */
export type DecodeStatusValue = (typeof DecodeStatus)[keyof typeof DecodeStatus];

/** Counter names of the non-OK statuses, indexed by status (index 0 unused). */
export const UNDECODABLE_REASONS: readonly string[] = [
  'ok',
  'unsupported_linktype',
  'truncated_link',
  'not_ip',
  'truncated_ip',
  'bad_ip_version',
  'bad_ip_header_length',
  'bad_ip_total_length',
  'ip_fragment',
  'not_tcp',
  'truncated_ipv6_extension',
  'truncated_tcp',
  'bad_tcp_offset',
  'truncated_udp',
  'bad_udp_length',
];

/**
 * Header fields of one decoded TCP segment or UDP datagram (or IP fragment); offsets index the
 * frame's data. Reused between frames.
 */
export class DecodedPacket {
  /** 4 or 6. */
  ipVersion = 4;
  /** IP protocol of the transport: 6 (TCP) or 17 (UDP); for a fragment, whatever its header says. */
  protocol = 6;
  /** Offset of the IP header (IPv6 addresses are read from data[ipOffset + 8 .. + 40]). */
  ipOffset = 0;
  /** IPv4 source address as a signed 32-bit integer (`>>> 0` for the unsigned value); 0 for IPv6. */
  src4 = 0;
  dst4 = 0;
  srcPort = 0;
  dstPort = 0;
  /** Sequence and acknowledgment numbers (TCP) as signed 32-bit integers (compare with `(a - b) | 0`). */
  seq = 0;
  ack = 0;
  /** TcpFlags bits. */
  flags = 0;
  window = 0;
  /** Offset of the TCP header. */
  tcpOffset = 0;
  /** Offset and captured length of the TCP or UDP payload (of a fragment: the IP payload). */
  payloadOffset = 0;
  payloadLength = 0;
  /** Payload bytes the IP header announces but the capture cut (snaplen). */
  missingBytes = 0;
  /** Whether the frame being decoded was cut by the snaplen (origLen > captured length). */
  frameCut = false;
  /** Whether the IP length exceeds the captured bytes without a snaplen cut (missingBytes says how much). */
  shortFrame = false;
  /** Of an IP_FRAGMENT: the identification (16 bits for IPv4, 32 for IPv6). */
  fragId = 0;
  /** Of an IP_FRAGMENT: the offset of its payload in the original datagram's IP payload, in bytes. */
  fragOffset = 0;
  /** Of an IP_FRAGMENT: more fragments follow (the MF flag). */
  fragMore = false;
  /** 802.1Q/802.1ad tags of an Ethernet frame (0, 1 or more; network flows report them). */
  vlanCount = 0;
  /** VLAN id of the outermost tag (when vlanCount >= 1). */
  vlanOuter = 0;
  /** VLAN id of the second tag (when vlanCount >= 2: QinQ). */
  vlanInner = 0;
}

const EMPTY_FRAME = new Uint8Array(0);

/**
 * Whether decodeFrame knows the link type (other frames get UNSUPPORTED_LINKTYPE). Asked of
 * decodeFrame itself with an empty frame, so the list of link types has one home.
 */
export function isDecodableLinkType(linktype: number): boolean {
  return decodeFrame(EMPTY_FRAME, linktype, new DecodedPacket()) !== DecodeStatus.UNSUPPORTED_LINKTYPE;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

/**
 * Decodes the link, IP and TCP headers of `data` into `out`; returns a DecodeStatus. Payload the IP
 * header announces beyond the captured bytes is reported in `missingBytes`; `origLen` (the wire
 * length) tells a snaplen cut (`frameCut`) from a short record (`shortFrame`).
 */
export function decodeFrame(
  data: Uint8Array,
  linktype: number,
  out: DecodedPacket,
  origLen: number = data.length,
): number {
  const len = data.length;
  out.frameCut = origLen > len;
  out.vlanCount = 0;
  let off: number;
  let ethertype: number;
  switch (linktype) {
    case LinkType.ETHERNET: {
      if (len < 14) return DecodeStatus.TRUNCATED_LINK;
      ethertype = (data[12] << 8) | data[13];
      off = 14;
      // 802.1Q, 802.1ad and the pre-standard 0x9100 QinQ tag.
      while (ethertype === 0x8100 || ethertype === 0x88a8 || ethertype === 0x9100) {
        if (len < off + 4) return DecodeStatus.TRUNCATED_LINK;
        // The ids of the first two tags are kept for network flows (12 bits after the priority).
        const vid = ((data[off] << 8) | data[off + 1]) & 0xfff;
        if (out.vlanCount === 0) out.vlanOuter = vid;
        else if (out.vlanCount === 1) out.vlanInner = vid;
        out.vlanCount++;
        ethertype = (data[off + 2] << 8) | data[off + 3];
        off += 4;
      }
      break;
    }
    case LinkType.LINUX_SLL:
      if (len < 16) return DecodeStatus.TRUNCATED_LINK;
      ethertype = (data[14] << 8) | data[15];
      off = 16;
      break;
    case LinkType.LINUX_SLL2:
      if (len < 20) return DecodeStatus.TRUNCATED_LINK;
      ethertype = (data[0] << 8) | data[1];
      off = 20;
      break;
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (len < 4) return DecodeStatus.TRUNCATED_LINK;
      // NULL is in the capturing host's byte order, LOOP in network order; accept both for either.
      let af = data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24);
      if (af > 0xffff || af < 0) af = (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
      // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS).
      ethertype =
        af === 2 ? ETHERTYPE_IPV4 : af === 24 || af === 28 || af === 30 || af === 10 ? ETHERTYPE_IPV6 : 0;
      off = 4;
      break;
    }
    case LinkType.RAW:
    case 12: // DLT_RAW on OpenBSD
    case 14: // DLT_RAW on some BSDs
      if (len < 1) return DecodeStatus.TRUNCATED_LINK;
      ethertype = data[0] >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
      off = 0;
      break;
    case LinkType.IPV4:
      ethertype = ETHERTYPE_IPV4;
      off = 0;
      break;
    case LinkType.IPV6:
      ethertype = ETHERTYPE_IPV6;
      off = 0;
      break;
    default:
      return DecodeStatus.UNSUPPORTED_LINKTYPE;
  }
  if (ethertype === ETHERTYPE_IPV4) return decodeIpv4(data, off, out);
  if (ethertype === ETHERTYPE_IPV6) return decodeIpv6(data, off, out);
  return DecodeStatus.NOT_IP;
}

/** Decodes an IPv4 header (with options) at `off`, then TCP. */
export function decodeIpv4(data: Uint8Array, off: number, out: DecodedPacket): number {
  const len = data.length;
  if (len < off + 20) return DecodeStatus.TRUNCATED_IP;
  const vihl = data[off];
  if (vihl >> 4 !== 4) return DecodeStatus.BAD_IP_VERSION;
  const ihl = (vihl & 15) << 2;
  if (ihl < 20 || len < off + ihl) return DecodeStatus.BAD_IP_HEADER_LENGTH;
  let total = (data[off + 2] << 8) | data[off + 3];
  // A zero total length appears on captures of TSO/GSO output: trust the captured length then.
  if (total === 0) total = len - off;
  if (total < ihl) return DecodeStatus.BAD_IP_TOTAL_LENGTH;
  const frag = (data[off + 6] << 8) | data[off + 7];
  const proto = data[off + 9];
  out.ipVersion = 4;
  out.ipOffset = off;
  out.protocol = proto;
  out.src4 = (data[off + 12] << 24) | (data[off + 13] << 16) | (data[off + 14] << 8) | data[off + 15];
  out.dst4 = (data[off + 16] << 24) | (data[off + 17] << 16) | (data[off + 18] << 8) | data[off + 19];
  if ((frag & 0x3fff) === 0 && proto !== 6 && proto !== 17) return otherTransport(off + ihl, out);
  if ((frag & 0x3fff) !== 0) {
    out.fragId = (data[off + 4] << 8) | data[off + 5];
    out.fragOffset = (frag & 0x1fff) << 3;
    out.fragMore = (frag & 0x2000) !== 0;
    return fragment(off + ihl, off + total, len, out);
  }
  if (proto === 6) return decodeTcp(data, off + ihl, off + total, out);
  return decodeUdp(data, off + ihl, off + total, out);
}

/**
 * NOT_TCP for an IP packet of another transport (ICMP, GRE, ESP...), its IP fields filled and
 * payloadOffset at its transport header: network flows count these packets too.
 */
function otherTransport(transportOffset: number, out: DecodedPacket): number {
  out.srcPort = 0;
  out.dstPort = 0;
  out.payloadOffset = transportOffset;
  return DecodeStatus.NOT_TCP;
}

/** Fills the payload fields of an IP fragment whose payload spans [start, end); returns IP_FRAGMENT. */
function fragment(start: number, end: number, len: number, out: DecodedPacket): number {
  out.payloadOffset = start;
  out.payloadLength = Math.max(0, Math.min(end, len) - start);
  out.missingBytes = end > len ? end - Math.max(len, start) : 0;
  return DecodeStatus.IP_FRAGMENT;
}

/** Decodes an IPv6 header and its extension headers at `off`, then TCP. */
export function decodeIpv6(data: Uint8Array, off: number, out: DecodedPacket): number {
  const len = data.length;
  if (len < off + 40) return DecodeStatus.TRUNCATED_IP;
  if (data[off] >> 4 !== 6) return DecodeStatus.BAD_IP_VERSION;
  const payloadLen = (data[off + 4] << 8) | data[off + 5];
  // Payload length 0 means a jumbogram (or TSO output): use what was captured.
  const end = payloadLen === 0 ? len : off + 40 + payloadLen;
  let next = data[off + 6];
  let p = off + 40;
  for (;;) {
    if (next === 6 || next === 17) break;
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      // Hop-by-hop, routing, destination options, mobility, HIP, shim6: length in 8-byte units.
      if (len < p + 2) return DecodeStatus.TRUNCATED_IPV6_EXTENSION;
      const hlen = (data[p + 1] + 1) << 3;
      if (p + hlen > end || p + hlen > len) return DecodeStatus.TRUNCATED_IPV6_EXTENSION;
      next = data[p];
      p += hlen;
    } else if (next === 44) {
      if (len < p + 8 || p + 8 > end) return DecodeStatus.TRUNCATED_IPV6_EXTENSION;
      const fragField = (data[p + 2] << 8) | data[p + 3];
      // An atomic fragment (offset 0, no more fragments) is a whole packet.
      if ((fragField & 0xfff9) !== 0) {
        out.ipVersion = 6;
        out.ipOffset = off;
        out.src4 = 0;
        out.dst4 = 0;
        out.protocol = data[p];
        out.fragId = ((data[p + 4] << 24) | (data[p + 5] << 16) | (data[p + 6] << 8) | data[p + 7]) >>> 0;
        out.fragOffset = fragField & 0xfff8;
        out.fragMore = (fragField & 1) !== 0;
        return fragment(p + 8, end, len, out);
      }
      next = data[p];
      p += 8;
    } else if (next === 51) {
      // Authentication header: length in 4-byte units, minus 2.
      if (len < p + 2) return DecodeStatus.TRUNCATED_IPV6_EXTENSION;
      const hlen = (data[p + 1] + 2) << 2;
      if (p + hlen > end || p + hlen > len) return DecodeStatus.TRUNCATED_IPV6_EXTENSION;
      next = data[p];
      p += hlen;
    } else {
      out.ipVersion = 6;
      out.ipOffset = off;
      out.src4 = 0;
      out.dst4 = 0;
      out.protocol = next;
      return otherTransport(p, out);
    }
  }
  out.ipVersion = 6;
  out.ipOffset = off;
  out.src4 = 0;
  out.dst4 = 0;
  out.protocol = next;
  if (next === 6) return decodeTcp(data, p, end, out);
  return decodeUdp(data, p, end, out);
}

/** Decodes a TCP header at `off`; `end` is where the IP packet says the segment ends. */
export function decodeTcp(data: Uint8Array, off: number, end: number, out: DecodedPacket): number {
  const len = data.length;
  if (end < off + 20) return DecodeStatus.BAD_IP_TOTAL_LENGTH;
  if (len < off + 20) return DecodeStatus.TRUNCATED_TCP;
  const doff = (data[off + 12] >> 4) << 2;
  if (doff < 20 || off + doff > end) return DecodeStatus.BAD_TCP_OFFSET;
  if (len < off + doff) return DecodeStatus.TRUNCATED_TCP;
  out.protocol = 6;
  out.srcPort = (data[off] << 8) | data[off + 1];
  out.dstPort = (data[off + 2] << 8) | data[off + 3];
  out.seq = (data[off + 4] << 24) | (data[off + 5] << 16) | (data[off + 6] << 8) | data[off + 7];
  out.ack = (data[off + 8] << 24) | (data[off + 9] << 16) | (data[off + 10] << 8) | data[off + 11];
  out.flags = data[off + 13];
  out.window = (data[off + 14] << 8) | data[off + 15];
  out.tcpOffset = off;
  const pstart = off + doff;
  out.payloadOffset = pstart;
  if (end <= len) {
    out.payloadLength = end - pstart;
    out.missingBytes = 0;
    out.shortFrame = false;
  } else {
    // Cut by the snaplen, or a record that holds fewer bytes than the IP header announces
    // (capture tools that write the wire length as the captured length): either way the
    // captured bytes are good and the rest is missing.
    out.payloadLength = len - pstart;
    out.missingBytes = end - len;
    out.shortFrame = !out.frameCut;
  }
  return DecodeStatus.OK;
}

/**
 * Decodes a UDP header at `off`; `end` is where the IP packet says the datagram ends. The UDP
 * length decides where the payload ends (0, as in IPv6 jumbograms and some offloaded captures:
 * the IP length does).
 */
export function decodeUdp(data: Uint8Array, off: number, end: number, out: DecodedPacket): number {
  const len = data.length;
  if (end < off + 8) return DecodeStatus.BAD_IP_TOTAL_LENGTH;
  if (len < off + 8) return DecodeStatus.TRUNCATED_UDP;
  const udpLen = (data[off + 4] << 8) | data[off + 5];
  if (udpLen !== 0) {
    if (udpLen < 8 || off + udpLen > end) return DecodeStatus.BAD_UDP_LENGTH;
    end = off + udpLen;
  }
  out.protocol = 17;
  out.srcPort = (data[off] << 8) | data[off + 1];
  out.dstPort = (data[off + 2] << 8) | data[off + 3];
  out.flags = 0;
  out.tcpOffset = off;
  const pstart = off + 8;
  out.payloadOffset = pstart;
  if (end <= len) {
    out.payloadLength = end - pstart;
    out.missingBytes = 0;
    out.shortFrame = false;
  } else {
    out.payloadLength = len - pstart;
    out.missingBytes = end - len;
    out.shortFrame = !out.frameCut;
  }
  return DecodeStatus.OK;
}
