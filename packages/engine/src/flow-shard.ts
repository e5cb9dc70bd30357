// Which worker a frame goes to. Every frame of a flow must reach the same engine: both directions
// of a TCP connection, every datagram of a UDP flow, and every IP fragment of a datagram (only the
// first fragment carries ports). Hashing the unordered pair of IP addresses satisfies all three,
// and it needs no transport header, so it is also right for fragments and for frames the engine
// will find undecodable. The link-layer cases follow the engine's decoder.

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;

/** Offset of the IP header found by the last ipVersion() call (a module variable: no object per frame). */
let ipOffset = 0;

/** The IP version (4 or 6) of a frame, its header offset left in ipOffset; 0 when the frame is not IP. */
function ipVersion(data: Uint8Array, linktype: number): number {
  const len = data.length;
  let off = 0;
  let ethertype = 0;
  switch (linktype) {
    case 1: // Ethernet, with 802.1Q / 802.1ad / 0x9100 tags
      if (len < 14) return 0;
      ethertype = (data[12] << 8) | data[13];
      off = 14;
      while (ethertype === 0x8100 || ethertype === 0x88a8 || ethertype === 0x9100) {
        if (len < off + 4) return 0;
        ethertype = (data[off + 2] << 8) | data[off + 3];
        off += 4;
      }
      break;
    case 113: // Linux cooked (SLL)
      if (len < 16) return 0;
      ethertype = (data[14] << 8) | data[15];
      off = 16;
      break;
    case 276: // SLL2
      if (len < 20) return 0;
      ethertype = (data[0] << 8) | data[1];
      off = 20;
      break;
    case 0: // NULL / LOOP: the address family, in either byte order
    case 108:
      if (len < 4) return 0;
      off = 4;
      ethertype = 0;
      break;
    case 101: // raw IP, and the BSDs' other numbers for it
    case 12:
    case 14:
    case 228:
    case 229:
      off = 0;
      ethertype = 0;
      break;
    default:
      return 0;
  }
  if (ethertype === 0) {
    // Raw and NULL links: the IP version nibble says which.
    if (len <= off) return 0;
    const v = data[off] >> 4;
    ipOffset = off;
    return v === 4 || v === 6 ? v : 0;
  }
  ipOffset = off;
  if (ethertype === ETHERTYPE_IPV4) return 4;
  if (ethertype === ETHERTYPE_IPV6) return 6;
  return 0;
}

/** FNV-1a over `n` bytes of `data` from `at`. */
function fnv(data: Uint8Array, at: number, n: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + n; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return h >>> 0;
}

/**
 * The shard (0..shards-1) of a frame: a hash of its unordered IP address pair, so both directions
 * and all fragments of a flow land on the same shard. Frames that are not IP (or too short to
 * hold both addresses) go to shard 0.
 */
export function flowShard(data: Uint8Array, linktype: number, shards: number): number {
  if (shards <= 1) return 0;
  const version = ipVersion(data, linktype);
  const off = ipOffset;
  let a: number;
  let b: number;
  if (version === 4) {
    // The addresses as numbers (no per-byte hashing on the main thread's per-frame path): the
    // finaliser below does the spreading.
    if (data.length < off + 20) return 0;
    a = ((data[off + 12] << 24) | (data[off + 13] << 16) | (data[off + 14] << 8) | data[off + 15]) >>> 0;
    b = ((data[off + 16] << 24) | (data[off + 17] << 16) | (data[off + 18] << 8) | data[off + 19]) >>> 0;
  } else if (version === 6) {
    if (data.length < off + 40) return 0;
    a = fnv(data, off + 8, 16);
    b = fnv(data, off + 24, 16);
  } else return 0;
  // Addition is symmetric (the direction does not matter); the finaliser spreads the low bits.
  let h = (a + b) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % shards;
}
