// MySQL packet framing: a 3-byte payload length and a sequence id before every payload. A payload
// of 2^24-1 bytes continues in the next packet (16 MB continuation packets), until one shorter
// ends it: such a chain is one logical packet. Only the first MAX_KEPT_PAYLOAD bytes of a logical
// packet are kept (a 1 GB blob is counted, not held in memory).
export const MAX_PHYSICAL_PAYLOAD = 0xffffff;

/** Payload bytes of one logical packet kept in memory; the rest is counted in its size only. */
export const MAX_KEPT_PAYLOAD = 1 << 20;

/** What the framer knows of one logical packet besides its payload. */
export interface PacketInfo {
  /** Sequence id of its first physical packet. */
  seq: number;
  /** Bytes on the wire, headers of every physical packet included. */
  wire: number;
  /** Length of the whole payload (more than the payload handed over when cut). */
  length: number;
  /** Time of its first byte. */
  ts: number;
  /** Bytes of the payload were not kept (over MAX_KEPT_PAYLOAD), or lost in a gap. */
  cut: boolean;
  /** Bytes of the payload were lost in a gap. */
  lost: boolean;
}

/** Receives one logical packet: the payload is borrowed for the call. */
export type PacketSink = (payload: Uint8Array, info: PacketInfo) => void;

/** Splits one direction of a connection into logical packets. */
export class PacketFramer {
  private readonly header = new Uint8Array(4);
  private headerLen = 0;
  /** Payload bytes of the current physical packet still to come; -1 between packets. */
  private remaining = -1;
  /** The current physical packet is 2^24-1 bytes long: the next one continues the payload. */
  private continued = false;
  private parts: Uint8Array[] = [];
  private kept = 0;
  private readonly info: PacketInfo = { seq: 0, wire: 0, length: 0, ts: 0, cut: false, lost: false };
  /** A logical packet has begun (a header byte at least). */
  private started = false;
  /** A gap hit the packet: what follows it is counted, not kept (the text would be spliced). */
  private keepNoMore = false;

  /** Feeds in-order bytes (borrowed for the call), emitting every complete logical packet. */
  push(data: Uint8Array, ts: number, emit: PacketSink): void {
    let at = 0;
    const end = data.length;
    while (at < end) {
      if (this.remaining < 0) {
        // The common case: a whole packet inside this segment, handed over without a copy.
        if (!this.started && end - at >= 4) {
          const len = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16);
          if (len < MAX_PHYSICAL_PAYLOAD && end - at - 4 >= len) {
            const info = this.info;
            info.seq = data[at + 3];
            info.wire = len + 4;
            info.length = len;
            info.ts = ts;
            info.cut = false;
            info.lost = false;
            emit(data.subarray(at + 4, at + 4 + len), info);
            at += 4 + len;
            continue;
          }
        }
        if (!this.started) this.begin(ts);
        while (this.headerLen < 4 && at < end) this.header[this.headerLen++] = data[at++];
        if (this.headerLen < 4) return;
        const h = this.header;
        const len = h[0] | (h[1] << 8) | (h[2] << 16);
        if (this.info.wire === 0) this.info.seq = h[3];
        this.info.wire += 4;
        this.headerLen = 0;
        this.remaining = len;
        this.continued = len === MAX_PHYSICAL_PAYLOAD;
      }
      const take = Math.min(this.remaining, end - at);
      if (take > 0) {
        const keep = this.keepNoMore ? 0 : Math.min(take, MAX_KEPT_PAYLOAD - this.kept);
        // Copied: the segment is only borrowed, and the packet goes on in a later one.
        if (keep > 0) this.parts.push(data.slice(at, at + keep));
        if (keep < take) this.info.cut = true;
        this.kept += keep;
        this.info.wire += take;
        this.info.length += take;
        this.remaining -= take;
        at += take;
      }
      if (this.remaining === 0) this.endPhysical(emit);
    }
  }

  /**
   * `nbytes` are lost: true when they all fall inside the payload of the current packet after its
   * first byte (it is then emitted short, marked lost, and framing goes on), false when framing is
   * lost with them, or the first byte that tells what the packet is (a row, an EOF, an OK...).
   */
  gap(nbytes: number, emit: PacketSink): boolean {
    if (this.remaining < 0 || nbytes > this.remaining || this.info.length === 0) return false;
    this.info.cut = true;
    this.info.lost = true;
    this.keepNoMore = true;
    this.info.wire += nbytes;
    this.info.length += nbytes;
    this.remaining -= nbytes;
    if (this.remaining === 0) this.endPhysical(emit);
    return true;
  }

  /** Payload bytes held for the packet in progress. */
  partialBytes(): number {
    return this.kept + this.headerLen;
  }

  /** Whether a packet is in progress (some of it seen, not all). */
  get inPacket(): boolean {
    return this.started;
  }

  /** Drops the packet in progress. */
  reset(): void {
    this.parts = [];
    this.kept = 0;
    this.headerLen = 0;
    this.remaining = -1;
    this.continued = false;
    this.started = false;
    this.keepNoMore = false;
  }

  private begin(ts: number): void {
    this.started = true;
    const info = this.info;
    info.seq = 0;
    info.wire = 0;
    info.length = 0;
    info.ts = ts;
    info.cut = false;
    info.lost = false;
  }

  /** A physical packet is complete: the logical one too unless it continues. */
  private endPhysical(emit: PacketSink): void {
    this.remaining = -1;
    if (this.continued) return;
    const payload = this.parts.length === 1 ? this.parts[0] : joinParts(this.parts, this.kept);
    this.parts = [];
    this.kept = 0;
    this.started = false;
    this.keepNoMore = false;
    emit(payload, this.info);
  }
}

/** The parts of a payload as one array. */
function joinParts(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
