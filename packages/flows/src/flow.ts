// One flow: its key (VLAN tags, IP version and protocol, both endpoints), the packets and bytes
// each way, and its links in the table's hash chain and recency list. Source is the endpoint that
// sent the flow's first packet.
import type { DecodedPacket } from '@wirebeat/tcp-reassembly';

/** A flow in the table; created on its first packet, updated in place on every later one. */
export class Flow {
  readonly ipVersion: number;
  readonly protocol: number;
  readonly vlanCount: number;
  readonly vlanOuter: number;
  readonly vlanInner: number;
  /** IPv4 addresses as signed 32-bit integers (0 for IPv6). */
  readonly src4: number;
  readonly dst4: number;
  /** IPv6 addresses (empty for IPv4). */
  readonly src6: Uint8Array;
  readonly dst6: Uint8Array;
  /** Ports of TCP and UDP; 0 for other transports. */
  readonly srcPort: number;
  readonly dstPort: number;
  /** Type and code of the first ICMP/ICMPv6 message (-1 for other transports). */
  readonly icmpType: number;
  readonly icmpCode: number;
  /** Packet time of the first and the latest packet (ms). */
  readonly start: number;
  end: number;
  srcPackets = 0;
  srcBytes = 0;
  dstPackets = 0;
  dstBytes = 0;
  /** Hash chain of flows sharing a bucket. */
  bucketNext: Flow | undefined = undefined;
  /** Recency list: prev is less recently seen, next more recently. */
  prev: Flow | undefined = undefined;
  next: Flow | undefined = undefined;
  /** flow.id, network.community_id and event.start, computed at the first report. */
  id: string | undefined = undefined;
  communityId: string | undefined = undefined;
  startText: string | undefined = undefined;
  /** flow.id and the start time: what every event id of this flow begins with. */
  eventIdPrefix: string | undefined = undefined;

  /** A flow whose first packet is `pkt` (its bytes in `data`) at packet time `ts`. */
  constructor(
    readonly hash: number,
    pkt: DecodedPacket,
    data: Uint8Array,
    ts: number,
  ) {
    this.ipVersion = pkt.ipVersion;
    this.protocol = pkt.protocol;
    this.vlanCount = pkt.vlanCount;
    this.vlanOuter = pkt.vlanCount > 0 ? pkt.vlanOuter : 0;
    this.vlanInner = pkt.vlanCount > 1 ? pkt.vlanInner : 0;
    this.src4 = pkt.src4;
    this.dst4 = pkt.dst4;
    if (pkt.ipVersion === 6) {
      this.src6 = data.slice(pkt.ipOffset + 8, pkt.ipOffset + 24);
      this.dst6 = data.slice(pkt.ipOffset + 24, pkt.ipOffset + 40);
    } else {
      this.src6 = EMPTY;
      this.dst6 = EMPTY;
    }
    this.srcPort = pkt.srcPort;
    this.dstPort = pkt.dstPort;
    const icmp = pkt.protocol === 1 || pkt.protocol === 58;
    const at = pkt.payloadOffset;
    this.icmpType = icmp && at + 1 < data.length ? data[at] : -1;
    this.icmpCode = icmp && at + 1 < data.length ? data[at + 1] : -1;
    this.start = ts;
    this.end = ts;
  }
}

const EMPTY = new Uint8Array(0);
