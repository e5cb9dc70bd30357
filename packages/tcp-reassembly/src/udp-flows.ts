// UDP flows: datagrams grouped by their 5-tuple, with per-flow state for the consumer and an idle
// timeout on packet time. There is nothing to reassemble (IP fragments are put together before,
// see IpDefragmenter): each datagram is delivered whole, in capture order, with its direction.
//
// Only datagrams to or from a server port (isServerPort) make flows: UDP carries much that no
// protocol analyses (mDNS, NTP, QUIC...), and a flow for each would cost memory for nothing.
import type { DecodedPacket } from './decoder';
import { IdleLists, type IdleList } from './idle-lists';
import { Ipv4ConnectionTable } from './connection-table';
import { ipv4ToString, ipv6ToString } from './ip-address';
import { directionOf, ipv6Key } from './tuple-key';
import type { CloseReason, Direction } from './types';
import { InvalidOptionError } from './errors';

/** One UDP flow as its consumer sees it (the StreamConnection shape, with `transport: 'udp'`). */
export class UdpFlow {
  idleTimeoutMs: number;
  userData: unknown = undefined;
  lastSeen: number;
  idleList: IdleList<UdpFlow> | null = null;
  lruPrev: UdpFlow | null = null;
  lruNext: UdpFlow | null = null;
  /** Client address as a signed 32-bit integer (IPv4), for direction lookup. */
  client4 = 0;
  /** Server address (IPv4), for its text form. */
  server4 = 0;
  /** Table key: canonical IPv4 tuple, or the IPv6 string key. */
  keyA = 0;
  keyB = 0;
  keyP = 0;
  key6 = '';
  /** Client address bytes (IPv6), for direction lookup when both ports are equal. */
  client6: Uint8Array | undefined = undefined;
  /** Datagrams delivered in each direction. */
  datagrams0 = 0;
  datagrams1 = 0;

  /** Made by the UdpFlowTable; `ip6Names` are the client and server addresses of an IPv6 flow. */
  constructor(
    readonly id: number,
    readonly ipVersion: 4 | 6,
    private readonly ip6Names: readonly [string, string] | undefined,
    readonly clientPort: number,
    readonly serverPort: number,
    readonly openedAt: number,
    idleTimeoutMs: number,
  ) {
    this.idleTimeoutMs = idleTimeoutMs;
    this.lastSeen = openedAt;
  }

  /** Always `udp`: what tells a flow from a TCP connection. */
  get transport(): 'udp' {
    return 'udp';
  }

  /** Client address as text. */
  get clientIp(): string {
    return this.ip6Names !== undefined ? this.ip6Names[0] : ipv4ToString(this.client4 >>> 0);
  }

  /** Server address as text. */
  get serverIp(): string {
    return this.ip6Names !== undefined ? this.ip6Names[1] : ipv4ToString(this.server4 >>> 0);
  }
}

/** Receives the datagrams of each flow (applayer's ProtocolDispatcher has this shape). */
export interface UdpFlowConsumer {
  onConnectionOpen(flow: UdpFlow, ts: number): void;
  /** One whole datagram's payload (borrowed for the call). */
  onData(flow: UdpFlow, dir: Direction, data: Uint8Array, ts: number, tsNanos?: number): void;
  onConnectionClose(flow: UdpFlow, reason: CloseReason, ts: number): void;
}

/** Options of a UdpFlowTable; every field is optional. */
export interface UdpFlowOptions {
  /** Ports flows are made for (the client is the other side). Default: every port. */
  isServerPort?: (port: number) => boolean;
  /** Idle timeout of new flows in ms of packet time (the consumer may change it). Default 10,000. */
  idleTimeoutMs?: number;
  /** Flows kept at once; the least recently active is closed ('evicted') beyond it. Default 262,144. */
  maxFlows?: number;
  /** How often (packet time, ms) idle flows are looked for. Default 1,000. */
  timeoutCheckIntervalMs?: number;
}

