// Builds UDP frames (Ethernet, IPv4 or IPv6), whole or cut into IP fragments, for tests and
// fixtures. IPv4 header checksums and UDP checksums are computed, so that tools reading the
// captures (tshark) take them for sound packets.
import { InvalidOptionError } from './errors';
import { parseIpv4, parseIpv6 } from './ip-address';

/** What to put in a frame built by `buildUdpFrame` / `buildUdpFragments`. */
export interface UdpFrameSpec {
  /** Source address: IPv4 or IPv6 text. */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload?: Uint8Array | string;
  /** IP identification (IPv4: 16 bits, IPv6 fragment header: 32 bits); default 1. */
  ipId?: number;
}

const ENC = new TextEncoder();

function addr(a: string): Uint8Array {
  const v4 = parseIpv4(a);
  if (!Number.isNaN(v4)) return Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255);
  const v6 = parseIpv6(a);
  if (!v6) throw new InvalidOptionError(`invalid IP address ${a}`);
  return v6;
}

function sum16(bytes: Uint8Array, init = 0): number {
  let sum = init;
  for (let i = 0; i < bytes.length; i += 2)
    sum += (bytes[i] << 8) | (i + 1 < bytes.length ? bytes[i + 1] : 0);
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The UDP header and payload (the IP payload of the datagram), checksum included. */
function udpSegment(spec: UdpFrameSpec, src: Uint8Array, dst: Uint8Array): Uint8Array {
  const payload =
    typeof spec.payload === 'string' ? ENC.encode(spec.payload) : (spec.payload ?? new Uint8Array(0));
  const seg = new Uint8Array(8 + payload.length);
  const len = seg.length;
  seg[0] = spec.srcPort >> 8;
  seg[1] = spec.srcPort & 255;
  seg[2] = spec.dstPort >> 8;
  seg[3] = spec.dstPort & 255;
  seg[4] = len >> 8;
  seg[5] = len & 255;
  seg.set(payload, 8);
  // Pseudo-header: addresses, protocol, length (the same sum for IPv4 and IPv6).
  const sum = sum16(src) + sum16(dst) + 17 + len;
  const check = ~fold(sum16(seg, sum)) & 0xffff;
  const c = check === 0 ? 0xffff : check;
  seg[6] = c >> 8;
  seg[7] = c & 255;
  return seg;
}

/** An Ethernet frame around an IP packet. */
function ethernet(ip: Uint8Array, v6: boolean): Buffer {
  const buf = Buffer.alloc(14 + ip.length);
  buf.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1], 0);
  buf.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12);
  buf.set(ip, 14);
  return buf;
}

/** An IPv4 packet: header (checksummed) then `body`. */
function ipv4(
  src: Uint8Array,
  dst: Uint8Array,
  id: number,
  flagsOffset: number,
  body: Uint8Array,
): Uint8Array {
  const p = new Uint8Array(20 + body.length);
  p[0] = 0x45;
  p[2] = p.length >> 8;
  p[3] = p.length & 255;
  p[4] = (id >> 8) & 255;
  p[5] = id & 255;
  p[6] = flagsOffset >> 8;
  p[7] = flagsOffset & 255;
  p[8] = 64;
  p[9] = 17;
  p.set(src, 12);
  p.set(dst, 16);
  const check = ~fold(sum16(p.subarray(0, 20))) & 0xffff;
  p[10] = check >> 8;
  p[11] = check & 255;
  p.set(body, 20);
  return p;
}

/** An IPv6 packet whose next header is `next`, then `body`. */
function ipv6(src: Uint8Array, dst: Uint8Array, next: number, body: Uint8Array): Uint8Array {
  const p = new Uint8Array(40 + body.length);
  p[0] = 0x60;
  p[4] = body.length >> 8;
  p[5] = body.length & 255;
  p[6] = next;
  p[7] = 64;
  p.set(src, 8);
  p.set(dst, 24);
  p.set(body, 40);
  return p;
}

/** One whole UDP datagram in an Ethernet frame. */
export function buildUdpFrame(spec: UdpFrameSpec): Buffer {
  const src = addr(spec.src);
  const dst = addr(spec.dst);
  if (src.length !== dst.length)
    throw new InvalidOptionError('source and destination are different IP versions');
  const seg = udpSegment(spec, src, dst);
  if (src.length === 4) return ethernet(ipv4(src, dst, spec.ipId ?? 1, 0x4000, seg), false);
  return ethernet(ipv6(src, dst, 17, seg), true);
}

/**
 * One UDP datagram cut into IP fragments of at most `fragmentBytes` of IP payload each (rounded
 * down to a multiple of 8), in Ethernet frames, first fragment first.
 */
export function buildUdpFragments(spec: UdpFrameSpec, fragmentBytes: number): Buffer[] {
  const src = addr(spec.src);
  const dst = addr(spec.dst);
  if (src.length !== dst.length)
    throw new InvalidOptionError('source and destination are different IP versions');
  const step = fragmentBytes & ~7;
  if (step < 8) throw new InvalidOptionError(`fragments must carry at least 8 bytes, got ${fragmentBytes}`);
  const seg = udpSegment(spec, src, dst);
  const id = spec.ipId ?? 1;
  const frames: Buffer[] = [];
  for (let off = 0; off < seg.length; off += step) {
    const piece = seg.subarray(off, Math.min(seg.length, off + step));
    const more = off + step < seg.length;
    if (src.length === 4) {
      frames.push(ethernet(ipv4(src, dst, id, (more ? 0x2000 : 0) | (off >> 3), piece), false));
    } else {
      const fh = new Uint8Array(8 + piece.length);
      fh[0] = 17;
      const field = off | (more ? 1 : 0);
      fh[2] = field >> 8;
      fh[3] = field & 255;
      fh[4] = (id >>> 24) & 255;
      fh[5] = (id >>> 16) & 255;
      fh[6] = (id >>> 8) & 255;
      fh[7] = id & 255;
      fh.set(piece, 8);
      frames.push(ethernet(ipv6(src, dst, 44, fh), true));
    }
  }
  return frames;
}
