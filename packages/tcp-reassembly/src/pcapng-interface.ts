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

/** Units of a second below `ups` of the 64-bit timestamp hi:lo, exactly (without exceeding 2^53). */
function unitsInSecond(ups: number, hi: number, lo: number): number {
  // (hi * 2^32 + lo) mod ups: reduce hi, then shift by 2^16 twice.
  return ((((((hi % ups) * 65536) % ups) * 65536) % ups) + lo) % ups;
}

/**
 * Converts a 64-bit timestamp in interface units to ms, exactly for µs resolution; finer
 * resolutions are truncated to the microsecond (the rest is {@link interfaceNanos}).
 */
export function interfaceTimestamp(iface: PcapngInterface, hi: number, lo: number): number {
  const ups = iface.unitsPerSecond;
  const rem = unitsInSecond(ups, hi, lo);
  const sec = Math.round((hi * 4294967296 + lo - rem) / ups);
  if (ups <= 1e6) return sec * 1000 + rem / iface.unitsPerMs + iface.offsetMs;
  return sec * 1000 + Math.floor((rem * 1e6) / ups) / 1000 + iface.offsetMs;
}

/**
 * The nanoseconds (0..999) below the microsecond of a timestamp, for interfaces finer than a
 * microsecond; undefined for others (their times have none).
 */
export function interfaceNanos(iface: PcapngInterface, hi: number, lo: number): number | undefined {
  const ups = iface.unitsPerSecond;
  if (ups <= 1e6) return undefined;
  const rem = unitsInSecond(ups, hi, lo);
  // Decimal resolutions divide exactly; binary ones (2^-n s) go through a double, which is exact
  // enough for the three digits kept.
  const ns = ups % 1e9 === 0 ? Math.floor(rem / (ups / 1e9)) : Math.floor((rem / ups) * 1e9);
  return ns % 1000;
}
