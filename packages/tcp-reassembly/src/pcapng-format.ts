// pcapng: a sequence of blocks (type, length, body, length again). Section headers set the byte
// order, interface blocks declare link types, packet blocks carry frames.
import { u32be, u32le } from './byte-order';
import { MAX_TIMESTAMP_MS, type CaptureState, type RecordParser } from './capture-state';
import { CorruptCaptureWarning } from './errors';
import {
  interfaceNanos,
  interfaceTimestamp,
  parseInterfaceBlock,
  type PcapngInterface,
} from './pcapng-interface';
import type { Frame } from './types';

const MAX_BLOCK = 64 * 1024 * 1024;
/** Block type of a section header, also the magic number of a pcapng file. */
export const PCAPNG_SHB = 0x0a0d0d0a;

/** Walks the blocks of a pcapng capture starting at its first section header. */
export class PcapngBlockParser implements RecordParser {
  private le = true;
  private ifaces: PcapngInterface[] = [];
  private lastTs = 0;
  private lastNanos: number | undefined = undefined;

  constructor(private readonly st: CaptureState) {
    st.need = 12;
  }

  /** Walks blocks until one carries a packet. */
  next(): Frame | undefined {
    const st = this.st;
    for (;;) {
      const b = st.buf;
      const p = st.pos;
      const avail = st.end - p;
      if (avail < 12) {
        st.need = 12;
        return undefined;
      }
      let le = this.le;
      const type = le ? u32le(b, p) : u32be(b, p);
      if (type === PCAPNG_SHB) {
        // The byte-order magic decides how this section (including its own length) is read.
        const bom = u32le(b, p + 8);
        if (bom === 0x1a2b3c4d) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else return st.corrupt('bad section byte-order magic');
        this.le = le;
      }
      const blen = le ? u32le(b, p + 4) : u32be(b, p + 4);
      if (blen < 12 || blen % 4 !== 0 || blen > MAX_BLOCK) return st.corrupt(`block length ${blen}`);
      if (avail < blen) {
        st.need = blen;
        return undefined;
      }
      // Both lengths must agree, or the block boundaries (and everything after) cannot be trusted.
      const trailing = le ? u32le(b, p + blen - 4) : u32be(b, p + blen - 4);
      if (trailing !== blen) return st.corrupt(`trailing block length ${trailing} differs from ${blen}`);
      st.pos = p + blen;
      const f = this.block(type, b, p, blen);
      if (f !== undefined) return f;
      if (st.stopped) return undefined;
    }
  }

  /** Interprets one complete block; returns its frame when it carries a packet. */
  private block(type: number, b: Uint8Array, p: number, blen: number): Frame | undefined {
    const st = this.st;
    const le = this.le;
    const rd = le ? u32le : u32be;
    switch (type) {
      case 6: // Enhanced packet block
      case 2: {
        // Obsolete packet block: 16-bit interface id and drop count instead of a 32-bit id.
        if (blen < 32) return this.corruptBlock('short packet block');
        const ifId = type === 6 ? rd(b, p + 8) : le ? b[p + 8] | (b[p + 9] << 8) : (b[p + 8] << 8) | b[p + 9];
        const caplen = rd(b, p + 20);
        const origLen = rd(b, p + 24);
        if (28 + caplen + 4 > blen) return this.corruptBlock(`captured length ${caplen} beyond block`);
        const iface = this.ifaces[ifId];
        if (iface === undefined) {
          st.blocksSkipped++;
          st.undeclaredInterface(ifId, st.base + p);
          return undefined;
        }
        const ts = interfaceTimestamp(iface, rd(b, p + 12), rd(b, p + 16));
        const nanos = interfaceNanos(iface, rd(b, p + 12), rd(b, p + 16));
        // Outside years 1970..9999 a timestamp cannot become an ISO @timestamp (or a Date at all).
        if (!(ts >= 0 && ts <= MAX_TIMESTAMP_MS)) {
          st.badTimestamp(ts, st.base + p);
          return undefined;
        }
        this.lastTs = ts;
        this.lastNanos = nanos;
        if (!iface.decodable) st.unsupportedLinktype(iface.linktype, 1, st.base + p);
        return st.frame(ts, iface.linktype, b.subarray(p + 28, p + 28 + caplen), origLen, nanos);
      }
      case 3: {
        // Simple packet block: interface 0, no timestamp (the previous packet's time is used).
        const iface = this.ifaces[0];
        if (blen < 16 || iface === undefined) {
          st.blocksSkipped++;
          if (iface === undefined) st.undeclaredInterface(0, st.base + p);
          return undefined;
        }
        if (!iface.decodable) st.unsupportedLinktype(iface.linktype, 1, st.base + p);
        const origLen = rd(b, p + 8);
        const caplen = Math.min(origLen, blen - 16);
        return st.frame(
          this.lastTs,
          iface.linktype,
          b.subarray(p + 12, p + 12 + caplen),
          origLen,
          this.lastNanos,
        );
      }
      case 1:
        this.ifaces.push(parseInterfaceBlock(b, p, blen, le));
        return undefined;
      case PCAPNG_SHB:
        this.ifaces = [];
        return undefined;
      default:
        st.blocksSkipped++;
        return undefined;
    }
  }

  private corruptBlock(what: string): undefined {
    const st = this.st;
    st.blocksSkipped++;
    st.warn(new CorruptCaptureWarning(st.name, st.bytesRead, st.framesRead, what));
    return undefined;
  }
}
