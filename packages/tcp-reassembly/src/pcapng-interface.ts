// pcapng interface description blocks: link type and timestamp scale of each interface, and the
// conversion of a packet's 64-bit timestamp to milliseconds.
import { u16, u32be, u32le } from './byte-order';
import { isDecodableLinkType } from './decoder';

/** One pcapng interface: its link type and timestamp scale. */
export interface PcapngInterface {
  linktype: number;
  /** Timestamp units per second (if_tsresol). */
  unitsPerSecond: number;
  /** Units per millisecond, used as a divisor so that µs and ns values match classic pcap exactly. */
  unitsPerMs: number;
  /** if_tsoffset in milliseconds. */
  offsetMs: number;
  /** Whether the decoder knows the link type (packets of others are counted and reported). */
  decodable: boolean;
}

/** Parses the interface description block of `blen` bytes at `p`. */
export function parseInterfaceBlock(b: Uint8Array, p: number, blen: number, le: boolean): PcapngInterface {
  const iface: PcapngInterface = {
    linktype: u16(b, p + 8, le),
    unitsPerSecond: 1e6,
    unitsPerMs: 1000,
    offsetMs: 0,
    decodable: true,
  };
  iface.decodable = isDecodableLinkType(iface.linktype);
  let q = p + 16;
  const end = p + blen - 4;
  while (q + 4 <= end) {
    const code = u16(b, q, le);
    const len = u16(b, q + 2, le);
    if (code === 0 || q + 4 + len > end) break;
    if (code === 9 && len >= 1) {
      const r = b[q + 4];
      iface.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      iface.unitsPerMs = iface.unitsPerSecond / 1000;
    } else if (code === 14 && len >= 8) {
      const hi = le ? u32le(b, q + 8) | 0 : u32be(b, q + 4) | 0;
      const lo = le ? u32le(b, q + 4) : u32be(b, q + 8);
      iface.offsetMs = (hi * 4294967296 + lo) * 1000;
    }
    q += 4 + ((len + 3) & ~3);
  }
  return iface;
}

/** Converts a 64-bit timestamp in interface units to ms, exactly for µs and ns resolutions. */
export function interfaceTimestamp(iface: PcapngInterface, hi: number, lo: number): number {
  const ups = iface.unitsPerSecond;
  // (hi * 2^32 + lo) mod ups without exceeding 2^53: reduce hi, then shift by 2^16 twice.
  const rem = ((((((hi % ups) * 65536) % ups) * 65536) % ups) + lo) % ups;
  const sec = Math.round((hi * 4294967296 + lo - rem) / ups);
  return sec * 1000 + rem / iface.unitsPerMs + iface.offsetMs;
}