/** Counters of a UdpFlowTable (plain numbers). */
export interface UdpCounters {
  /** Datagrams decoded (whole ones and those put together from fragments). */
  datagrams: number;
  /** Payload bytes of the datagrams delivered. */
  bytes: number;
  /** Datagrams delivered to a flow. */
  delivered: number;
  /** Datagrams of no server port: not tracked. */
  withoutProtocol: number;
  /** Datagrams the capture cut short (snaplen): not delivered, a parser needs them whole. */
  truncated: number;
  flowsOpened: number;
  flowsClosed: number;
  flowsActive: number;
  flowsTimedOut: number;
  flowsEvicted: number;
}

/** UDP datagrams in, per-flow datagrams out. */
export class UdpFlowTable {
  private readonly table4 = new Ipv4ConnectionTable<UdpFlow>(256);
  private readonly table6 = new Map<string, UdpFlow>();
  private readonly key6Scratch = Buffer.alloc(36);
  private readonly idle: IdleLists<UdpFlow>;
  private readonly isServerPort: ((port: number) => boolean) | undefined;
  private readonly maxFlows: number;
  private readonly checkInterval: number;
  private readonly idleTimeoutMs: number;
  private active = 0;
  private nextId = 1;
  private now = 0;
  private nextCheck = 0;
  private readonly c: Omit<UdpCounters, 'flowsActive'> = {
    datagrams: 0,
    bytes: 0,
    delivered: 0,
    withoutProtocol: 0,
    truncated: 0,
    flowsOpened: 0,
    flowsClosed: 0,
    flowsTimedOut: 0,
    flowsEvicted: 0,
  };

  /** A table delivering to `consumer`. */
  constructor(
    private readonly consumer: UdpFlowConsumer,
    opts: UdpFlowOptions = {},
  ) {
    this.isServerPort = opts.isServerPort;
    this.idleTimeoutMs = positive('idleTimeoutMs', opts.idleTimeoutMs, 10_000);
    this.maxFlows = positive('maxFlows', opts.maxFlows, 262_144);
    this.checkInterval = positive('timeoutCheckIntervalMs', opts.timeoutCheckIntervalMs, 1000);
    this.idle = new IdleLists<UdpFlow>(this.idleTimeoutMs);
  }

  /** Delivers the decoded UDP datagram `pkt` of `data` to its flow (made now if needed). */
  datagram(pkt: DecodedPacket, data: Uint8Array, ts: number, tsNanos?: number): void {
    const c = this.c;
    c.datagrams++;
    // The owner advances packet time (advanceTime) before: the engine times transactions out first.
    if (ts > this.now) this.now = ts;
    const isServer = this.isServerPort;
    if (isServer !== undefined && !isServer(pkt.dstPort) && !isServer(pkt.srcPort)) {
      c.withoutProtocol++;
      return;
    }
    if (pkt.missingBytes > 0) {
      c.truncated++;
      return;
    }
    let flow: UdpFlow | undefined;
    let ka = 0;
    let kb = 0;
    let kp = 0;
    let key6 = '';
    if (pkt.ipVersion === 4) {
      const s = pkt.src4;
      const d = pkt.dst4;
      if (s < d || (s === d && pkt.srcPort <= pkt.dstPort)) {
        ka = s;
        kb = d;
        kp = (pkt.srcPort << 16) | pkt.dstPort;
      } else {
        ka = d;
        kb = s;
        kp = (pkt.dstPort << 16) | pkt.srcPort;
      }
      flow = this.table4.get(ka, kb, kp);
    } else {
      key6 = ipv6Key(data, pkt, this.key6Scratch);
      flow = this.table6.get(key6);
    }
    if (flow !== undefined && flow.lastSeen + this.idle.timeoutOf(flow) <= ts) {
      // Idle past its timeout (the periodic check had not come yet): this datagram starts anew.
      this.c.flowsTimedOut++;
      this.close(flow, 'timeout', flow.lastSeen + this.idle.timeoutOf(flow));
      flow = undefined;
    }
    if (flow === undefined) flow = this.open(pkt, data, ts, ka, kb, kp, key6);
    else {
      flow.lastSeen = ts;
      this.idle.touch(flow);
    }
    const dir = directionOf(flow, pkt, data);
    if (dir === 0) flow.datagrams0++;
    else flow.datagrams1++;
    c.delivered++;
    c.bytes += pkt.payloadLength;
    this.consumer.onData(
      flow,
      dir,
      data.subarray(pkt.payloadOffset, pkt.payloadOffset + pkt.payloadLength),
      ts,
      tsNanos,
    );
  }

