// Classic pcap: a 24-byte file header, then records of a 16-byte header (24 for the Kuznetzov
// variant) and the captured bytes. Magic numbers tell byte order and µs/ns resolution. Timestamps
// are 32-bit seconds: always within the years 1970..2106, so they need no range check.
import { u32be, u32le } from './byte-order';
import type { CaptureState, RecordParser } from './capture-state';
import { isDecodableLinkType } from './decoder';
import type { Frame } from './types';

const MAX_RECORD = 64 * 1024 * 1024;
const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const MAGIC_KUZNETZOV = 0xa1b2cd34;

/** Byte order of a classic pcap magic number at `p`, or undefined when it is none. */
export function pcapByteOrder(b: Uint8Array, p: number): 'le' | 'be' | undefined {
  if (isPcapMagic(u32le(b, p))) return 'le';
  if (isPcapMagic(u32be(b, p))) return 'be';
  return undefined;
}

function isPcapMagic(m: number): boolean {
  return m === MAGIC_US || m === MAGIC_NS || m === MAGIC_KUZNETZOV;
}

/** Parses the records of a classic pcap file whose 24-byte header starts at `st.pos`. */
export class PcapRecordParser implements RecordParser {
  private readonly le: boolean;
  private readonly fracPerMs: number;
  private readonly recordHeader: number;
  private readonly linktype: number;
  /** Input offset of the first record, to report frames of an unsupported link type. */
  private readonly firstRecord: number;

  /** Reads the file header (the caller checked 24 bytes are there) and moves past it. */
  constructor(
    private readonly st: CaptureState,
    le: boolean,
  ) {
    const b = st.buf;
    const p = st.pos;
    const magic = le ? u32le(b, p) : u32be(b, p);
    this.le = le;
    this.fracPerMs = magic === MAGIC_NS ? 1e6 : 1000;
    this.recordHeader = magic === MAGIC_KUZNETZOV ? 24 : 16;
    this.linktype = (le ? u32le(b, p + 20) : u32be(b, p + 20)) & 0xffff;
    st.pos = p + 24;
    st.need = this.recordHeader;
    this.firstRecord = st.base + st.pos;
  }

  /** Reading ended: every frame of an unsupported link type is reported at once. */
  finish(): void {
    if (!isDecodableLinkType(this.linktype))
      this.st.unsupportedLinktype(this.linktype, this.st.framesRead, this.firstRecord);
  }

  next(into?: Frame): Frame | undefined {
    const st = this.st;
    const b = st.buf;
    const p = st.pos;
    const hdr = this.recordHeader;
    if (st.end - p < hdr) {
      st.need = hdr;
      return undefined;
    }
    const le = this.le;
    const caplen = le ? u32le(b, p + 8) : u32be(b, p + 8);
    if (caplen > MAX_RECORD) return st.corrupt(`captured length ${caplen}`);
    if (st.end - p < hdr + caplen) {
      st.need = hdr + caplen;
      return undefined;
    }
    const sec = le ? u32le(b, p) : u32be(b, p);
    const frac = le ? u32le(b, p + 4) : u32be(b, p + 4);
    const origLen = le ? u32le(b, p + 12) : u32be(b, p + 12);
    st.pos = p + hdr + caplen;
    st.framesRead++;
    if (origLen > caplen) st.framesTruncated++;
    if (into !== undefined) {
      const nanos = this.fracPerMs === 1000 ? undefined : frac % 1000;
      into.ts = sec * 1000 + (nanos === undefined ? frac / 1000 : (frac - nanos) / 1e6);
      into.tsNanos = nanos;
      into.linktype = this.linktype;
      into.data = b.subarray(p + hdr, p + hdr + caplen);
      into.origLen = origLen > caplen ? origLen : caplen;
      return into;
    }
    if (this.fracPerMs === 1000) {
      // Microsecond captures: frames without tsNanos, as small as before nanoseconds were kept.
      return {
        ts: sec * 1000 + frac / 1000,
        linktype: this.linktype,
        data: b.subarray(p + hdr, p + hdr + caplen),
        origLen: origLen > caplen ? origLen : caplen,
      };
    }
    // Nanosecond capture: the microseconds go into ts, the nanoseconds below them into tsNanos.
    const nanos = frac % 1000;
    return {
      ts: sec * 1000 + (frac - nanos) / 1e6,
      tsNanos: nanos,
      linktype: this.linktype,
      data: b.subarray(p + hdr, p + hdr + caplen),
      origLen: origLen > caplen ? origLen : caplen,
    };
  }
}