  /** Advances packet time: closes flows idle for longer than their timeout ('timeout'). */
  advanceTime(ts: number): void {
    if (ts > this.now) this.now = ts;
    if (ts < this.nextCheck) return;
    this.nextCheck = ts + Math.min(this.checkInterval, this.idle.minTimeout);
    let flow: UdpFlow | null;
    while ((flow = this.idle.expired(ts)) !== null) {
      this.c.flowsTimedOut++;
      this.close(flow, 'timeout', flow.lastSeen + this.idle.timeoutOf(flow));
    }
  }

  /** Closes at most `max` flows, the least recently active first; the number closed. */
  closeOldest(reason: CloseReason, max: number): number {
    let closed = 0;
    let flow: UdpFlow | null;
    while (closed < max && (flow = this.idle.oldest()) !== null) {
      this.close(flow, reason, Math.max(this.now, flow.lastSeen));
      closed++;
    }
    return closed;
  }

  /** End of input: closes every flow with `reason`. */
  closeAll(reason: CloseReason = 'eof'): void {
    let flow: UdpFlow | null;
    while ((flow = this.idle.oldest()) !== null) this.close(flow, reason, Math.max(this.now, flow.lastSeen));
  }

  /** Flows open now. */
  get activeFlows(): number {
    return this.active;
  }

  /** A snapshot of the counters. */
  counters(): UdpCounters {
    return { ...this.c, flowsActive: this.active };
  }

  private open(
    pkt: DecodedPacket,
    data: Uint8Array,
    ts: number,
    ka: number,
    kb: number,
    kp: number,
    key6: string,
  ): UdpFlow {
    if (this.active >= this.maxFlows) {
      const oldest = this.idle.oldest();
      if (oldest !== null) {
        this.c.flowsEvicted++;
        this.close(oldest, 'evicted', ts);
      }
    }
    // The client is the side not on a server port; with both (or neither) on one, the sender of
    // the first datagram seen.
    const isServer = this.isServerPort;
    const srcIsClient = isServer === undefined || isServer(pkt.dstPort) || !isServer(pkt.srcPort);
    const cport = srcIsClient ? pkt.srcPort : pkt.dstPort;
    const sport = srcIsClient ? pkt.dstPort : pkt.srcPort;
    let flow: UdpFlow;
    if (pkt.ipVersion === 4) {
      flow = new UdpFlow(this.nextId++, 4, undefined, cport, sport, ts, this.idleTimeoutMs);
      flow.client4 = srcIsClient ? pkt.src4 : pkt.dst4;
      flow.server4 = srcIsClient ? pkt.dst4 : pkt.src4;
      flow.keyA = ka;
      flow.keyB = kb;
      flow.keyP = kp;
      this.table4.insert(ka, kb, kp, flow);
    } else {
      const srcOff = pkt.ipOffset + 8;
      const dstOff = pkt.ipOffset + 24;
      const cOff = srcIsClient ? srcOff : dstOff;
      const sOff = srcIsClient ? dstOff : srcOff;
      const names = [ipv6ToString(data, cOff), ipv6ToString(data, sOff)] as const;
      flow = new UdpFlow(this.nextId++, 6, names, cport, sport, ts, this.idleTimeoutMs);
      flow.client6 = Uint8Array.from(data.subarray(cOff, cOff + 16));
      flow.key6 = key6;
      this.table6.set(key6, flow);
    }
    this.idle.touch(flow);
    this.active++;
    this.c.flowsOpened++;
    this.consumer.onConnectionOpen(flow, ts);
    // The consumer may have chosen another timeout: file the flow under it.
    this.idle.touch(flow);
    return flow;
  }

  private close(flow: UdpFlow, reason: CloseReason, ts: number): void {
    this.idle.remove(flow);
    if (flow.ipVersion === 4) this.table4.delete(flow.keyA, flow.keyB, flow.keyP);
    else this.table6.delete(flow.key6);
    this.active--;
    this.c.flowsClosed++;
    this.consumer.onConnectionClose(flow, reason, ts);
  }
}

function positive(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)))
    throw new InvalidOptionError(`UdpFlowTable option ${name} must be a positive number, got ${String(v)}`);
  return v;
}
